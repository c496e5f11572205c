package dev.flinkpatterns.patterns.twstate;

import dev.flinkpatterns.patterns.csv.Event;
import dev.flinkpatterns.patterns.sessions.TimeoutKind;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Spark 4's {@code StatefulProcessor} of {@code transformWithState} as a {@link KeyedProcessFunction} keyed by user:
 * a value state (the user's running count, from its {@link InitialCounts}), a list state (its last events), a map
 * state (a count per event type), the list and map with a state TTL, and a timer: in event time at the last event
 * time plus the gap (the watermark passes it), in processing time at the last event's arrival plus the gap. When it
 * fires, the user has been inactive, a {@link UserActivity.Summary} is emitted and the session's list and map are
 * cleared (the running count stays).
 */
public final class ActivityTracker extends KeyedProcessFunction<Integer, Event, UserActivity.Summary> {

    /** Only the end of a bounded input brings the watermark here: with processing time, the last summaries then. */
    private static final long END_OF_INPUT = Long.MAX_VALUE;

    private final long gap;
    private final int keep;
    private final InitialCounts initial;
    private final TimeoutKind clock;
    private transient ValueState<Long> totalEvents;
    private transient ValueState<Long> lastEventTime;
    private transient ListState<String> lastEvents;
    private transient MapState<String, Long> sessionEvents;
    /** Processing time: when the user's timer fires (wall clock), to move it on the next event. */
    private transient ValueState<Long> processingTimer;

    /**
     * {@code clock}: Spark's {@code TimeMode}, which timer ends a session: event time (the watermark passes the last
     * event time plus the gap) or processing time (no event for the gap of wall-clock time).
     */
    public ActivityTracker(java.time.Duration gap, int keep, InitialCounts initial, TimeoutKind clock) {
        this.gap = gap.toMillis();
        this.keep = keep;
        this.initial = initial;
        this.clock = clock;
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
        processingTimer = getRuntimeContext().getState(new ValueStateDescriptor<>("processing-timer", Types.LONG));
    }

    @Override
    public void processElement(Event event, Context ctx, Collector<UserActivity.Summary> out) throws Exception {
        Long total = totalEvents.value();
        totalEvents.update((total == null ? initial.of(ctx.getCurrentKey()) : total) + 1);
        lastEvents.update(UserActivity.keepLast(lastEvents.get(), event.event(), keep));
        Long count = sessionEvents.get(event.event());
        sessionEvents.put(event.event(), count == null ? 1 : count + 1);

        Long last = lastEventTime.value();
        long newest = last == null ? event.eventTime() : Math.max(last, event.eventTime());
        lastEventTime.update(newest);
        if (clock == TimeoutKind.PROCESSING) {
            Long timer = processingTimer.value();
            if (timer == null) {
                ctx.timerService().registerEventTimeTimer(END_OF_INPUT);
            } else {
                ctx.timerService().deleteProcessingTimeTimer(timer);
            }
            long next = ctx.timerService().currentProcessingTime() + gap;
            ctx.timerService().registerProcessingTimeTimer(next);
            processingTimer.update(next);
        } else if (last == null || newest != last) {
            if (last != null) {
                ctx.timerService().deleteEventTimeTimer(last + gap);
            }
            ctx.timerService().registerEventTimeTimer(newest + gap);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<UserActivity.Summary> out) throws Exception {
        Long last = lastEventTime.value();
        if (clock == TimeoutKind.PROCESSING) {
            // Whichever fired first, the other has nothing left to end.
            if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
                ctx.timerService().deleteEventTimeTimer(END_OF_INPUT);
            } else {
                ctx.timerService().deleteProcessingTimeTimer(processingTimer.value());
            }
            processingTimer.clear();
        }
        out.collect(new UserActivity.Summary(ctx.getCurrentKey(), last, totalEvents.value(),
                UserActivity.describeCounts(sessionEvents.entries()), UserActivity.describeEvents(lastEvents.get())));
        lastEventTime.clear();
        lastEvents.clear();
        sessionEvents.clear();
    }
}
