package dev.flinkpatterns.patterns.fanout;

import dev.flinkpatterns.io.FileFormat;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.table.RowFilter;
import java.io.Serializable;
import java.util.Locale;

/**
 * One output of a fan-out: the rows that pass {@code filter}, written as {@code format} files to the directory
 * {@code name} under the output directory (Spark's {@code source.filter(...).writeStream.table(name)}).
 */
public record Route(String name, FileFormat format, RowFilter filter) implements Serializable {

    /** Parses {@code NAME:FORMAT:FILTER}, e.g. {@code purchases:parquet:event=purchase}. */
    public static Route parse(String text, RowSchema schema) {
        String[] parts = text.split(":", 3);
        if (parts.length != 3) {
            throw new IllegalArgumentException("'" + text + "' is not NAME:FORMAT:FILTER (e.g. purchases:parquet:event=purchase)");
        }
        String name = parts[0].trim();
        if (!name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException(name + ": a route's name is lower-case letters, digits and _, "
                    + "starting with a letter (it names a directory and a SQL table)");
        }
        FileFormat format;
        try {
            format = FileFormat.valueOf(parts[1].trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": format '" + parts[1].trim() + "' is not parquet, json or csv");
        }
        return new Route(name, format, RowFilter.parse(parts[2], schema));
    }

    @Override
    public String toString() {
        return name + ":" + format.cliName() + ":" + filter;
    }
}
