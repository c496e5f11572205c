package dev.flinkpatterns.table;

import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.parse.Timestamps;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Result values as Spark's {@code show()} prints them, the one formatter of the console and the memory sink's
 * display: {@code null}, numbers as Java prints them ({@code 82.4}, {@code 100.0}), decimals without exponent,
 * timestamps {@code 2024-01-15 10:00:00} (milliseconds only when there are some), dates {@code 2024-01-15}, structs
 * {@code {42, DE}} and arrays {@code [promo, mobile]} (Spark 3's form).
 */
public final class ShownValues {

    private ShownValues() {}

    public static String show(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof java.time.LocalDateTime time) {
            return Timestamps.display(RowSchema.millis(time));
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        if (value instanceof org.apache.flink.types.Row struct) {
            List<String> fields = new ArrayList<>(struct.getArity());
            for (int i = 0; i < struct.getArity(); i++) {
                fields.add(show(struct.getField(i)));
            }
            return "{" + String.join(", ", fields) + "}";
        }
        if (value instanceof List<?> elements) {
            return "[" + String.join(", ", elements.stream().map(ShownValues::show).toList()) + "]";
        }
        return value.toString();
    }

    /** A row's values as shown; a deleted row (null) stays null. */
    public static List<String> show(List<Object> values) {
        if (values == null) {
            return null;
        }
        List<String> shown = new ArrayList<>(values.size());
        values.forEach(value -> shown.add(show(value)));
        return shown;
    }
}
