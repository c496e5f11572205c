package dev.flinkpatterns.patterns.sessions;

import dev.flinkpatterns.patterns.csv.Event;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Spark's {@code flatMapGroupsWithState} with a {@code GroupStateTimeout}, keyed by user: running state per
 * user (session start, last event time, rows, a count per event type), and when the user has been quiet for
 * the timeout, one {@link UserSession} row and the state cleared. A row's time is its event-time timestamp; the
 * rows are the event files' {@link Event}s keyed by user, or the user's own rows keyed by any column.
 *
 * <p>Event time: one timer at the last event time plus the timeout; the watermark decides, and the
 * end-of-input watermark closes every open session. Processing time: a timer at arrival plus the timeout,
 * moved on by every row; and, registered deliberately, an event-time timer at {@code Long.MAX_VALUE}, which
 * only the end of a bounded input reaches, so open sessions are emitted then instead of being lost. Timers are
 * checkpointed with the state: a session restored after any downtime is emitted when its timeout fires, at once if
 * it is already due.
 */
public final class SessionTracker<K, T> extends KeyedProcessFunction<K, T, UserSession<K>> {

    private static final long END_OF_INPUT = Long.MAX_VALUE;

    private final long timeout;
    private final TimeoutKind kind;
    /** The value a row counts under (its event type), or null: the session counts no values. */
    private final EventType<T> eventType;
    /** A key's open session, also read back from checkpoints by {@code ./patterns state show}. */
    public static ValueStateDescriptor<Session> sessionState() {
        return new ValueStateDescriptor<>("session", TypeInformation.of(Session.class));
    }

    /** A key's count per event type. */
    public static MapStateDescriptor<String, Long> eventCountsState() {
        return new MapStateDescriptor<>("event-counts", Types.STRING, Types.LONG);
    }

    private transient ValueState<Session> session;
    private transient MapState<String, Long> eventCounts;

    /** The open session of a user; {@code timer} is the timeout timer now registered. */
    public record Session(long start, long last, long rows, long timer) {}

    /** What a row counts under in its session ({@code login}, {@code view}). */
    @FunctionalInterface
    public interface EventType<T> extends Serializable {
        String of(T row);
    }

    /** Sessions of the event files' users, counting their {@code event} column. */
    public static SessionTracker<Integer, Event> ofEvents(Duration timeout, TimeoutKind kind) {
        return new SessionTracker<>(timeout, kind, Event::event);
    }

    public SessionTracker(Duration timeout, TimeoutKind kind, EventType<T> eventType) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("--timeout must be positive, got " + timeout);
        }
        this.timeout = timeout.toMillis();
        this.kind = kind;
        this.eventType = eventType;
    }

    @Override
    public void open(OpenContext openContext) {
        // No state TTL: it runs on the wall clock, so after a downtime it would drop a restored session before its
        // timer (restored with it, and due at once) could emit it. Every session has a timer that clears it.
        session = getRuntimeContext().getState(sessionState());
        eventCounts = getRuntimeContext().getMapState(eventCountsState());
    }

    @Override
    public void processElement(T row, Context ctx, Collector<UserSession<K>> out) throws Exception {
        TimerService timers = ctx.timerService();
        Session current = session.value();
        long time = ctx.timestamp();
        if (current == null) {
            eventCounts.clear();
            current = new Session(time, time, 0, Long.MIN_VALUE);
            if (kind == TimeoutKind.PROCESSING) {
                timers.registerEventTimeTimer(END_OF_INPUT);
            }
        }
        long last = Math.max(current.last(), time);
        long timer = kind == TimeoutKind.EVENT ? last + timeout : timers.currentProcessingTime() + timeout;
        if (timer != current.timer()) {
            if (current.timer() != Long.MIN_VALUE) {
                deleteTimeoutTimer(timers, current.timer());
            }
            if (kind == TimeoutKind.EVENT) {
                timers.registerEventTimeTimer(timer);
            } else {
                timers.registerProcessingTimeTimer(timer);
            }
        }
        session.update(new Session(Math.min(current.start(), time), last, current.rows() + 1, timer));
        if (eventType != null) {
            String type = eventType.of(row);
            Long count = eventCounts.get(type);
            eventCounts.put(type, count == null ? 1 : count + 1);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<UserSession<K>> out) throws Exception {
        Session ended = session.value();
        if (ended == null) {
            return;
        }
        if (kind == TimeoutKind.PROCESSING) {
            // Whichever fired first, the other timer has nothing left to close.
            if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
                ctx.timerService().deleteEventTimeTimer(END_OF_INPUT);
            } else {
                ctx.timerService().deleteProcessingTimeTimer(ended.timer());
            }
        }
        out.collect(new UserSession<>(ctx.getCurrentKey(), ended.start(), ended.last(), ended.rows(),
                describeCounts(eventCounts.entries())));
        session.clear();
        eventCounts.clear();
    }

    private void deleteTimeoutTimer(TimerService timers, long timer) {
        if (kind == TimeoutKind.EVENT) {
            timers.deleteEventTimeTimer(timer);
        } else {
            timers.deleteProcessingTimeTimer(timer);
        }
    }

    /**
     * {@code login=1, view=3}: a session's count per event type, sorted by type (also for the SQL variant's
     * {@link SessionsFunction} and ./patterns state show).
     */
    public static String describeCounts(Iterable<Map.Entry<String, Long>> eventCounts) {
        Map<String, Long> sorted = new TreeMap<>();
        for (Map.Entry<String, Long> count : eventCounts) {
            sorted.put(count.getKey(), count.getValue());
        }
        StringJoiner text = new StringJoiner(", ");
        sorted.forEach((event, count) -> text.add(event + "=" + count));
        return text.toString();
    }
}
