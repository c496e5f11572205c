package dev.flinkpatterns.patterns.sessions;

import org.apache.flink.table.annotation.ArgumentHint;
import org.apache.flink.table.annotation.ArgumentTrait;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.StateHint;
import org.apache.flink.table.api.dataview.MapView;
import org.apache.flink.table.functions.ProcessTableFunction;
import org.apache.flink.types.Row;
import org.apache.flink.util.TimeUtils;

/**
 * {@link SessionTracker}'s event-time timeout as a Flink 2.2 process table function, called from SQL with
 * {@code TABLE events PARTITION BY <key>}, {@code on_time => DESCRIPTOR(<time>)} and {@code timeout => '5 min'}:
 * the same session (value state) and count per event type (map state), one named event-time timer at the last event
 * time plus the timeout, moved on by every row; when it fires, the session's row and the state cleared. The output is
 * the key (the partition column), the columns below, then {@code rowtime} (the timer's time). Flink 2.2's PTFs have
 * no processing-time timers, hence no {@code ProcessingTimeTimeout}.
 */
@DataTypeHint("ROW<session_start BIGINT, session_end BIGINT, `rows` BIGINT, events STRING>")
public class SessionsFunction extends ProcessTableFunction<Row> {

    private static final String TIMEOUT_TIMER = "timeout";

    /** The input column whose values a session counts, or null: it counts none. */
    private final String countedColumn;

    /** The open session (epoch milliseconds): public fields, persisted after every call, cleared with all null. */
    public static class Session {
        public Long start;
        public Long last;
        public Long rows;
    }

    private transient String timeoutText;
    private transient long timeoutMillis;

    public SessionsFunction(String countedColumn) {
        this.countedColumn = countedColumn;
    }

    public void eval(Context ctx,
            @StateHint(name = "session") Session session,
            @StateHint(name = "event_counts", type = @DataTypeHint("MAP<STRING, BIGINT>")) MapView<String, Long> eventCounts,
            @ArgumentHint(name = "input", value = {ArgumentTrait.SET_SEMANTIC_TABLE, ArgumentTrait.REQUIRE_ON_TIME})
                    Row input,
            @ArgumentHint(name = "timeout") String timeout) throws Exception {
        TimeContext<Long> time = ctx.timeContext(Long.class);
        long now = time.time();
        if (session.rows == null) {
            session.start = now;
            session.last = now;
            session.rows = 0L;
        }
        session.start = Math.min(session.start, now);
        session.last = Math.max(session.last, now);
        session.rows++;
        if (countedColumn != null) {
            String type = input.getFieldAs(countedColumn);
            Long count = eventCounts.get(type);
            eventCounts.put(type, count == null ? 1 : count + 1);
        }
        // A named timer: registering it again moves it, as the tracker deletes its timer and registers the new one.
        time.registerOnTime(TIMEOUT_TIMER, session.last + timeoutMillis(timeout));
    }

    /** The timeout as Flink's durations read it ({@code 5 min}, {@code 90 s}): a text, as Flink 2.2 takes no INTERVAL here. */
    private long timeoutMillis(String text) {
        if (!text.equals(timeoutText)) {
            timeoutMillis = TimeUtils.parseDuration(text).toMillis();
            timeoutText = text;
        }
        return timeoutMillis;
    }

    public void onTimer(OnTimerContext ctx, Session session, MapView<String, Long> eventCounts) throws Exception {
        collect(Row.of(session.start, session.last, session.rows, SessionTracker.describeCounts(eventCounts.entries())));
        ctx.clearAll();
    }
}
