package dev.flinkpatterns.table;

import java.util.ArrayList;
import java.util.List;

/**
 * Spark's console sink, to the character: the {@code Batch: N} banner and {@code Dataset.show()}'s table
 * (cells right-aligned and cut to {@code truncate} characters with {@code ...}, or left-aligned and whole
 * when truncate is 0, columns at least 3 wide, at most {@code numRows} rows then "only showing top N rows").
 */
public final class ConsoleTable {

    public static final int DEFAULT_NUM_ROWS = 20;
    public static final int DEFAULT_TRUNCATE = 20;
    static final String BANNER_LINE = "-------------------------------------------";

    private ConsoleTable() {}

    /** What Spark's console sink prints for one batch, including the blank line that follows it. */
    public static String render(ResultBatch batch, int numRows, int truncate) {
        return BANNER_LINE + "\nBatch: " + batch.batchId() + "\n" + BANNER_LINE + "\n"
                + show(batch.columns(), batch.rows(), numRows, truncate) + "\n";
    }

    /** {@code Dataset.showString(numRows, truncate)}: truncate 0 keeps whole values. */
    public static String show(List<String> columns, List<List<String>> rows, int numRows, int truncate) {
        boolean hasMoreRows = rows.size() > numRows;
        List<List<String>> cells = new ArrayList<>();
        cells.add(cut(columns, truncate));
        for (List<String> row : rows.subList(0, Math.min(numRows, rows.size()))) {
            cells.add(cut(row, truncate));
        }
        int[] widths = new int[columns.size()];
        java.util.Arrays.fill(widths, 3);
        for (List<String> row : cells) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row.get(i).codePointCount(0, row.get(i).length()));
            }
        }
        StringBuilder out = new StringBuilder();
        String separator = separator(widths);
        out.append(separator);
        appendRow(out, cells.get(0), widths, truncate > 0);
        out.append(separator);
        for (List<String> row : cells.subList(1, cells.size())) {
            appendRow(out, row, widths, truncate > 0);
        }
        out.append(separator);
        if (hasMoreRows) {
            out.append("only showing top ").append(numRows).append(numRows == 1 ? " row\n" : " rows\n");
        }
        return out.toString();
    }

    private static List<String> cut(List<String> row, int truncate) {
        List<String> cut = new ArrayList<>(row.size());
        for (String value : row) {
            String text = value == null ? "null" : value;
            if (truncate > 0 && text.length() > truncate) {
                text = truncate < 4 ? text.substring(0, truncate) : text.substring(0, truncate - 3) + "...";
            }
            cut.add(text);
        }
        return cut;
    }

    private static String separator(int[] widths) {
        StringBuilder line = new StringBuilder("+");
        for (int width : widths) {
            line.append("-".repeat(width)).append('+');
        }
        return line.append('\n').toString();
    }

    private static void appendRow(StringBuilder out, List<String> row, int[] widths, boolean alignRight) {
        out.append('|');
        for (int i = 0; i < widths.length; i++) {
            String value = row.get(i);
            String padding = " ".repeat(widths[i] - value.codePointCount(0, value.length()));
            out.append(alignRight ? padding + value : value + padding).append('|');
        }
        out.append('\n');
    }
}
