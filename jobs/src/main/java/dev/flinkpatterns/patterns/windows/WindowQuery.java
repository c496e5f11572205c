package dev.flinkpatterns.patterns.windows;

import dev.flinkpatterns.io.Json;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.parse.Timestamps;
import dev.flinkpatterns.time.WatermarkSettings;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A windowed aggregation as Spark writes it:
 * {@code withWatermark(time, delay).groupBy(window(...), keys...).agg(count, sum, avg, min, max, countDistinct)}.
 *
 * @param keys the group-by columns besides the window (may be empty)
 * @param value the column summed, averaged, min'd and max'd (null: count only)
 * @param integralValue the value column holds whole numbers: sum, min and max print without a fraction
 * @param distinct the column counted exactly and distinctly (null: none)
 * @param outputs the aggregates the result shows, in order, with their column names (Spark's {@code .alias})
 */
public record WindowQuery(WindowSpec window, List<String> keys, String value, boolean integralValue, String distinct,
        WatermarkSettings watermark, List<Output> outputs) implements Serializable {

    /** Joins key columns into one key; a character no dataset value contains. */
    public static final String KEY_SEPARATOR = "\u001f";

    /** What a window's rows are aggregated to. */
    public enum Aggregate {
        COUNT, SUM, AVG, MIN, MAX, COUNT_DISTINCT;

        boolean needsValue() {
            return this == SUM || this == AVG || this == MIN || this == MAX;
        }
    }

    /** An aggregate as a result column: {@code count(*).alias("page_views")}. */
    public record Output(Aggregate aggregate, String name) implements Serializable {}

    public WindowQuery {
        keys = List.copyOf(keys);
        outputs = List.copyOf(outputs);
        for (Output output : outputs) {
            if (output.aggregate().needsValue() && value == null) {
                throw new IllegalArgumentException(output.name() + " needs a value column");
            }
            if (output.aggregate() == Aggregate.COUNT_DISTINCT && distinct == null) {
                throw new IllegalArgumentException(output.name() + " needs a distinct column");
            }
        }
    }

    /** Every aggregate the columns allow, under Spark's default names: count, then sum, avg, min, max, count(DISTINCT). */
    public WindowQuery(WindowSpec window, List<String> keys, String value, boolean integralValue, String distinct,
            WatermarkSettings watermark) {
        this(window, keys, value, integralValue, distinct, watermark, defaultOutputs(value, distinct));
    }

    private static List<Output> defaultOutputs(String value, String distinct) {
        List<Output> outputs = new ArrayList<>();
        for (Aggregate aggregate : Aggregate.values()) {
            if ((!aggregate.needsValue() || value != null) && (aggregate != Aggregate.COUNT_DISTINCT || distinct != null)) {
                outputs.add(new Output(aggregate, sparkName(aggregate, value, distinct)));
            }
        }
        return outputs;
    }

    /** The name Spark gives an aggregate without an alias. */
    static String sparkName(Aggregate aggregate, String value, String distinct) {
        return switch (aggregate) {
            case COUNT -> "count";
            case SUM -> "sum(" + value + ")";
            case AVG -> "avg(" + value + ")";
            case MIN -> "min(" + value + ")";
            case MAX -> "max(" + value + ")";
            case COUNT_DISTINCT -> "count(DISTINCT " + distinct + ")";
        };
    }

    /** The same query showing these aggregates, named so. */
    public WindowQuery withOutputs(Output... outputs) {
        return new WindowQuery(window, keys, value, integralValue, distinct, watermark, List.of(outputs));
    }

    /** True when the output is named as Spark names it without an alias. */
    boolean hasDefaultName(Output output) {
        return output.name().equals(sparkName(output.aggregate(), value, distinct));
    }

    public boolean hasValue() {
        return value != null;
    }

    public boolean hasDistinct() {
        return distinct != null;
    }

    /** Result columns, named as Spark names them. */
    public List<String> columns() {
        List<String> columns = new ArrayList<>(List.of("window_start", "window_end"));
        columns.addAll(keys);
        outputs.forEach(output -> columns.add(output.name()));
        return columns;
    }

    /**
     * The result's column types, as Spark types them: window bounds timestamps, keys strings, count and
     * count(DISTINCT) bigint, avg double, sum/min/max bigint over a whole-number column, else double.
     */
    public RowSchema schema() {
        List<RowSchema.Column> columns = new ArrayList<>(List.of(
                RowSchema.Column.nullable("window_start", RowSchema.Type.TIMESTAMP),
                RowSchema.Column.nullable("window_end", RowSchema.Type.TIMESTAMP)));
        keys.forEach(key -> columns.add(RowSchema.Column.nullable(key, RowSchema.Type.STRING)));
        for (Output output : outputs) {
            RowSchema.Type type = switch (output.aggregate()) {
                case COUNT, COUNT_DISTINCT -> RowSchema.Type.LONG;
                case AVG -> RowSchema.Type.DOUBLE;
                case SUM, MIN, MAX -> integralValue ? RowSchema.Type.LONG : RowSchema.Type.DOUBLE;
            };
            columns.add(RowSchema.Column.nullable(output.name(), type));
        }
        return new RowSchema(columns);
    }

    public List<String> keyValues(String key) {
        if (keys.isEmpty()) {
            return List.of();
        }
        return Arrays.asList(key.split(KEY_SEPARATOR, -1));
    }

    /** A late row as JSON, for the late-row output. */
    public String describe(Measurement row) {
        StringBuilder json = new StringBuilder("{\"event_time\":").append(Json.quote(Timestamps.display(row.eventTime())));
        List<String> keyValues = keyValues(row.key());
        for (int i = 0; i < keys.size(); i++) {
            json.append(',').append(Json.quote(keys.get(i))).append(':').append(Json.quote(keyValues.get(i)));
        }
        if (hasValue()) {
            json.append(',').append(Json.quote(value)).append(':').append(Cells.number(row.value(), integralValue));
        }
        if (hasDistinct() && !keys.contains(distinct)) {
            json.append(',').append(Json.quote(distinct)).append(':').append(Json.quote(row.distinct()));
        }
        return json.append('}').toString();
    }
}
