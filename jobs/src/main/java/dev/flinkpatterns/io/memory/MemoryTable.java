package dev.flinkpatterns.io.memory;

import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.table.ShownValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The current rows of a result table, kept in this JVM: a change upserts the row of its key, a delete removes it.
 * In complete and update mode that is the whole table; in append mode, where keys are unique, every row so far.
 * Rows come out in key order (the order the console shows them in).
 */
public final class MemoryTable {

    private final String name;
    private final RowSchema schema;
    /** The rows as the console shows them ({@link ShownValues}); the view types them again from {@link #schema}. */
    private final Map<String, List<String>> rowsByKey = new TreeMap<>();
    private boolean fed;

    MemoryTable(String name, RowSchema schema) {
        this.name = name;
        this.schema = schema;
    }

    public String name() {
        return name;
    }

    public List<String> columns() {
        return schema.names();
    }

    public RowSchema schema() {
        return schema;
    }

    /** Applies one change of the result table. */
    public synchronized void apply(Change change) {
        if (change.isDelete()) {
            rowsByKey.remove(change.key());
        } else {
            rowsByKey.put(change.key(), ShownValues.show(change.cells()));
        }
    }

    /** A copy of the rows now by key: what a checkpoint of the sink holds. */
    synchronized Map<String, List<String>> rowsByKey() {
        return new TreeMap<>(rowsByKey);
    }

    /** The table becomes exactly these rows: those of the checkpoint a job restarts from (none: from the start). */
    synchronized void replaceRows(Map<String, List<String>> rows) {
        rowsByKey.clear();
        rowsByKey.putAll(rows);
    }

    /** A copy of the rows now, in key order. */
    public synchronized List<List<String>> rows() {
        return new ArrayList<>(rowsByKey.values());
    }

    synchronized void markFed() {
        fed = true;
    }

    /** True once a sink writer in this JVM has opened the table: false after a run on a remote cluster. */
    public synchronized boolean wasFed() {
        return fed;
    }
}
