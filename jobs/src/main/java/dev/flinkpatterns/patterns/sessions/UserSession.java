package dev.flinkpatterns.patterns.sessions;

import dev.flinkpatterns.table.SortKeys;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.table.Change;

/**
 * A finished session of one user: first and last event time, how many rows, and the count of each event type
 * ({@code login=1, view=3}, sorted by type).
 */
public record UserSession(int userId, long start, long end, long rows, String events) {

    /** {@code duration} is text ({@code 0:02:30}), as the guide formats it; {@code rows} a count. */
    public static final RowSchema SCHEMA = RowSchema.of(
            RowSchema.Column.nullable("user_id", RowSchema.Type.INT),
            RowSchema.Column.nullable("session_start", RowSchema.Type.TIMESTAMP),
            RowSchema.Column.nullable("session_end", RowSchema.Type.TIMESTAMP),
            RowSchema.Column.nullable("duration", RowSchema.Type.STRING),
            RowSchema.Column.nullable("rows", RowSchema.Type.LONG),
            RowSchema.Column.nullable("events", RowSchema.Type.STRING));

    /** A result row, ordered by session start, then user. */
    public Change toRow() {
        return Change.of(SortKeys.zeroPadded(start, 19) + "/" + SortKeys.zeroPadded(userId, 10),
                userId, RowSchema.toTime(start), RowSchema.toTime(end), duration(end - start), rows, events);
    }

    /** {@code 0:02:30}, with milliseconds when there are some ({@code 0:00:01.250}). */
    static String duration(long millis) {
        long seconds = millis / 1000;
        String text = String.format("%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
        return millis % 1000 == 0 ? text : text + String.format(".%03d", millis % 1000);
    }
}
