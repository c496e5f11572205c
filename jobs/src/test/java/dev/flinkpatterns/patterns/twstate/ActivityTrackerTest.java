package dev.flinkpatterns.patterns.twstate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.parse.Timestamps;
import dev.flinkpatterns.patterns.csv.Event;
import dev.flinkpatterns.patterns.sessions.TimeoutKind;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The tracker's timers in both clocks (Spark's TimeMode), and the session state's TTL (Spark's {@code TTLConfig}): the per-session list and each entry of the map expire a TTL of
 * wall-clock time after they were last written, while the running total (no TTL) stays. The TTL's clock is the
 * harness's.
 */
class ActivityTrackerTest {

    private static final Duration GAP = Duration.ofMinutes(10);
    private static final long T0 = millis("2025-07-15T10:00:00");
    private static final long MINUTE = 60_000;
    private static final long TTL = UserActivity.SESSION_STATE_TTL.toMillis();

    @Test
    void sessionStateWrittenLongerThanTheTtlAgoIsGoneButTheTotalStays() throws Exception {
        try (var harness = harness()) {
            harness.setStateTtlProcessingTime(0);
            push(harness, 1, "login", 0);
            push(harness, 1, "view", 1);
            push(harness, 2, "login", 2);
            // User 2 writes again just inside the TTL; user 1's session state is older than the TTL.
            harness.setStateTtlProcessingTime(TTL - 1);
            push(harness, 2, "view", 3);
            harness.setStateTtlProcessingTime(TTL + 1);
            push(harness, 1, "purchase", 4);

            harness.processWatermark(T0 + 4 * MINUTE + GAP.toMillis());
            assertThat(harness.extractOutputValues()).containsExactly(
                    // The map expires per entry: login (written at 0) is gone, view stays; the list was rewritten
                    // whole at TTL - 1, so it keeps both.
                    new UserActivity.Summary(2, T0 + 3 * MINUTE, 2, "view=1", "login, view"),
                    // Total 3 (no TTL); login and view expired from the map and the list.
                    new UserActivity.Summary(1, T0 + 4 * MINUTE, 3, "purchase=1", "purchase"));
        }
    }

    @Test
    void withinTheTtlNothingExpires() throws Exception {
        try (var harness = harness()) {
            harness.setStateTtlProcessingTime(0);
            push(harness, 1, "login", 0);
            harness.setStateTtlProcessingTime(TTL - 1);
            push(harness, 1, "view", 1);
            harness.processWatermark(T0 + MINUTE + GAP.toMillis());
            assertThat(harness.extractOutputValues()).containsExactly(
                    new UserActivity.Summary(1, T0 + MINUTE, 2, "login=1, view=1", "login, view"));
        }
    }

    @Test
    void aProcessingTimeSessionEndsWhenNoEventCameForTheGapOfWallClockTime() throws Exception {
        try (var harness = harness(TimeoutKind.PROCESSING)) {
            harness.setProcessingTime(0);
            push(harness, 1, "login", 30); // event times do not matter to the timer, only arrival
            push(harness, 2, "login", 0);
            harness.setProcessingTime(GAP.toMillis() - 1);
            push(harness, 1, "view", 1); // user 1's timer moves to 2 * GAP - 1
            assertThat(harness.extractOutputValues()).isEmpty();

            harness.setProcessingTime(GAP.toMillis()); // user 2 was quiet for the gap
            assertThat(harness.extractOutputValues()).containsExactly(
                    new UserActivity.Summary(2, T0, 1, "login=1", "login"));
            harness.getOutput().clear();
            // One timer per user: the moved one, and the end-of-input one (an event-time timer).
            assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
            assertThat(harness.numEventTimeTimers()).isEqualTo(1);

            harness.setProcessingTime(2 * GAP.toMillis() - 1);
            // inactive_since is the newest event time, though the older event came last
            assertThat(harness.extractOutputValues()).containsExactly(
                    new UserActivity.Summary(1, T0 + 30 * MINUTE, 2, "login=1, view=1", "login, view"));
            assertThat(harness.numProcessingTimeTimers()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void theEndOfABoundedInputEndsTheOpenProcessingTimeSessions() throws Exception {
        try (var harness = harness(TimeoutKind.PROCESSING)) {
            harness.setProcessingTime(0);
            push(harness, 1, "login", 0);
            push(harness, 1, "purchase", 2);
            harness.processWatermark(Long.MAX_VALUE);
            assertThat(harness.extractOutputValues()).containsExactly(
                    new UserActivity.Summary(1, T0 + 2 * MINUTE, 2, "login=1, purchase=1", "login, purchase"));
            assertThat(harness.numProcessingTimeTimers()).isZero();
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<Integer, Event, UserActivity.Summary> harness() throws Exception {
        return harness(TimeoutKind.EVENT);
    }

    private static KeyedOneInputStreamOperatorTestHarness<Integer, Event, UserActivity.Summary> harness(TimeoutKind clock)
            throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new ActivityTracker(GAP, 3, InitialCounts.NONE, clock)), Event::userId,
                Types.INT);
        harness.open();
        return harness;
    }

    private static void push(KeyedOneInputStreamOperatorTestHarness<Integer, Event, UserActivity.Summary> harness,
            int user, String event, long minutes) throws Exception {
        long time = T0 + minutes * MINUTE;
        harness.processElement(new Event(Timestamps.display(time), user, event, time), time);
    }

    private static long millis(String timestamp) {
        try {
            return Timestamps.parseMillis(timestamp);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
