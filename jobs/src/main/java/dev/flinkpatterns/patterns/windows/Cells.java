package dev.flinkpatterns.patterns.windows;

/**
 * Aggregated numbers as a result table holds them. Doubles are rounded to 6 decimals, so that sums added up in
 * another order (SQL's sliding windows add up slices) show the same digits instead of {@code 180.32000000000002};
 * Spark prints them as Java does ({@code 82.4}, {@code 100.0}).
 */
public final class Cells {

    private Cells() {}

    /** The value rounded to 6 decimals; null when it is not a number (an average of nothing). */
    public static Double decimal(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return null;
        }
        if (Math.abs(value) >= 1e12) {
            return value;
        }
        return Math.round(value * 1_000_000d) / 1_000_000d;
    }

    /** A value of the aggregated column: whole numbers stay whole (a Long, {@code 4950}), others as {@link #decimal}. */
    public static Object number(double value, boolean integral) {
        return integral && !Double.isNaN(value) ? (Object) (long) value : decimal(value);
    }
}
