package dev.flinkpatterns.patterns.joins;

import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.parse.Timestamps;
import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.table.SortKeys;
import java.io.Serializable;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.types.Row;

/**
 * A stream-stream join of the guides, as data: two inputs joined on their key columns where the right time lies
 * between the left time plus {@code lowerBound} and plus {@code upperBound}, both inclusive (SQL's BETWEEN).
 *
 * @param generateCommand how to write the input files (named when an input directory is missing)
 */
public record JoinDataset(String name, JoinSide left, JoinSide right, Duration lowerBound, Duration upperBound,
        String generateCommand) implements Serializable {

    public JoinDataset {
        if (lowerBound.compareTo(upperBound) > 0) {
            throw new IllegalArgumentException("lower bound " + lowerBound + " is above upper bound " + upperBound);
        }
    }

    /** The same join over other sides (the user's own files), the right time within {@code upperBound} of the left. */
    public JoinDataset over(JoinSide newLeft, JoinSide newRight, Duration newUpperBound) {
        return new JoinDataset(name, newLeft, newRight, lowerBound, newUpperBound, generateCommand);
    }

    /**
     * Spark's join output: all left columns, then all right columns. A right column named as a left one (Spark
     * shows {@code user_id} twice) is prefixed with its table, as file sinks (Spark's too) refuse duplicate names.
     */
    public List<String> resultColumns() {
        return resultSchema().names();
    }

    /** The result's columns with their types; nullable, as an outer join leaves a side null. */
    public RowSchema resultSchema() {
        List<RowSchema.Column> columns = new ArrayList<>();
        left.schema().columns().forEach(column -> columns.add(column.withNullable(true)));
        for (RowSchema.Column column : right.schema().columns()) {
            String name = left.schema().indexOf(column.name()) >= 0 ? right.table() + "_" + column.name() : column.name();
            columns.add(column.withName(name).withNullable(true));
        }
        return new RowSchema(columns);
    }

    /**
     * One result row, whichever API joined it: either side may be null (an outer row), its cells are then
     * {@code null}. The key orders a batch by left time, left id, right time, right id; a missing side sorts last.
     */
    public Change toChange(Row leftRow, Row rightRow) {
        List<Object> cells = new ArrayList<>(left.schema().size() + right.schema().size());
        addCells(cells, left.schema(), leftRow);
        addCells(cells, right.schema(), rightRow);
        return new Change(sortKey(left, leftRow) + '\u0000' + sortKey(right, rightRow), cells);
    }

    private static void addCells(List<Object> cells, RowSchema schema, Row row) {
        for (int i = 0; i < schema.size(); i++) {
            cells.add(row == null ? null : row.getField(i));
        }
    }

    private static String sortKey(JoinSide side, Row row) {
        return row == null ? "~" : SortKeys.zeroPadded(side.millis(row), 20) + '\u0000' + side.id(row);
    }

    /** The join as Flink SQL over the views {@code left.table()} and {@code right.table()}, as a user would write it. */
    public String sqlText(JoinType type) {
        List<String> resultColumns = resultColumns();
        List<String> select = new ArrayList<>();
        for (JoinSide side : List.of(left, right)) {
            for (String column : side.schema().names()) {
                String resultName = resultColumns.get(select.size());
                // A result leaves SQL with at most one rowtime column: the times become plain timestamps.
                String value = column.equals(side.timeColumn())
                        ? "CAST(" + side.alias() + "." + column + " AS TIMESTAMP_LTZ(3))"
                        : side.alias() + "." + column;
                select.add(value.equals(side.alias() + "." + resultName) ? value : value + " AS " + resultName);
            }
        }
        String l = left.alias() + ".";
        String r = right.alias() + ".";
        return "SELECT " + String.join(", ", select.subList(0, left.schema().size())) + ",\n       "
                + String.join(", ", select.subList(left.schema().size(), select.size()))
                + "\nFROM " + left.table() + " " + left.alias() + " " + type.sql() + " " + right.table() + " " + right.alias()
                + "\n  ON " + l + left.keyColumn() + " = " + r + right.keyColumn()
                + "\n AND " + r + right.timeColumn() + " BETWEEN " + plus(l + left.timeColumn(), lowerBound)
                + " AND " + plus(l + left.timeColumn(), upperBound);
    }

    private static String plus(String time, Duration offset) {
        if (offset.isZero()) {
            return time;
        }
        String sign = offset.isNegative() ? " - " : " + ";
        Duration size = offset.abs();
        if (size.toSeconds() % 3600 == 0 && size.getNano() == 0) {
            return time + sign + "INTERVAL '" + size.toHours() + "' HOUR";
        }
        if (size.toSeconds() % 60 == 0 && size.getNano() == 0) {
            return time + sign + "INTERVAL '" + size.toMinutes() + "' MINUTE";
        }
        return time + sign + "INTERVAL '" + size.toMillis() / 1000.0 + "' SECOND";
    }
}
