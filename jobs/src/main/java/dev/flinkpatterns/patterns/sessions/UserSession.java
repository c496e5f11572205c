package dev.flinkpatterns.patterns.sessions;

import dev.flinkpatterns.table.SortKeys;
import dev.flinkpatterns.parse.Timestamps;
import dev.flinkpatterns.table.Change;
import java.util.List;

/**
 * A finished session of one user: first and last event time, how many rows, and the count of each event type
 * ({@code login=1, view=3}, sorted by type).
 */
public record UserSession(int userId, long start, long end, long rows, String events) {

    public static final List<String> COLUMNS = List.of("user_id", "session_start", "session_end", "duration", "rows", "events");

    /** A result row, ordered by session start, then user. */
    public Change toRow() {
        return Change.of(SortKeys.zeroPadded(start, 19) + "/" + SortKeys.zeroPadded(userId, 10),
                userId, Timestamps.display(start), Timestamps.display(end), duration(end - start), rows, events);
    }

    /** {@code 0:02:30}, with milliseconds when there are some ({@code 0:00:01.250}). */
    static String duration(long millis) {
        long seconds = millis / 1000;
        String text = String.format("%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
        return millis % 1000 == 0 ? text : text + String.format(".%03d", millis % 1000);
    }
}
