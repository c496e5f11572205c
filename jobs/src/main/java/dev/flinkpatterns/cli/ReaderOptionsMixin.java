package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.io.ReaderOptions;
import dev.flinkpatterns.io.ReaderOptions.Format;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.io.SchemaDdl;
import dev.flinkpatterns.io.SchemaInference;
import dev.flinkpatterns.parse.TextFormats;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Spark's {@code readStream.format(...).schema(...).option(...)} on the command line, for a pattern that reads
 * files: {@code --format}, {@code --schema "<DDL>"|infer}, {@code --schema-file}, {@code --rescued-data} and the
 * {@link ReaderFormatOptions}, validated into one {@link ReaderOptions} with one-line errors.
 */
public final class ReaderOptionsMixin {

    /** The event files (data/input) as a schema, for reader options without --schema. */
    static final RowSchema EVENT_FILES = SchemaDdl.parse("timestamp TIMESTAMP, user_id INT, event STRING");

    @Option(names = "--format", paramLabel = "csv|json|parquet|text",
            description = "The format of the input files (Spark's format). Default: the pattern's dataset's.")
    String format;

    @Option(names = "--schema", paramLabel = "DDL|infer",
            description = "The input's columns as Spark DDL, e.g. \"pickup_at TIMESTAMP, fare DECIMAL(10,2)\"; or infer: "
                    + "from the first files (printed on stderr). Default: the pattern's dataset's.")
    String schema;

    @Option(names = "--schema-file", paramLabel = "FILE",
            description = "The schema's DDL from a file, e.g. what 'patterns schema infer' printed.")
    String schemaFile;

    @Option(names = "--rescued-data",
            description = "JSON: fields not in the schema (and values of the wrong type) are kept as a JSON object "
                    + "in a last column _rescued_data (Auto Loader's rescue mode).")
    boolean rescuedData;

    @Mixin
    ReaderFormatOptions text = new ReaderFormatOptions();

    /** How the options are named in messages: {@code --} here, {@code --left-} for a join's side. */
    private String optionPrefix = "--";

    /**
     * One side's options of a pattern with two inputs ({@code --left-format}, {@code --left-schema}, ...), sharing the
     * pattern's {@code --header}, {@code --delimiter} and time formats.
     */
    static ReaderOptionsMixin side(String optionPrefix, String format, String schema, ReaderFormatOptions text) {
        ReaderOptionsMixin side = new ReaderOptionsMixin();
        side.optionPrefix = optionPrefix;
        side.format = format;
        side.schema = schema;
        side.text = text;
        return side;
    }

    /**
     * A source's own options ({@code sql --source-format NAME=..., --source-schema NAME=...}): its format and schema
     * where given (null: these options'), the rest as these options; messages name the source's options.
     */
    ReaderOptionsMixin forSource(String name, String ownFormat, String ownSchema) {
        ReaderOptionsMixin source = side(optionPrefix, ownFormat != null ? ownFormat : format,
                ownSchema != null ? ownSchema : schema, text);
        source.schemaFile = ownSchema != null ? null : schemaFile;
        source.rescuedData = rescuedData;
        source.formatLabel = ownFormat != null ? "--source-format " + name : null;
        source.schemaLabel = ownSchema != null ? "--source-schema " + name : null;
        return source;
    }

    /** How messages name the format and schema options when a source has its own ({@link #forSource}). */
    private String formatLabel;
    private String schemaLabel;

    private String formatLabel() {
        return formatLabel != null ? formatLabel : optionPrefix + "format";
    }

    private String schemaLabel() {
        return schemaLabel != null ? schemaLabel : optionPrefix + "schema";
    }

    /** Whether any of these options was given (a pattern's own dataset applies otherwise). */
    public boolean given() {
        return format != null || schema != null || schemaFile != null || rescuedData || text.given();
    }

    /**
     * The reader options for the files in {@code inputDirectory} (a local one, for {@code --schema infer}): the
     * flags given, the pattern's defaults otherwise. An inferred schema is printed on {@code err}.
     */
    public ReaderOptions resolve(String inputDirectory, Format defaultFormat, RowSchema defaultSchema, PrintStream err) {
        Format chosen = defaultFormat;
        if (format != null) {
            try {
                chosen = Format.of(format);
            } catch (IllegalArgumentException e) {
                throw new UsageException(formatLabel() + ": " + e.getMessage());
            }
        }
        if (schema != null && schemaFile != null) {
            throw new UsageException("--schema and --schema-file are alternatives; give one");
        }
        Boolean header = text.header();
        char delimiter = text.delimiter();
        TextFormats formats = text.textFormats();
        RowSchema rowSchema = defaultSchema;
        if (schemaFile != null) {
            rowSchema = parse("--schema-file " + schemaFile, read(schemaFile));
        } else if ("infer".equalsIgnoreCase(schema)) {
            try {
                rowSchema = SchemaInference.infer(Path.of(inputDirectory), chosen, header, delimiter, formats);
            } catch (IllegalArgumentException e) {
                throw new UsageException(schemaLabel() + " infer: " + e.getMessage());
            }
            err.println("inferred " + (schemaLabel != null ? "schema of source " + schemaLabel.substring(
                    "--source-schema ".length()) : optionPrefix.substring(2) + "schema") + ": " + SchemaDdl.print(rowSchema));
        } else if (schema != null) {
            rowSchema = parse(schemaLabel(), schema);
        }
        try {
            return new ReaderOptions(chosen, chosen == Format.TEXT && schema == null && schemaFile == null ? null : rowSchema,
                    header, delimiter, formats.timestampFormat(), formats.dateFormat(), rescuedData);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static RowSchema parse(String option, String ddl) {
        try {
            return SchemaDdl.parse(ddl);
        } catch (IllegalArgumentException e) {
            throw new UsageException(option + ": " + e.getMessage());
        }
    }

    /** A schema file's DDL; its lines are joined, so one column per line is fine. */
    private static String read(String file) {
        try {
            return String.join(" ", Files.readAllLines(Path.of(file), StandardCharsets.UTF_8)).strip();
        } catch (IOException e) {
            throw new UsageException("--schema-file " + file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }
}
