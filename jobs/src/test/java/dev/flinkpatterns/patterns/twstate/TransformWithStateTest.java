package dev.flinkpatterns.patterns.twstate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.patterns.sessions.TimeoutKind;
import dev.flinkpatterns.core.Api;
import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.patterns.twstate.TransformWithState.Emit;
import dev.flinkpatterns.run.PatternOutputs;
import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.table.ResultBatch;
import dev.flinkpatterns.testing.Batches;
import dev.flinkpatterns.testing.CapturedRun;
import dev.flinkpatterns.testing.EventTimeInputs;
import dev.flinkpatterns.testing.FlinkTests;
import dev.flinkpatterns.time.LateRows;
import dev.flinkpatterns.time.WatermarkSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * transform-with-state on the MiniCluster (keyed operators at parallelism 2) over user-sessions' hand-written file,
 * with a watermark after every row: the DataStream and the process-table-function variants give the same rows,
 * and those are the rows written here (timers firing when the watermark passes a user's last event + the gap, and at
 * the end of input; the initial counts applied; the late row dropped).
 */
class TransformWithStateTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    /** Users 1 and 3 start from the initial state's counts, user 2 (not in it) from 0. */
    private static final InitialCounts INITIAL = new InitialCounts(Map.of(1, 10L, 3, 5L));

    private static final WatermarkSettings WATERMARK = WatermarkSettings.of(Duration.ofMinutes(1)).emittedOnEveryEvent();

    private static PatternOutputs transform(StreamExecutionEnvironment env, Emit emit, Api api) {
        return transform(env, emit, api, TimeoutKind.EVENT);
    }

    private static PatternOutputs transform(StreamExecutionEnvironment env, Emit emit, Api api, TimeoutKind clock) {
        return TransformWithState.transform(EventTimeInputs.asFile(env, EventTimeInputs.SESSIONS),
                new TransformWithState.Settings(emit, Duration.ofMinutes(5), 3, INITIAL, clock), api,
                clock == TimeoutKind.EVENT ? WATERMARK : WatermarkSettings.NONE,
                emit == Emit.SUMMARY ? OutputMode.APPEND : OutputMode.UPDATE, Trigger.AVAILABLE_NOW);
    }

    private record Summaries(List<ResultBatch> batches, List<LateRows.LateRow> late) {}

    private static Summaries summaries(Api api) throws Exception {
        return summaries(api, TimeoutKind.EVENT);
    }

    private static Summaries summaries(Api api, TimeoutKind clock) throws Exception {
        StreamExecutionEnvironment env = FlinkTests.environment();
        PatternOutputs outputs = transform(env, Emit.SUMMARY, api, clock);
        CloseableIterator<ResultBatch> results = outputs.results().collectAsync();
        CloseableIterator<LateRows.LateRow> lateRows = outputs.lateRows() == null ? null
                : outputs.lateRows().collectAsync();
        JobClient job = env.executeAsync();
        List<ResultBatch> batches = new Batches(results).remaining();
        List<LateRows.LateRow> late = new ArrayList<>();
        if (lateRows != null) {
            lateRows.forEachRemaining(late::add);
        }
        job.getJobExecutionResult().get(60, TimeUnit.SECONDS);
        return new Summaries(batches, late);
    }

    /** Every running count each user had, in the order of its events (users on different subtasks interleave). */
    private static Map<Object, List<Object>> runningCounts(Api api) throws Exception {
        StreamExecutionEnvironment env = FlinkTests.environment();
        CloseableIterator<Change> changes = transform(env, Emit.RUNNING_COUNT, api).table().changes().collectAsync();
        JobClient job = env.executeAsync();
        Map<Object, List<Object>> counts = new TreeMap<>();
        changes.forEachRemaining(change -> counts.computeIfAbsent(change.cells().get(0), user -> new ArrayList<>())
                .add(change.cells().get(1)));
        job.getJobExecutionResult().get(60, TimeUnit.SECONDS);
        return counts;
    }

    @Test
    @Timeout(120)
    void bothApisEmitASummaryWhenAUserHasBeenInactiveForTheGap() throws Exception {
        Summaries dataStream = summaries(Api.DATASTREAM);
        Summaries sql = summaries(Api.SQL);

        // Users 2 and 1 time out when user 3's 10:16 row moves the watermark to 10:14:59.999 (their timers: 10:09,
        // 10:14); the rest when the input ends. Session details are cleared by the timer, the total stays.
        assertThat(dataStream.batches()).containsExactly(new ResultBatch(0,
                List.of("user_id", "inactive_since", "total_events", "session_events", "last_events"), List.of(
                        List.of("2", "2025-07-15 10:04:00", "2", "login=1, purchase=1", "login, purchase"),
                        List.of("1", "2025-07-15 10:09:00", "14", "login=1, purchase=1, view=2", "view, view, purchase"),
                        List.of("3", "2025-07-15 10:16:00", "6", "login=1", "login"),
                        List.of("2", "2025-07-15 10:16:30", "3", "view=1", "view"))));
        assertThat(dataStream.late()).containsExactly(new LateRows.LateRow("2025-07-15 10:02:30",
                "2025-07-15 10:07:59.999", "{\"timestamp\":\"2025-07-15T10:02:30\",\"user_id\":3,\"event\":\"view\"}"));
        assertThat(sql).isEqualTo(dataStream);
    }

    @Test
    @Timeout(120)
    void inProcessingTimeEverySessionOfAShortRunEndsWithTheInputAndNoRowIsLate() throws Exception {
        Summaries summaries = summaries(Api.DATASTREAM, TimeoutKind.PROCESSING);

        // The run lasts seconds, less than the 5-minute gap: the end of the input ends every session. User 3's
        // 10:02:30 row counts (no watermark, nothing late); inactive_since is each user's newest event time.
        assertThat(summaries.batches()).containsExactly(new ResultBatch(0,
                List.of("user_id", "inactive_since", "total_events", "session_events", "last_events"), List.of(
                        List.of("1", "2025-07-15 10:09:00", "14", "login=1, purchase=1, view=2", "view, view, purchase"),
                        List.of("3", "2025-07-15 10:16:00", "7", "login=1, view=1", "view, login"),
                        List.of("2", "2025-07-15 10:16:30", "3", "login=1, purchase=1, view=1",
                                "login, purchase, view"))));
        assertThat(summaries.late()).isEmpty();
    }

    @Test
    @Timeout(120)
    void bothApisCountEveryEventOfAUserFromItsInitialCount() throws Exception {
        Map<Object, List<Object>> dataStream = runningCounts(Api.DATASTREAM);
        Map<Object, List<Object>> sql = runningCounts(Api.SQL);

        // As mapGroupsWithState without a timeout: no row is late, user 3's 10:02:30 row counts too.
        assertThat(dataStream).isEqualTo(Map.of(
                1, List.of(11L, 12L, 13L, 14L),
                2, List.of(1L, 2L, 3L),
                3, List.of(6L, 7L)));
        assertThat(sql).isEqualTo(dataStream);
    }

    @Test
    @Timeout(120)
    void theCommandReadsTheInitialStateFileAndShowsTheCountsInUpdateMode(@TempDir Path tmp) throws Exception {
        Path input = tmp.resolve("input");
        FlinkTests.writeLines(input, "event_batch_0.csv", EventTimeInputs.SESSIONS);
        Path initial = FlinkTests.writeLines(tmp, "initial.csv", "user_id,count", "1,10", "3,5");

        CapturedRun run = CapturedRun.onContext("transform-with-state", "--emit", "running-count", "--api", "sql",
                "--input", input.toString(), "--initial-state", initial.toString(), "--trigger", "available-now",
                "--progress-interval", "0s");

        assertThat(run.err()).isEmpty();
        assertThat(run.out()).isEqualTo("""
                -------------------------------------------
                Batch: 0
                -------------------------------------------
                +-------+-----+
                |user_id|count|
                +-------+-----+
                |      1|   14|
                |      2|    3|
                |      3|    7|
                +-------+-----+

                """);
    }

    @Test
    void badOptionsAreOneLineErrors(@TempDir Path tmp) throws Exception {
        Path input = FlinkTests.writeLines(tmp.resolve("input"), "event_batch_0.csv", EventTimeInputs.SESSIONS).getParent();
        Path badCount = FlinkTests.writeLines(tmp, "initial.csv", "user_id,count", "1,ten");
        String dir = input.toString();
        String help = " (see 'patterns transform-with-state --help')";

        CapturedRun.onContext("transform-with-state", "--input", dir).assertOneLineError("patterns transform-with-state: "
                + "--emit summary needs --watermark (or --time-mode processing): "
                + TransformWithState.EVENT_TIMERS_NEED_WATERMARK + help);
        CapturedRun.onContext("transform-with-state", "--input", dir, "--time-mode", "wall").assertOneLineError(
                "patterns transform-with-state: --time-mode wall is not event or processing" + help);
        CapturedRun.onContext("transform-with-state", "--input", dir, "--time-mode", "processing", "--api", "sql")
                .assertOneLineError("patterns transform-with-state: --time-mode processing needs --api datastream: "
                        + "Flink 2.2's process table functions have event-time timers only" + help);
        CapturedRun.onContext("transform-with-state", "--input", dir, "--time-mode", "processing", "--watermark", "1m")
                .assertOneLineError("patterns transform-with-state: --watermark applies to --time-mode event: "
                        + "processing-time timers follow the wall clock, and no row is late" + help);
        CapturedRun.onContext("transform-with-state", "--input", dir, "--emit", "running-count", "--output-mode", "append")
                .assertOneLineError("patterns transform-with-state: --output-mode append: mapGroupsWithState is not "
                        + "supported with Append output mode on a streaming DataFrame/Dataset" + help);
        CapturedRun.onContext("transform-with-state", "--input", dir, "--watermark", "1m", "--initial-state",
                badCount.toString()).assertOneLineError("patterns transform-with-state: --initial-state "
                        + badCount + " line 2: count is not a long integer: 'ten'" + help);
        CapturedRun.onContext("transform-with-state", "--input", dir, "--watermark", "1m", "--initial-state", "missing.csv")
                .assertOneLineError("patterns transform-with-state: --initial-state missing.csv: no such file" + help);
        // Windows' option: every late row is dropped here, so the command does not have it.
        CapturedRun.onContext("transform-with-state", "--input", dir, "--watermark", "1m", "--allowed-lateness", "1m")
                .assertOneLineError("patterns transform-with-state: Unknown options: '--allowed-lateness', '1m'" + help);
    }
}
