package dev.flinkpatterns.patterns.twstate;

import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.table.SortKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * What both implementations of {@code transform-with-state} keep per user and emit, so that the DataStream and the
 * process-table-function variants share one definition: the rows and how the state turns into them.
 */
public final class UserActivity {

    /**
     * The TTL of the per-session list and map state (wall clock, as Spark's TTL): a fixed constant because a PTF
     * declares it in an annotation ({@code @StateHint(ttl = "1 h")}); keep the two equal.
     */
    public static final Duration SESSION_STATE_TTL = Duration.ofHours(1);
    static final String SESSION_STATE_TTL_TEXT = "1 h";

    /** A summary when a user went inactive: the row of {@link #SUMMARY_SCHEMA}. */
    public record Summary(int userId, long lastEventTime, long totalEvents, String events, String lastEvents) {
        Change toRow() {
            return Change.of(SortKeys.zeroPadded(lastEventTime, 19) + "/" + SortKeys.zeroPadded(userId, 10), userId,
                    RowSchema.toTime(lastEventTime), totalEvents, events, lastEvents);
        }
    }

    /** The count of a user after one of its events: the row of {@link #RUNNING_COUNT_SCHEMA}, upserted by user. */
    public record RunningCount(int userId, long count) {
        Change toRow() {
            return Change.of(SortKeys.zeroPadded(userId, 10), userId, count);
        }
    }

    public static final RowSchema SUMMARY_SCHEMA = new RowSchema(List.of(
            RowSchema.Column.nullable("user_id", RowSchema.Type.INT),
            RowSchema.Column.nullable("inactive_since", RowSchema.Type.TIMESTAMP),
            RowSchema.Column.nullable("total_events", RowSchema.Type.LONG),
            RowSchema.Column.nullable("session_events", RowSchema.Type.STRING),
            RowSchema.Column.nullable("last_events", RowSchema.Type.STRING)));

    public static final RowSchema RUNNING_COUNT_SCHEMA = new RowSchema(List.of(
            RowSchema.Column.nullable("user_id", RowSchema.Type.INT),
            RowSchema.Column.nullable("count", RowSchema.Type.LONG)));

    private UserActivity() {}

    /** The count per event type, sorted by type: {@code login=1, view=2}. */
    static String describeCounts(Iterable<Map.Entry<String, Long>> counts) {
        Map<String, Long> sorted = new TreeMap<>();
        counts.forEach(count -> sorted.put(count.getKey(), count.getValue()));
        StringJoiner text = new StringJoiner(", ");
        sorted.forEach((event, count) -> text.add(event + "=" + count));
        return text.toString();
    }

    /** The last {@code keep} of {@code events} after {@code event}, oldest first. */
    static List<String> keepLast(Iterable<String> events, String event, int keep) {
        List<String> kept = new ArrayList<>();
        events.forEach(kept::add);
        kept.add(event);
        return new ArrayList<>(kept.subList(Math.max(0, kept.size() - keep), kept.size()));
    }

    static String describeEvents(Iterable<String> events) {
        return String.join(", ", events);
    }
}
