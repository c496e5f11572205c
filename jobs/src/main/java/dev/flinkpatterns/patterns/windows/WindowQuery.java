package dev.flinkpatterns.patterns.windows;

import dev.flinkpatterns.io.Json;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.table.KeyCells;
import dev.flinkpatterns.parse.Timestamps;
import dev.flinkpatterns.time.WatermarkSettings;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * An aggregation as Spark writes it:
 * {@code withWatermark(time, delay).groupBy(window(...), keys...).agg(count, sum(a).alias(...), ...)}, or without a
 * window ({@code groupBy(keys).agg(...)}, a running aggregate per key).
 *
 * @param window the window, or null: no window, one running aggregate per key
 * @param keys the group-by columns besides the window (may be empty)
 * @param outputs the aggregates the result shows, in order, each over its column, named (Spark's {@code .alias})
 * @param keyColumns the keys' result columns, typed (Spark keeps a key's type; the presets' keys are strings)
 */
public record WindowQuery(WindowSpec window, List<String> keys, WatermarkSettings watermark, List<Output> outputs,
        List<RowSchema.Column> keyColumns) implements Serializable {

    /** Joins key columns into one key. */
    public static final String KEY_SEPARATOR = KeyCells.SEPARATOR;

    /** What a window's rows are aggregated to. */
    public enum Aggregate {
        COUNT, SUM, AVG, MIN, MAX, COUNT_DISTINCT, APPROX_COUNT_DISTINCT;

        /** Sums, averages, min and max need a number. */
        public boolean needsNumber() {
            return this == SUM || this == AVG || this == MIN || this == MAX;
        }

        /** The function's name as Spark writes it. */
        public String sparkFunction() {
            return switch (this) {
                case COUNT_DISTINCT -> "count";
                default -> name().toLowerCase();
            };
        }
    }

    /**
     * An aggregate as a result column: {@code count("*").alias("page_views")}, {@code sum("amount")}.
     *
     * @param column the aggregated column; null for {@code count(*)} (and the short form's {@code count})
     * @param integral the column holds whole numbers: its sum, min and max are BIGINT, as in Spark
     */
    public record Output(Aggregate aggregate, String column, boolean integral, String name) implements Serializable {

        public Output {
            if (column == null && aggregate != Aggregate.COUNT) {
                throw new IllegalArgumentException(aggregate.sparkFunction() + " needs a column");
            }
        }

        /** The aggregate under the name Spark gives it without an alias: {@code count(1)}, {@code sum(amount)}. */
        public static Output unnamed(Aggregate aggregate, String column, boolean integral) {
            return new Output(aggregate, column, integral, sparkName(aggregate, column));
        }

        /** The same aggregate under another name (Spark's {@code .alias}). */
        public Output as(String alias) {
            return new Output(aggregate, column, integral, alias);
        }

        /** The result column's type, as Spark types it. */
        RowSchema.Type type() {
            return switch (aggregate) {
                case COUNT, COUNT_DISTINCT, APPROX_COUNT_DISTINCT -> RowSchema.Type.LONG;
                case AVG -> RowSchema.Type.DOUBLE;
                case SUM, MIN, MAX -> integral ? RowSchema.Type.LONG : RowSchema.Type.DOUBLE;
            };
        }
    }

    public WindowQuery {
        keys = List.copyOf(keys);
        outputs = List.copyOf(outputs);
        keyColumns = List.copyOf(keyColumns);
        if (keyColumns.size() != keys.size()) {
            throw new IllegalArgumentException("one result column per key");
        }
        if (outputs.isEmpty()) {
            throw new IllegalArgumentException("an aggregation needs at least one aggregate");
        }
        List<String> names = new ArrayList<>(window == null ? List.of() : List.of("window_start", "window_end"));
        names.addAll(keys);
        for (Output output : outputs) {
            if (names.contains(output.name())) {
                throw new IllegalArgumentException("two result columns are named " + output.name()
                        + "; give one another name with AS");
            }
            names.add(output.name());
        }
    }

    /** A query whose keys are strings. */
    public WindowQuery(WindowSpec window, List<String> keys, WatermarkSettings watermark, List<Output> outputs) {
        this(window, keys, watermark, outputs, KeyCells.textColumns(keys));
    }

    /**
     * The short form ({@code --value}, {@code --distinct}): every aggregate the columns allow, under Spark's default
     * names: count, then sum, avg, min, max of {@code value}, then count(DISTINCT distinct).
     */
    public WindowQuery(WindowSpec window, List<String> keys, String value, boolean integralValue, String distinct,
            WatermarkSettings watermark) {
        this(window, keys, watermark, defaultOutputs(value, integralValue, distinct));
    }

    private static List<Output> defaultOutputs(String value, boolean integralValue, String distinct) {
        List<Output> outputs = new ArrayList<>(List.of(new Output(Aggregate.COUNT, null, false, "count")));
        if (value != null) {
            for (Aggregate aggregate : List.of(Aggregate.SUM, Aggregate.AVG, Aggregate.MIN, Aggregate.MAX)) {
                outputs.add(Output.unnamed(aggregate, value, integralValue));
            }
        }
        if (distinct != null) {
            outputs.add(Output.unnamed(Aggregate.COUNT_DISTINCT, distinct, false));
        }
        return outputs;
    }

    /** The name Spark gives an aggregate without an alias ({@code count(*)} is {@code count(1)} in Spark). */
    static String sparkName(Aggregate aggregate, String column) {
        return switch (aggregate) {
            case COUNT -> "count(" + (column == null ? "1" : column) + ")";
            case COUNT_DISTINCT -> "count(DISTINCT " + column + ")";
            default -> aggregate.sparkFunction() + "(" + column + ")";
        };
    }

    /** The same query showing these aggregates. */
    public WindowQuery withOutputs(Output... outputs) {
        return new WindowQuery(window, keys, watermark, List.of(outputs), keyColumns);
    }

    /** The same query with its keys typed as these result columns. */
    public WindowQuery withKeyColumns(List<RowSchema.Column> columns) {
        return new WindowQuery(window, keys, watermark, outputs, columns);
    }

    /** True for {@code groupBy(keys).agg(...)} without a window: a running aggregate per key. */
    public boolean isWindowed() {
        return window != null;
    }

    /** The columns the aggregates read, each once, in the order of the outputs. */
    public List<String> inputs() {
        LinkedHashSet<String> inputs = new LinkedHashSet<>();
        outputs.forEach(output -> {
            if (output.column() != null) {
                inputs.add(output.column());
            }
        });
        return new ArrayList<>(inputs);
    }

    /** The position of an output's column in {@link #inputs()}; -1 for {@code count(*)}. */
    int inputIndex(Output output) {
        return output.column() == null ? -1 : inputs().indexOf(output.column());
    }

    /** True when some aggregate needs the column as a number. */
    boolean isNumericInput(String column) {
        return outputs.stream().anyMatch(o -> column.equals(o.column()) && o.aggregate().needsNumber());
    }

    /** True when the column's numbers are whole (sum, min, max print without a fraction). */
    boolean isIntegralInput(String column) {
        return outputs.stream().anyMatch(o -> column.equals(o.column()) && o.integral());
    }

    /** Result columns, named as Spark names them. */
    public List<String> columns() {
        return schema().columns().stream().map(RowSchema.Column::name).toList();
    }

    /**
     * The result's column types, as Spark types them: window bounds timestamps, keys strings, count and
     * count(DISTINCT) bigint, avg double, sum/min/max bigint over a whole-number column, else double.
     */
    public RowSchema schema() {
        List<RowSchema.Column> columns = new ArrayList<>();
        if (isWindowed()) {
            columns.add(RowSchema.Column.nullable("window_start", RowSchema.Type.TIMESTAMP));
            columns.add(RowSchema.Column.nullable("window_end", RowSchema.Type.TIMESTAMP));
        }
        columns.addAll(keyColumns);
        outputs.forEach(output -> columns.add(RowSchema.Column.nullable(output.name(), output.type())));
        return new RowSchema(columns);
    }

    /** The key's values as text, a null as null (the SQL view's key columns are strings). */
    public List<String> keyValues(String key) {
        return KeyCells.texts(key, keys.size());
    }

    /** The key's values typed as the result's key columns. */
    public List<Object> keyCells(String key) {
        return KeyCells.cells(key, keyColumns);
    }

    /** A late row as JSON, for the late-row output: its time, keys, aggregated numbers and counted columns. */
    public String describe(Measurement row) {
        StringBuilder json = new StringBuilder("{\"event_time\":").append(Json.quote(Timestamps.display(row.eventTime())));
        List<String> keyValues = keyValues(row.key());
        for (int i = 0; i < keys.size(); i++) {
            String value = keyValues.get(i);
            json.append(',').append(Json.quote(keys.get(i))).append(':').append(value == null ? "null" : Json.quote(value));
        }
        List<String> inputs = inputs();
        for (boolean numbers : new boolean[] {true, false}) { // the aggregated numbers first, then the counted values
            for (int i = 0; i < inputs.size(); i++) {
                String column = inputs.get(i);
                if (keys.contains(column) || isNumericInput(column) != numbers) {
                    continue;
                }
                json.append(',').append(Json.quote(column)).append(':');
                if (numbers) {
                    json.append(Cells.number(row.numbers()[i], isIntegralInput(column)));
                } else {
                    json.append(Json.quote(row.texts()[i]));
                }
            }
        }
        return json.append('}').toString();
    }
}
