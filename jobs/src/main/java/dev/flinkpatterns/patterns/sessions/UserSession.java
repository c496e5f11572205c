package dev.flinkpatterns.patterns.sessions;

import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.table.SortKeys;
import java.util.ArrayList;
import java.util.List;

/**
 * A finished session of one key (a user): first and last event time, how many rows, and the count of each event
 * type ({@code login=1, view=3}, sorted by type).
 */
public record UserSession<K>(K key, long start, long end, long rows, String events) {

    /** The event files' sessions: {@code user_id} INT and the counts of their {@code event} column. */
    public static final RowSchema SCHEMA = schema(RowSchema.Column.nullable("user_id", RowSchema.Type.INT), true);

    /**
     * The result's columns: the key column, the session's bounds, {@code duration} as text ({@code 0:02:30}, as the
     * guide formats it), {@code rows} a count and, when the session counts event types, {@code events}.
     */
    public static RowSchema schema(RowSchema.Column key, boolean countsEvents) {
        List<RowSchema.Column> columns = new ArrayList<>(List.of(key,
                RowSchema.Column.nullable("session_start", RowSchema.Type.TIMESTAMP),
                RowSchema.Column.nullable("session_end", RowSchema.Type.TIMESTAMP),
                RowSchema.Column.nullable("duration", RowSchema.Type.STRING),
                RowSchema.Column.nullable("rows", RowSchema.Type.LONG)));
        if (countsEvents) {
            columns.add(RowSchema.Column.nullable("events", RowSchema.Type.STRING));
        }
        return new RowSchema(columns);
    }

    /**
     * A result row of {@link #schema}, ordered by session start, then by {@code keyOrder}; {@code keyCell} is the key
     * as its column's value.
     */
    public Change toRow(String keyOrder, Object keyCell, boolean countsEvents) {
        String order = SortKeys.zeroPadded(start, 19) + "/" + keyOrder;
        if (!countsEvents) {
            return Change.of(order, keyCell, RowSchema.toTime(start), RowSchema.toTime(end), duration(end - start), rows);
        }
        return Change.of(order, keyCell, RowSchema.toTime(start), RowSchema.toTime(end), duration(end - start), rows, events);
    }

    /** {@code 0:02:30}, with milliseconds when there are some ({@code 0:00:01.250}). */
    static String duration(long millis) {
        long seconds = millis / 1000;
        String text = String.format("%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
        return millis % 1000 == 0 ? text : text + String.format(".%03d", millis % 1000);
    }
}
