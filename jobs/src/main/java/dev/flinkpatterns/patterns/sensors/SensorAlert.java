package dev.flinkpatterns.patterns.sensors;

import dev.flinkpatterns.table.SortKeys;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.table.Change;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A row of the sensor-alerts result: a hot reading, one row per tag. {@code key} orders the rows (the line's
 * position, then the tag's ordinal: 1, 2, ... or 0 for a reading without tags).
 */
public record SensorAlert(
        String key,
        String sensorId,
        String deviceId,
        String building,
        String timestamp,
        double temperature,
        double tempFahrenheit,
        String severity,
        String tag,
        long processedAt) {

    public static final RowSchema SCHEMA = RowSchema.of(
            RowSchema.Column.nullable("sensor_id", RowSchema.Type.STRING),
            RowSchema.Column.nullable("device_id", RowSchema.Type.STRING),
            RowSchema.Column.nullable("building", RowSchema.Type.STRING),
            RowSchema.Column.nullable("timestamp", RowSchema.Type.STRING),
            RowSchema.Column.nullable("temperature", RowSchema.Type.DOUBLE),
            RowSchema.Column.nullable("temp_fahrenheit", RowSchema.Type.DOUBLE),
            RowSchema.Column.nullable("severity", RowSchema.Type.STRING),
            RowSchema.Column.nullable("tag", RowSchema.Type.STRING),
            RowSchema.Column.nullable("processed_at", RowSchema.Type.TIMESTAMP));

    public static String key(String origin, int tagOrdinal) {
        return origin + '\u0000' + SortKeys.zeroPadded(tagOrdinal, 6);
    }

    /**
     * {@code temperature * 9 / 5 + 32}, rounded to 2 decimals half up, as SQL's {@code ROUND(x, 2)} (and Spark's
     * {@code round}) does: the raw double would show 101.3 as 214.33999999999997.
     */
    public static double fahrenheit(double temperature) {
        return BigDecimal.valueOf(temperature * 9 / 5 + 32).setScale(2, RoundingMode.HALF_UP).doubleValue();
    }

    /** The row with its typed values; processed_at a UTC wall-clock time. */
    public Change toChange() {
        return Change.of(key, sensorId, deviceId, building, timestamp, temperature, tempFahrenheit, severity, tag,
                RowSchema.toTime(processedAt));
    }
}
