package dev.flinkpatterns.table;

import java.util.List;

/**
 * A row of a result table, as cells already rendered to text. {@code key} identifies the row: in complete
 * and update mode a later change with the same key replaces it (an upsert); in append mode it orders the
 * rows of a batch (for example file and line).
 */
public record Change(String key, List<String> cells) {

    public static Change of(String key, Object... cells) {
        return new Change(key, java.util.Arrays.stream(cells).map(String::valueOf).toList());
    }
}
