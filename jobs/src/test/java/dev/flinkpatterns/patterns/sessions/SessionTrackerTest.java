package dev.flinkpatterns.patterns.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.parse.Timestamps;
import dev.flinkpatterns.patterns.csv.Event;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Session state per user, its timeout timers in both clocks, and that nothing is left once a session is out. */
class SessionTrackerTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final long T0 = millis("2025-07-15T10:00:00");
    private static final long MINUTE = 60_000;

    private static long millis(String timestamp) {
        try {
            return Timestamps.parseMillis(timestamp);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<Integer, Event, UserSession> harness(TimeoutKind kind)
            throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new SessionTracker(TIMEOUT, kind)), Event::userId, Types.INT);
        harness.open();
        return harness;
    }

    /** An event of a user at T0 plus some minutes, with that event time as the record timestamp. */
    private static void push(KeyedOneInputStreamOperatorTestHarness<Integer, Event, UserSession> harness,
            int user, String event, long minutes) throws Exception {
        long time = T0 + minutes * MINUTE;
        harness.processElement(new Event(Timestamps.display(time), user, event, time), time);
    }

    private static List<UserSession> emitted(KeyedOneInputStreamOperatorTestHarness<Integer, Event, UserSession> harness) {
        List<UserSession> sessions = harness.extractOutputValues();
        harness.getOutput().clear();
        return sessions;
    }

    @Test
    void eventTimeSessionsEndWhenTheWatermarkPassesTheLastEventPlusTheTimeout() throws Exception {
        var harness = harness(TimeoutKind.EVENT);
        push(harness, 1, "login", 0);
        push(harness, 1, "view", 3);
        push(harness, 2, "login", 1);
        push(harness, 1, "view", 2); // out of order: counted, the session's end stays at minute 3
        // Per user: the session value and the map of counts (the heap backend counts a map as one entry).
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2 * 2);
        assertThat(harness.numEventTimeTimers()).isEqualTo(2);

        harness.processWatermark(T0 + 6 * MINUTE); // user 2's timeout (minute 6) is reached, user 1's (8) is not
        assertThat(emitted(harness)).containsExactly(new UserSession(2, T0 + MINUTE, T0 + MINUTE, 1, "login=1"));

        push(harness, 1, "purchase", 7); // before the timeout: the session goes on, its timer moves to minute 12
        harness.processWatermark(T0 + 11 * MINUTE);
        assertThat(emitted(harness)).isEmpty();
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        harness.processWatermark(T0 + 12 * MINUTE);
        assertThat(emitted(harness)).containsExactly(
                new UserSession(1, T0, T0 + 7 * MINUTE, 4, "login=1, purchase=1, view=2"));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void theEndOfInputWatermarkClosesOpenEventTimeSessions() throws Exception {
        var harness = harness(TimeoutKind.EVENT);
        push(harness, 3, "view", 0);
        harness.processWatermark(Watermark.MAX_WATERMARK);
        assertThat(emitted(harness)).containsExactly(new UserSession(3, T0, T0, 1, "view=1"));
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void processingTimeSessionsEndAfterTheTimeoutOfWallClockAndEveryRowRearmsIt() throws Exception {
        var harness = harness(TimeoutKind.PROCESSING);
        harness.setProcessingTime(0);
        push(harness, 1, "login", 0);
        push(harness, 2, "view", 30); // event times do not matter here
        // A timeout timer per user, and the end-of-input timer per user.
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(2);
        assertThat(harness.numEventTimeTimers()).isEqualTo(2);

        harness.setProcessingTime(4 * MINUTE);
        push(harness, 1, "view", 1); // re-armed: now at minute 9; the old timer is deleted
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(2);

        harness.setProcessingTime(5 * MINUTE);
        assertThat(emitted(harness)).containsExactly(new UserSession(2, T0 + 30 * MINUTE, T0 + 30 * MINUTE, 1, "view=1"));

        harness.setProcessingTime(9 * MINUTE - 1);
        assertThat(emitted(harness)).isEmpty();
        harness.setProcessingTime(9 * MINUTE);
        assertThat(emitted(harness)).containsExactly(new UserSession(1, T0, T0 + MINUTE, 2, "login=1, view=1"));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void theEndOfABoundedInputFlushesOpenProcessingTimeSessions() throws Exception {
        var harness = harness(TimeoutKind.PROCESSING);
        harness.setProcessingTime(0);
        push(harness, 1, "login", 0);
        push(harness, 1, "logout", 2);
        harness.processWatermark(Watermark.MAX_WATERMARK); // what the end of the files sends
        assertThat(emitted(harness)).containsExactly(new UserSession(1, T0, T0 + 2 * MINUTE, 2, "login=1, logout=1"));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aUserWhoComesBackStartsANewSession() throws Exception {
        var harness = harness(TimeoutKind.EVENT);
        push(harness, 1, "login", 0);
        harness.processWatermark(T0 + 5 * MINUTE);
        push(harness, 1, "view", 20);
        harness.processWatermark(Watermark.MAX_WATERMARK);
        assertThat(emitted(harness)).containsExactly(
                new UserSession(1, T0, T0, 1, "login=1"),
                new UserSession(1, T0 + 20 * MINUTE, T0 + 20 * MINUTE, 1, "view=1"));
    }

    @Test
    void durationsShowHoursMinutesSecondsAndMillisecondsWhenThereAreSome() {
        assertThat(UserSession.duration(150_000)).isEqualTo("0:02:30");
        assertThat(UserSession.duration(3_601_250)).isEqualTo("1:00:01.250");
        assertThat(UserSession.duration(0)).isEqualTo("0:00:00");
    }

    /**
     * The TTL safety net of processing-time sessions (twice the timeout): a session whose timer never ran (state
     * restored without its timers) is freed once the TTL passes, and a row after that starts a new session. Up to
     * then the state is there: TTL never races the timer.
     */
    @Test
    void processingTimeSessionStateExpiresAfterTwiceTheTimeoutShouldItsTimerNeverRun() throws Exception {
        long ttl = 2 * TIMEOUT.toMillis();
        var withinTtl = harness(TimeoutKind.PROCESSING);
        withinTtl.setStateTtlProcessingTime(0);
        push(withinTtl, 1, "login", 0);
        withinTtl.setStateTtlProcessingTime(ttl - 1);
        push(withinTtl, 1, "view", 1); // the same session
        withinTtl.setProcessingTime(Long.MAX_VALUE - 1); // the timeout timer fires
        assertThat(emitted(withinTtl)).containsExactly(new UserSession(1, T0, T0 + MINUTE, 2, "login=1, view=1"));

        var pastTtl = harness(TimeoutKind.PROCESSING);
        pastTtl.setStateTtlProcessingTime(0);
        push(pastTtl, 1, "login", 0);
        pastTtl.setStateTtlProcessingTime(ttl);
        push(pastTtl, 1, "view", 1); // the first session's state expired: a new session
        pastTtl.setProcessingTime(Long.MAX_VALUE - 1);
        assertThat(emitted(pastTtl)).containsExactly(new UserSession(1, T0 + MINUTE, T0 + MINUTE, 1, "view=1"));
    }
}
