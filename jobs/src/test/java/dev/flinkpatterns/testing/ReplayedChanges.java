package dev.flinkpatterns.testing;

import dev.flinkpatterns.table.Change;
import java.util.List;
import java.util.TreeMap;
import java.util.function.LongFunction;

/** What a result table must hold at the end: its changes replayed in order, once each (for exactly-once tests). */
public final class ReplayedChanges {

    private ReplayedChanges() {}

    /** Change i of a keyed table: key k(i mod 500); every 7th change deletes its row, the others set it to (i, i*i). */
    public static Change numbered(long i) {
        String key = "k" + String.format("%03d", i % 500);
        return i % 7 == 6 ? Change.delete(key) : Change.of(key, i, i * i);
    }

    /** The rows left by changes {@code change(0) .. change(count - 1)}: key to cells, sorted by key. */
    public static TreeMap<String, List<Object>> table(LongFunction<Change> change, long count) {
        TreeMap<String, List<Object>> table = new TreeMap<>();
        for (long i = 0; i < count; i++) {
            Change next = change.apply(i);
            if (next.isDelete()) {
                table.remove(next.key());
            } else {
                table.put(next.key(), next.cells());
            }
        }
        return table;
    }
}
