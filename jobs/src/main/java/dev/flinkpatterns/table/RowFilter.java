package dev.flinkpatterns.table;

import dev.flinkpatterns.io.RowSchema;
import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.types.Row;

/**
 * A filter on one column, written {@code *} (every row), {@code column=v1|v2} (the column is one of the values) or
 * {@code column!=v1|v2} (it is none of them), on a text, whole-number or boolean column: fan-out's routes,
 * kafka-etl's {@code --where} and foreach-batch's {@code --alert-when}. The same filter runs as a Java predicate
 * (DataStream) and as a SQL {@code WHERE} clause, so both APIs keep the same rows. A null value passes no {@code =}
 * and no {@code !=} filter, as SQL's three-valued logic has it.
 */
public record RowFilter(String column, boolean negated, Set<String> values) implements Serializable {

    public static final RowFilter ALL = new RowFilter(null, false, Set.of());

    public RowFilter {
        values = values == null ? Set.of() : new LinkedHashSet<>(values);
    }

    /** Parses a filter over the columns of {@code schema}; throws IllegalArgumentException with the reason. */
    public static RowFilter parse(String text, RowSchema schema) {
        String filter = text.trim();
        if (filter.equals("*")) {
            return ALL;
        }
        int equals = filter.indexOf('=');
        if (equals <= 0) {
            throw new IllegalArgumentException("filter '" + text + "' is not *, column=value[|value...] or column!=value[|value...]");
        }
        boolean negated = filter.charAt(equals - 1) == '!';
        String column = filter.substring(0, negated ? equals - 1 : equals).trim();
        int index = schema.indexOf(column);
        if (index < 0) {
            throw new IllegalArgumentException("filter '" + text + "': no column " + column + "; columns: "
                    + String.join(", ", schema.names()));
        }
        RowSchema.Type type = schema.column(index).type();
        if (type != RowSchema.Type.STRING && type != RowSchema.Type.INT && type != RowSchema.Type.LONG
                && type != RowSchema.Type.BOOLEAN) {
            throw new IllegalArgumentException("filter '" + text + "': " + column + " is " + type
                    + "; filters compare text, whole-number or boolean columns");
        }
        List<String> values = Arrays.stream(filter.substring(equals + 1).split("\\|", -1)).map(String::trim).toList();
        for (String value : values) {
            if (value.isEmpty()) {
                throw new IllegalArgumentException("filter '" + text + "' has an empty value");
            }
            if ((type == RowSchema.Type.INT || type == RowSchema.Type.LONG) && !value.matches("-?\\d{1,18}")) {
                throw new IllegalArgumentException("filter '" + text + "': " + column + " is a number, not '" + value + "'");
            }
            if (type == RowSchema.Type.BOOLEAN && !value.equals("true") && !value.equals("false")) {
                throw new IllegalArgumentException("filter '" + text + "': " + column + " is true or false, not '" + value + "'");
            }
        }
        return new RowFilter(column, negated, new LinkedHashSet<>(values));
    }

    public boolean passes(Row row, RowSchema schema) {
        return column == null || matches(row.getField(schema.indexOf(column)));
    }

    /** Whether a value of the filter's column passes. */
    public boolean matches(Object value) {
        return column == null || value != null && values.contains(String.valueOf(value)) != negated;
    }

    /** The same filter as a SQL condition on {@code schema}'s columns. */
    public String sql(RowSchema schema) {
        if (column == null) {
            return "TRUE";
        }
        boolean text = schema.column(schema.indexOf(column)).type() == RowSchema.Type.STRING;
        String list = values.stream().map(v -> text ? "'" + v.replace("'", "''") + "'" : v).collect(Collectors.joining(", "));
        return "`" + column + "`" + (negated ? " NOT IN (" : " IN (") + list + ")";
    }

    @Override
    public String toString() {
        return column == null ? "*" : column + (negated ? "!=" : "=") + String.join("|", values);
    }
}
