package dev.flinkpatterns.patterns.twstate;

import org.apache.flink.table.annotation.ArgumentHint;
import org.apache.flink.table.annotation.ArgumentTrait;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.StateHint;
import org.apache.flink.table.api.dataview.ListView;
import org.apache.flink.table.api.dataview.MapView;
import org.apache.flink.table.functions.ProcessTableFunction;
import org.apache.flink.types.Row;

/**
 * {@link ActivityTracker} as a Flink 2.2 process table function, called from SQL with
 * {@code TABLE events PARTITION BY user_id} and {@code on_time => DESCRIPTOR(event_time)}: the same value, list and
 * map state (the list and map with the same TTL), the same event-time timer (a named one, replaced by every event),
 * the same rows. The output is {@code user_id} (the partition key), the columns below, then {@code rowtime}.
 */
@DataTypeHint("ROW<inactive_since BIGINT, total_events BIGINT, session_events STRING, last_events STRING>")
public class UserActivityFunction extends ProcessTableFunction<Row> {

    private static final String INACTIVE = "inactive";

    private final long gap;
    private final int keep;
    private final InitialCounts initial;

    /** The value state: public fields, persisted after every call. */
    public static class UserState {
        public Long totalEvents;
        public Long lastEventTime;
    }

    public UserActivityFunction(java.time.Duration gap, int keep, InitialCounts initial) {
        this.gap = gap.toMillis();
        this.keep = keep;
        this.initial = initial;
    }

    public void eval(Context ctx,
            @StateHint(name = "user") UserState user,
            @StateHint(name = "last_events", ttl = UserActivity.SESSION_STATE_TTL_TEXT,
                    type = @DataTypeHint("ARRAY<STRING>")) ListView<String> lastEvents,
            @StateHint(name = "session_events", ttl = UserActivity.SESSION_STATE_TTL_TEXT,
                    type = @DataTypeHint("MAP<STRING, BIGINT>")) MapView<String, Long> sessionEvents,
            @ArgumentHint(name = "input", value = {ArgumentTrait.SET_SEMANTIC_TABLE, ArgumentTrait.REQUIRE_ON_TIME})
                    Row input) throws Exception {
        int userId = input.<Integer>getFieldAs("user_id");
        String event = input.getFieldAs("event");
        user.totalEvents = (user.totalEvents == null ? initial.of(userId) : user.totalEvents) + 1;
        var kept = UserActivity.keepLast(lastEvents.get(), event, keep);
        lastEvents.clear();
        lastEvents.addAll(kept);
        Long count = sessionEvents.get(event);
        sessionEvents.put(event, count == null ? 1 : count + 1);

        TimeContext<Long> time = ctx.timeContext(Long.class);
        long newest = user.lastEventTime == null ? time.time() : Math.max(user.lastEventTime, time.time());
        user.lastEventTime = newest;
        // A named timer: registering it again moves it, as the DataStream variant deletes and registers.
        time.registerOnTime(INACTIVE, newest + gap);
    }

    public void onTimer(OnTimerContext ctx, UserState user, ListView<String> lastEvents,
            MapView<String, Long> sessionEvents) throws Exception {
        collect(Row.of(user.lastEventTime, user.totalEvents, UserActivity.describeCounts(sessionEvents.entries()),
                UserActivity.describeEvents(lastEvents.get())));
        user.lastEventTime = null;
        lastEvents.clear();
        sessionEvents.clear();
    }
}
