package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.io.RowSchema.Type;
import dev.flinkpatterns.io.SchemaDdl;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;

/** Column flags over the input's schema ({@code --key}, {@code --event-time}, ...): one-line errors naming the columns. */
final class SchemaColumns {

    private SchemaColumns() {}

    /** The columns of a comma-separated flag value, each a column of {@code schema}, none twice. */
    static List<String> list(String option, String commaSeparated, RowSchema schema) {
        List<String> columns = Arrays.stream(commaSeparated.split(",", -1)).map(String::strip).toList();
        for (String column : columns) {
            column(option, column, schema);
        }
        if (new HashSet<>(columns).size() != columns.size()) {
            throw new UsageException(option + " " + commaSeparated + ": a column is named twice");
        }
        return columns;
    }

    /** A column of {@code schema}, or a one-line error naming the columns there are. */
    static String column(String option, String name, RowSchema schema) {
        if (schema.indexOf(name) < 0) {
            throw new UsageException(option + " " + name + ": no such column; columns: " + SchemaDdl.print(schema));
        }
        return name;
    }

    /** A TIMESTAMP column of {@code schema}, the only type event time can follow. */
    static String eventTime(String option, String name, RowSchema schema) {
        column(option, name, schema);
        RowSchema.Column column = schema.column(schema.indexOf(name));
        if (column.type() != Type.TIMESTAMP) {
            throw new UsageException(option + " " + name + ": is " + column.ddlType()
                    + ", not TIMESTAMP; columns: " + SchemaDdl.print(schema));
        }
        return name;
    }

    /** A numeric column (INT, BIGINT, DOUBLE, DECIMAL) of {@code schema}, for a flag that compares or computes with it. */
    static String number(String option, String name, RowSchema schema) {
        return ofTypes(option, name, schema, "a number", Type.INT, Type.LONG, Type.DOUBLE, Type.DECIMAL);
    }

    /** An ARRAY column of {@code schema}, for a flag that explodes it. */
    static String array(String option, String name, RowSchema schema) {
        return ofTypes(option, name, schema, "an ARRAY", Type.ARRAY);
    }

    private static String ofTypes(String option, String name, RowSchema schema, String what, Type... types) {
        column(option, name, schema);
        RowSchema.Column column = schema.column(schema.indexOf(name));
        if (!List.of(types).contains(column.type())) {
            throw new UsageException(option + " " + name + ": is " + column.ddlType() + ", not " + what + "; columns: "
                    + SchemaDdl.print(schema));
        }
        return name;
    }

    /** The event files' time column, {@code timestamp}, when the schema has it as a TIMESTAMP; else null. */
    static String defaultEventTime(RowSchema schema) {
        int index = schema.indexOf("timestamp");
        return index >= 0 && schema.column(index).type() == Type.TIMESTAMP ? "timestamp" : null;
    }

    /** The schema's one TIMESTAMP column; null when it has none or several. */
    static String soleTimestamp(RowSchema schema) {
        List<String> times = schema.columns().stream().filter(c -> c.type() == Type.TIMESTAMP)
                .map(RowSchema.Column::name).toList();
        return times.size() == 1 ? times.get(0) : null;
    }
}
