package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.parse.TextFormats;
import picocli.CommandLine.Option;

/**
 * Spark's reader options on how text holds the values: {@code header}, {@code sep}, {@code timestampFormat},
 * {@code dateFormat}. Shared by {@link ReaderOptionsMixin} and {@code schema infer}, so both read files alike.
 */
public final class ReaderFormatOptions {

    @Option(names = "--header", paramLabel = "true|false", arity = "0..1", fallbackValue = "true",
            description = "CSV: the first line of each file is a header (Spark's header). Default: a first line that "
                    + "is the column names is skipped; schema infer: false.")
    String header;

    @Option(names = "--delimiter", paramLabel = "C",
            description = "CSV: the field delimiter, one character or \\t (Spark's sep). Default: ,")
    String delimiter;

    @Option(names = "--timestamp-format", paramLabel = "PATTERN",
            description = "Spark's timestampFormat, e.g. 'dd/MM/yyyy HH:mm'. Default: ISO-8601 (2024-01-15T10:00:03 "
                    + "or with a space, optional fraction).")
    String timestampFormat;

    @Option(names = "--date-format", paramLabel = "PATTERN",
            description = "Spark's dateFormat, e.g. 'dd/MM/yyyy'. Default: yyyy-MM-dd.")
    String dateFormat;

    /** Whether any of these options was given. */
    boolean given() {
        return header != null || delimiter != null || timestampFormat != null || dateFormat != null;
    }

    /** True, false, or null when not given. */
    Boolean header() {
        if (header == null) {
            return null;
        }
        return switch (header.toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new UsageException("--header takes true or false, not '" + header + "'");
        };
    }

    char delimiter() {
        if (delimiter == null) {
            return ',';
        }
        String value = delimiter.equals("\\t") || delimiter.equalsIgnoreCase("tab") ? "\t" : delimiter;
        if (value.length() != 1) {
            throw new UsageException("--delimiter takes one character or \\t, not '" + delimiter + "'");
        }
        char c = value.charAt(0);
        if (c == '"' || c == '\n' || c == '\r') {
            throw new UsageException("--delimiter cannot be a quote or a line break");
        }
        return c;
    }

    TextFormats textFormats() {
        try {
            new TextFormats(timestampFormat, null);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--timestamp-format " + e.getMessage().replaceFirst("^\\S+ ", ""));
        }
        try {
            return new TextFormats(timestampFormat, dateFormat);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--date-format " + e.getMessage().replaceFirst("^\\S+ ", ""));
        }
    }
}
