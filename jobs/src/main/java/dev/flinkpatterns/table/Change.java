package dev.flinkpatterns.table;

import java.util.List;

/**
 * A row of a result table, as cells already rendered to text. {@code key} identifies the row: in complete
 * and update mode a later change with the same key replaces it (an upsert); in append mode it orders the
 * rows of a batch (for example file and line). A change without cells deletes its row.
 */
public record Change(String key, List<String> cells) {

    /** The row with this key is gone (a session merged into a longer one): null cells. */
    public static Change delete(String key) {
        return new Change(key, null);
    }

    public boolean isDelete() {
        return cells == null;
    }

    public static Change of(String key, Object... cells) {
        return new Change(key, java.util.Arrays.stream(cells).map(String::valueOf).toList());
    }
}
