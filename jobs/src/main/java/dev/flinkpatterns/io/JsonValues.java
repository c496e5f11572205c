package dev.flinkpatterns.io;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Typed values in the JSON that results leave in (JSON files, Kafka values, files-2pc and foreach-batch lines), as
 * Spark's JSON writer writes them: numbers and booleans bare, decimals without exponent, null as {@code null},
 * strings quoted, timestamps in its default {@code timestampFormat} {@code yyyy-MM-dd'T'HH:mm:ss.SSSXXX} with the
 * session time zone UTC ({@code "2024-01-15T10:00:00.000Z"}), dates {@code "2024-01-15"}.
 */
public final class JsonValues {

    private static final DateTimeFormatter SPARK_TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");

    private JsonValues() {}

    /** A timestamp (a UTC wall-clock time) as Spark's JSON and CSV writers write it. */
    public static String timestamp(LocalDateTime time) {
        return SPARK_TIMESTAMP.format(time);
    }

    public static StringBuilder append(StringBuilder json, Object value) {
        if (value == null) {
            return json.append("null");
        }
        if (value instanceof String text) {
            return json.append(Json.quote(text));
        }
        if (value instanceof LocalDateTime time) {
            return json.append('"').append(timestamp(time)).append('"');
        }
        if (value instanceof BigDecimal decimal) {
            return json.append(decimal.toPlainString());
        }
        if (value instanceof Double number && (number.isNaN() || number.isInfinite())) {
            return json.append(Json.quote(number.toString())); // Spark writes "NaN", "Infinity" as strings
        }
        if (value instanceof Number || value instanceof Boolean) {
            return json.append(value);
        }
        return json.append(Json.quote(value.toString())); // LocalDate: 2024-01-15
    }

    /**
     * A value of a column, nested ones included: a STRUCT as an object of its fields (null fields left out, as
     * Spark's JSON writer does), an ARRAY as an array of its elements.
     */
    public static StringBuilder append(StringBuilder json, Object value, RowSchema.Column column) {
        if (value == null) {
            return json.append("null");
        }
        return switch (column.type()) {
            case STRUCT -> {
                org.apache.flink.types.Row row = (org.apache.flink.types.Row) value;
                RowSchema fields = column.args().fields();
                json.append('{');
                boolean first = true;
                for (int i = 0; i < fields.size(); i++) {
                    Object field = row.getField(i);
                    if (field == null) {
                        continue;
                    }
                    if (!first) {
                        json.append(',');
                    }
                    first = false;
                    json.append(Json.quote(fields.column(i).name())).append(':');
                    append(json, field, fields.column(i));
                }
                yield json.append('}');
            }
            case ARRAY -> {
                json.append('[');
                boolean first = true;
                for (Object element : RowSchema.elements(value)) {
                    if (!first) {
                        json.append(',');
                    }
                    first = false;
                    append(json, element, column.args().element());
                }
                yield json.append(']');
            }
            default -> append(json, value);
        };
    }
}
