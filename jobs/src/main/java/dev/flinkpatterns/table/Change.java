package dev.flinkpatterns.table;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.types.Row;

/**
 * A row of a result table: its values as Java objects of the result's {@link dev.flinkpatterns.io.RowSchema}
 * types (String, Integer, Long, Double, BigDecimal, Boolean, LocalDate, LocalDateTime, or null), by position.
 * {@code key} identifies the row: in complete and update mode a later change with the same key replaces it (an
 * upsert); in append mode it orders the rows of a batch (for example file and line). A change without cells
 * deletes its row.
 */
public record Change(String key, List<Object> cells) {

    /** The row with this key is gone (a session merged into a longer one): null cells. */
    public static Change delete(String key) {
        return new Change(key, null);
    }

    public boolean isDelete() {
        return cells == null;
    }

    /** A Flink row's fields, by position, as a change's cells. */
    public static List<Object> cellsOf(Row row) {
        List<Object> cells = new ArrayList<>(row.getArity());
        for (int i = 0; i < row.getArity(); i++) {
            cells.add(row.getField(i));
        }
        return cells;
    }

    /** A row of these values (nulls allowed). */
    public static Change of(String key, Object... cells) {
        return new Change(key, Arrays.asList(cells));
    }
}
