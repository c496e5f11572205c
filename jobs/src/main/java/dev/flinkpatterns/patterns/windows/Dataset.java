package dev.flinkpatterns.patterns.windows;

import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.parse.LineParser;
import dev.flinkpatterns.table.KeyCells;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * A kind of input an event-time pattern can read, with its explicit schema: how to parse a line, the event-time
 * column, and the columns a query may group by, aggregate or count distinctly.
 *
 * @param defaultInput the directory read when {@code --input} is not given
 * @param defaultKeys, defaultValue, defaultDistinct what a query uses when the options do not say (the guides' choices)
 */
public record Dataset<T>(String name, String defaultInput, LineParser<T> parser, TypeInformation<T> type,
        EventTimeOf<T> eventTime, Map<String, Column<T>> columns, List<String> defaultKeys, String defaultValue,
        String defaultDistinct) implements Serializable {

    public Dataset {
        columns = new LinkedHashMap<>(columns);
        defaultKeys = List.copyOf(defaultKeys);
    }

    @FunctionalInterface
    public interface EventTimeOf<T> extends Serializable {
        long millis(T row);
    }

    @FunctionalInterface
    public interface Getter<T> extends Serializable {
        Object get(T row);
    }

    /**
     * A column: how to read it, whether it is a number (aggregatable) and whole, and its type in the user's schema
     * (null for the presets' columns, whose keys are strings).
     */
    public record Column<T>(Getter<T> getter, boolean numeric, boolean integral, RowSchema.Column schemaColumn)
            implements Serializable {
        public static <T> Column<T> text(Getter<T> getter) {
            return new Column<>(getter, false, false, null);
        }

        public static <T> Column<T> wholeNumber(Getter<T> getter) {
            return new Column<>(getter, true, true, null);
        }

        public static <T> Column<T> decimal(Getter<T> getter) {
            return new Column<>(getter, true, false, null);
        }

        /** The same column, typed as the schema's column. */
        public Column<T> typed(RowSchema.Column column) {
            return new Column<>(getter, numeric, integral, column);
        }
    }

    /** The result columns of these group-by columns: typed as the schema says, else strings. */
    public List<RowSchema.Column> keyColumns(List<String> keys) {
        return keys.stream().map(key -> {
            RowSchema.Column column = columns.get(key).schemaColumn();
            return column == null ? KeyCells.textColumns(List.of(key)).get(0) : KeyCells.resultColumn(column);
        }).toList();
    }

    public List<String> columnNames() {
        return new ArrayList<>(columns.keySet());
    }

    public List<String> numericColumns() {
        return columns.entrySet().stream().filter(c -> c.getValue().numeric()).map(Map.Entry::getKey).toList();
    }

    public boolean isIntegral(String column) {
        return columns.get(column).integral();
    }

    /** The row as a query sees it: event time, joined key, the aggregated columns as numbers and as text. */
    public MapFunction<T, Measurement> measurements(WindowQuery query) {
        List<Getter<T>> keys = query.keys().stream().map(k -> columns.get(k).getter()).toList();
        List<Getter<T>> inputs = query.inputs().stream().map(c -> columns.get(c).getter()).toList();
        boolean[] numeric = new boolean[inputs.size()];
        for (int i = 0; i < numeric.length; i++) {
            numeric[i] = columns.get(query.inputs().get(i)).numeric();
        }
        EventTimeOf<T> time = eventTime;
        return row -> {
            List<Object> keyValues = new ArrayList<>(keys.size());
            for (Getter<T> getter : keys) {
                keyValues.add(getter.get(row));
            }
            String key = KeyCells.join(keyValues);
            double[] numbers = new double[numeric.length];
            String[] texts = new String[numeric.length];
            for (int i = 0; i < numeric.length; i++) {
                Object value = inputs.get(i).get(row);
                numbers[i] = numeric[i] ? ((Number) value).doubleValue() : Double.NaN;
                texts[i] = RowSchema.text(value);
            }
            return new Measurement(time.millis(row), key, numbers, texts);
        };
    }
}
