package dev.flinkpatterns.patterns.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.parse.Timestamps;
import dev.flinkpatterns.patterns.csv.Event;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
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

    private static KeyedOneInputStreamOperatorTestHarness<Integer, Event, UserSession<Integer>> harness(TimeoutKind kind)
            throws Exception {
        return harness(kind, null);
    }

    /** A harness restored from {@code checkpoint} if given. */
    private static KeyedOneInputStreamOperatorTestHarness<Integer, Event, UserSession<Integer>> harness(TimeoutKind kind,
            OperatorSubtaskState checkpoint) throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(SessionTracker.ofEvents(TIMEOUT, kind)), Event::userId, Types.INT);
        if (checkpoint != null) {
            harness.initializeState(checkpoint);
        }
        harness.open();
        return harness;
    }

    /** An event of a user at T0 plus some minutes, with that event time as the record timestamp. */
    private static void push(KeyedOneInputStreamOperatorTestHarness<Integer, Event, UserSession<Integer>> harness,
            int user, String event, long minutes) throws Exception {
        long time = T0 + minutes * MINUTE;
        harness.processElement(new Event(Timestamps.display(time), user, event, time), time);
    }

    private static List<UserSession<Integer>> emitted(KeyedOneInputStreamOperatorTestHarness<Integer, Event, UserSession<Integer>> harness) {
        List<UserSession<Integer>> sessions = harness.extractOutputValues();
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
        assertThat(emitted(harness)).containsExactly(new UserSession<>(2, T0 + MINUTE, T0 + MINUTE, 1, "login=1"));

        push(harness, 1, "purchase", 7); // before the timeout: the session goes on, its timer moves to minute 12
        harness.processWatermark(T0 + 11 * MINUTE);
        assertThat(emitted(harness)).isEmpty();
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        harness.processWatermark(T0 + 12 * MINUTE);
        assertThat(emitted(harness)).containsExactly(
                new UserSession<>(1, T0, T0 + 7 * MINUTE, 4, "login=1, purchase=1, view=2"));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void theEndOfInputWatermarkClosesOpenEventTimeSessions() throws Exception {
        var harness = harness(TimeoutKind.EVENT);
        push(harness, 3, "view", 0);
        harness.processWatermark(Watermark.MAX_WATERMARK);
        assertThat(emitted(harness)).containsExactly(new UserSession<>(3, T0, T0, 1, "view=1"));
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
        assertThat(emitted(harness)).containsExactly(new UserSession<>(2, T0 + 30 * MINUTE, T0 + 30 * MINUTE, 1, "view=1"));

        harness.setProcessingTime(9 * MINUTE - 1);
        assertThat(emitted(harness)).isEmpty();
        harness.setProcessingTime(9 * MINUTE);
        assertThat(emitted(harness)).containsExactly(new UserSession<>(1, T0, T0 + MINUTE, 2, "login=1, view=1"));
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
        assertThat(emitted(harness)).containsExactly(new UserSession<>(1, T0, T0 + 2 * MINUTE, 2, "login=1, logout=1"));
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
                new UserSession<>(1, T0, T0, 1, "login=1"),
                new UserSession<>(1, T0 + 20 * MINUTE, T0 + 20 * MINUTE, 1, "view=1"));
    }

    @Test
    void durationsShowHoursMinutesSecondsAndMillisecondsWhenThereAreSome() {
        assertThat(UserSession.duration(150_000)).isEqualTo("0:02:30");
        assertThat(UserSession.duration(3_601_250)).isEqualTo("1:00:01.250");
        assertThat(UserSession.duration(0)).isEqualTo("0:00:00");
    }

    /**
     * Issue 13: a processing-time session checkpointed, then restored after a downtime of an hour (twelve timeouts),
     * is closed and emitted by its timeout timer, which fires right after the restore; nothing is dropped silently.
     */
    @Test
    void aProcessingTimeSessionRestoredAfterALongDowntimeIsEmittedByItsTimeout() throws Exception {
        var before = harness(TimeoutKind.PROCESSING, null);
        wallClock(before, 0);
        push(before, 1, "login", 0);
        wallClock(before, MINUTE);
        push(before, 1, "view", 1); // the timeout is now at minute 6
        OperatorSubtaskState checkpoint = before.snapshot(1, MINUTE);
        before.close();

        var after = harness(TimeoutKind.PROCESSING, checkpoint);
        wallClock(after, 60 * MINUTE);
        assertThat(emitted(after)).containsExactly(new UserSession<>(1, T0, T0 + MINUTE, 2, "login=1, view=1"));
        assertThat(after.numKeyedStateEntries()).isZero();
        assertThat(after.numProcessingTimeTimers()).isZero();
        assertThat(after.numEventTimeTimers()).isZero();

        push(after, 1, "view", 70); // the user comes back: a new session
        wallClock(after, 65 * MINUTE);
        assertThat(emitted(after)).containsExactly(new UserSession<>(1, T0 + 70 * MINUTE, T0 + 70 * MINUTE, 1, "view=1"));
    }

    /** The wall clock of a run: the harness keeps one for timers and one for state TTL, and both move. */
    private static void wallClock(KeyedOneInputStreamOperatorTestHarness<Integer, Event, UserSession<Integer>> harness,
            long millis) throws Exception {
        harness.setStateTtlProcessingTime(millis);
        harness.setProcessingTime(millis);
    }
}
