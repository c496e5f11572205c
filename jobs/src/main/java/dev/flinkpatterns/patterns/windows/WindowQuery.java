package dev.flinkpatterns.patterns.windows;

import dev.flinkpatterns.io.Json;
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
 */
public record WindowQuery(WindowSpec window, List<String> keys, String value, boolean integralValue, String distinct,
        WatermarkSettings watermark) implements Serializable {

    /** Joins key columns into one key; a character no dataset value contains. */
    public static final String KEY_SEPARATOR = "\u001f";

    public WindowQuery {
        keys = List.copyOf(keys);
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
        columns.add("count");
        if (hasValue()) {
            columns.addAll(List.of("sum(" + value + ")", "avg(" + value + ")", "min(" + value + ")", "max(" + value + ")"));
        }
        if (hasDistinct()) {
            columns.add("count(DISTINCT " + distinct + ")");
        }
        return columns;
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
