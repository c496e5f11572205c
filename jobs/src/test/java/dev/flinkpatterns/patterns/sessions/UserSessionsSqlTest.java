package dev.flinkpatterns.patterns.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.flinkpatterns.core.Api;
import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.DeadLetter;
import dev.flinkpatterns.io.TestDatasets;
import dev.flinkpatterns.run.PatternOutputs;
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
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * user-sessions in SQL ({@link SessionsFunction}, a process table function) on the MiniCluster at parallelism 2,
 * beside the DataStream variant ({@link SessionTracker}): the event files (user 2's rows split into two sessions by the
 * timeout, an out-of-order row, a late row, a malformed row) give the hand-written sessions, late rows and dead letters
 * in both; what SQL cannot do is one line. The user's own files in SQL: {@code UserSessionsOwnDataCliTest}.
 */
class UserSessionsSqlTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    /** user-sessions' hand-written file and, in the middle, a row whose user_id is not a number. */
    private static final String[] EVENTS = Stream.of(EventTimeInputs.SESSIONS).flatMap(line ->
            line.startsWith("2025-07-15T10:04:00") ? Stream.of(line, "2025-07-15T10:05:00,two,view") : Stream.of(line))
            .toArray(String[]::new);

    /**
     * Users 1 and 2 time out when user 3's 10:16 row moves the watermark to 10:14:59.999 (their timers: 10:14, 10:09);
     * user 2's 10:16:30 row starts a second session; the end of input closes the open ones.
     */
    private static final ResultBatch SESSIONS = new ResultBatch(0,
            List.of("user_id", "session_start", "session_end", "duration", "rows", "events"), List.of(
                    List.of("1", "2025-07-15 10:00:00", "2025-07-15 10:09:00", "0:09:00", "4", "login=1, purchase=1, view=2"),
                    List.of("2", "2025-07-15 10:01:00", "2025-07-15 10:04:00", "0:03:00", "2", "login=1, purchase=1"),
                    List.of("3", "2025-07-15 10:16:00", "2025-07-15 10:16:00", "0:00:00", "1", "login=1"),
                    List.of("2", "2025-07-15 10:16:30", "2025-07-15 10:16:30", "0:00:00", "1", "view=1")));

    private record Run(List<ResultBatch> batches, List<LateRows.LateRow> late, List<DeadLetter> deadLetters) {}

    private static Run sessions(Api api) throws Exception {
        StreamExecutionEnvironment env = FlinkTests.environment();
        PatternOutputs outputs = UserSessions.sessions(EventTimeInputs.asFile(env, EVENTS), Duration.ofMinutes(5),
                TimeoutKind.EVENT, api, WatermarkSettings.of(Duration.ofMinutes(1)).emittedOnEveryEvent(),
                OutputMode.APPEND, Trigger.AVAILABLE_NOW);
        CloseableIterator<ResultBatch> results = outputs.results().collectAsync();
        CloseableIterator<LateRows.LateRow> lateRows = outputs.lateRows().collectAsync();
        CloseableIterator<DeadLetter> deadLetters = outputs.deadLetters().collectAsync();
        JobClient job = env.executeAsync();
        List<ResultBatch> batches = new Batches(results).remaining();
        List<LateRows.LateRow> late = new ArrayList<>();
        lateRows.forEachRemaining(late::add);
        List<DeadLetter> dead = new ArrayList<>();
        deadLetters.forEachRemaining(dead::add);
        job.getJobExecutionResult().get(60, TimeUnit.SECONDS);
        return new Run(batches, late, dead);
    }

    @Test
    @Timeout(120)
    void theProcessTableFunctionGivesTheTrackersSessionsLateRowsAndDeadLetters() throws Exception {
        Run sql = sessions(Api.SQL);

        assertThat(sql.batches()).containsExactly(SESSIONS);
        assertThat(sql.late()).containsExactly(new LateRows.LateRow("2025-07-15 10:02:30", "2025-07-15 10:07:59.999",
                "{\"timestamp\":\"2025-07-15T10:02:30\",\"user_id\":3,\"event\":\"view\"}"));
        assertThat(sql.deadLetters()).extracting(DeadLetter::line, DeadLetter::record)
                .containsExactly(tuple(7L, "2025-07-15T10:05:00,two,view"));
        assertThat(sessions(Api.DATASTREAM)).isEqualTo(sql);
    }

    @Test
    void whatAProcessTableFunctionCannotDoIsOneLine(@TempDir Path tmp) throws Exception {
        String dir = FlinkTests.writeLines(tmp.resolve("input"), "event_batch_0.csv", EventTimeInputs.SESSIONS)
                .getParent().toString();
        String help = " (see 'patterns user-sessions --help')";
        String noProcessingTime = "patterns user-sessions: --api sql needs --timeout-kind event (and --watermark): "
                + "a Flink 2.2 process table function has event-time timers only" + help;

        CapturedRun.onContext("user-sessions", "--api", "sql", "--input", dir).assertOneLineError(noProcessingTime);
        CapturedRun.onContext("user-sessions", "--api", "sql", "--input", dir, "--watermark", "1m", "--timeout-kind",
                "processing").assertOneLineError(noProcessingTime);
        CapturedRun.onContext("user-sessions", "--api", "sql", "--input", dir, "--watermark", "1m",
                "--allowed-lateness", "1m").assertOneLineError("patterns user-sessions: --allowed-lateness needs "
                        + "--api datastream: a Flink 2.2 process table function drops every row at or behind the "
                        + "watermark before the function sees it" + help);
        CapturedRun.onContext("user-sessions", "--api", "sql", "--input", TestDatasets.logins().toString(), "--format",
                "json", "--schema", TestDatasets.LOGINS_DDL, "--key", "ts", "--watermark", "1m")
                .assertOneLineError("patterns user-sessions: " + SessionsInSql.SAME_TIME_COLUMN + "ts" + help);
    }
}
