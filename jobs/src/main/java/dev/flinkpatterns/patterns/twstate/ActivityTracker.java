package dev.flinkpatterns.patterns.twstate;

import dev.flinkpatterns.patterns.csv.Event;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Spark 4's {@code StatefulProcessor} of {@code transformWithState} as a {@link KeyedProcessFunction} keyed by user:
 * a value state (the user's running count, from its {@link InitialCounts}), a list state (its last events), a map
 * state (a count per event type), the list and map with a state TTL, and an event-time timer at the last event time
 * plus the gap: when the watermark passes it, the user has been inactive, a {@link UserActivity.Summary} is emitted
 * and the session's list and map are cleared (the running count stays).
 */
public final class ActivityTracker extends KeyedProcessFunction<Integer, Event, UserActivity.Summary> {

    private final long gap;
    private final int keep;
    private final InitialCounts initial;
    private transient ValueState<Long> totalEvents;
    private transient ValueState<Long> lastEventTime;
    private transient ListState<String> lastEvents;
    private transient MapState<String, Long> sessionEvents;

    public ActivityTracker(java.time.Duration gap, int keep, InitialCounts initial) {
        this.gap = gap.toMillis();
        this.keep = keep;
        this.initial = initial;
    }

    @Override
    public void open(OpenContext openContext) {
        StateTtlConfig ttl = StateTtlConfig.newBuilder(UserActivity.SESSION_STATE_TTL).build();
        totalEvents = getRuntimeContext().getState(new ValueStateDescriptor<>("total-events", Types.LONG));
        lastEventTime = getRuntimeContext().getState(new ValueStateDescriptor<>("last-event-time", Types.LONG));
        ListStateDescriptor<String> lastEventsDescriptor = new ListStateDescriptor<>("last-events", Types.STRING);
        lastEventsDescriptor.enableTimeToLive(ttl);
        lastEvents = getRuntimeContext().getListState(lastEventsDescriptor);
        MapStateDescriptor<String, Long> sessionEventsDescriptor =
                new MapStateDescriptor<>("session-events", Types.STRING, Types.LONG);
        sessionEventsDescriptor.enableTimeToLive(ttl);
        sessionEvents = getRuntimeContext().getMapState(sessionEventsDescriptor);
    }

    @Override
    public void processElement(Event event, Context ctx, Collector<UserActivity.Summary> out) throws Exception {
        Long total = totalEvents.value();
        totalEvents.update((total == null ? initial.of(ctx.getCurrentKey()) : total) + 1);
        lastEvents.update(UserActivity.keepLast(lastEvents.get(), event.event(), keep));
        Long count = sessionEvents.get(event.event());
        sessionEvents.put(event.event(), count == null ? 1 : count + 1);

        Long last = lastEventTime.value();
        long newest = last == null ? ctx.timestamp() : Math.max(last, ctx.timestamp());
        if (last == null || newest != last) {
            if (last != null) {
                ctx.timerService().deleteEventTimeTimer(last + gap);
            }
            ctx.timerService().registerEventTimeTimer(newest + gap);
            lastEventTime.update(newest);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<UserActivity.Summary> out) throws Exception {
        Long last = lastEventTime.value();
        out.collect(new UserActivity.Summary(ctx.getCurrentKey(), last, totalEvents.value(),
                UserActivity.describeCounts(sessionEvents.entries()), UserActivity.describeEvents(lastEvents.get())));
        lastEventTime.clear();
        lastEvents.clear();
        sessionEvents.clear();
    }
}
