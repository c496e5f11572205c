package dev.flinkpatterns.patterns.windows;

/**
 * Numbers as a result table shows them. Doubles print as Spark prints them ({@code 82.4}, {@code 100.0}) after
 * rounding to 6 decimals, so that sums added up in another order (SQL's sliding windows add up slices) show the
 * same digits instead of {@code 180.32000000000002}.
 */
public final class Cells {

    private Cells() {}

    public static String decimal(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "null";
        }
        if (Math.abs(value) >= 1e12) {
            return Double.toString(value);
        }
        return Double.toString(Math.round(value * 1_000_000d) / 1_000_000d);
    }

    /** A value of the aggregated column: whole numbers stay whole ({@code 4950}), others as {@link #decimal}. */
    public static String number(double value, boolean integral) {
        return integral && !Double.isNaN(value) ? Long.toString((long) value) : decimal(value);
    }
}
