package dev.flinkpatterns.table;

/** Pieces of row keys that sort as text in numeric order. Built per row, so without {@code String.format}. */
public final class SortKeys {

    private SortKeys() {}

    /** {@code String.format("%0<width>d", value)}: zero-padded to {@code width} characters, a minus sign included. */
    public static String zeroPadded(long value, int width) {
        String digits = Long.toString(Math.abs(value));
        if (value == Long.MIN_VALUE) {
            digits = digits.substring(1);
        }
        int sign = value < 0 ? 1 : 0;
        int padding = width - sign - digits.length();
        if (padding <= 0 && sign == 0) {
            return digits;
        }
        StringBuilder text = new StringBuilder(Math.max(width, digits.length() + sign));
        if (sign == 1) {
            text.append('-');
        }
        for (int i = 0; i < padding; i++) {
            text.append('0');
        }
        return text.append(digits).toString();
    }
}
