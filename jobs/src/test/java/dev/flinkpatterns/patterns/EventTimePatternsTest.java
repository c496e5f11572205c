package dev.flinkpatterns.patterns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.core.Api;
import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.patterns.dedup.DedupKey;
import dev.flinkpatterns.patterns.dedup.Deduplication;
import dev.flinkpatterns.patterns.sessions.TimeoutKind;
import dev.flinkpatterns.patterns.sessions.UserSessions;
import dev.flinkpatterns.run.PatternOutputs;
import dev.flinkpatterns.table.ResultBatch;
import dev.flinkpatterns.testing.Batches;
import dev.flinkpatterns.testing.EventTimeInputs;
import dev.flinkpatterns.testing.FlinkTests;
import dev.flinkpatterns.time.LateRows;
import dev.flinkpatterns.time.WatermarkSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * dedup and user-sessions on the MiniCluster (keyed operators at parallelism 2), fed one file at parallelism 1
 * with a watermark after every row, so which rows are late is fixed: exact rows, late rows and late count.
 */
class EventTimePatternsTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    /** What a bounded run of a topology produced. */
    private record Run(List<ResultBatch> batches, List<LateRows.LateRow> late, Long lateCount) {}

    private static Run run(StreamExecutionEnvironment env, PatternOutputs outputs) throws Exception {
        CloseableIterator<ResultBatch> results = outputs.results().collectAsync();
        CloseableIterator<LateRows.LateRow> lateRows = outputs.hasLateRows() ? outputs.lateRows().collectAsync() : null;
        JobClient job = env.executeAsync();
        List<ResultBatch> batches = new Batches(results).remaining();
        List<LateRows.LateRow> late = new ArrayList<>();
        if (lateRows != null) {
            lateRows.forEachRemaining(late::add);
        }
        JobExecutionResult result = job.getJobExecutionResult().get(60, TimeUnit.SECONDS);
        return new Run(batches, late, result.getAccumulatorResult(LateRows.LATE_ROWS));
    }

    private static Run dedup(String key) throws Exception {
        StreamExecutionEnvironment env = FlinkTests.environment();
        var watermark = WatermarkSettings.of(Duration.ofMinutes(10)).emittedOnEveryEvent();
        return run(env, Deduplication.dropDuplicates(EventTimeInputs.asFile(env, EventTimeInputs.DEDUP),
                DedupKey.parse(key), watermark, Api.DATASTREAM, OutputMode.APPEND, Trigger.AVAILABLE_NOW));
    }

    private static Run sessions(TimeoutKind kind, WatermarkSettings watermark) throws Exception {
        StreamExecutionEnvironment env = FlinkTests.environment();
        return run(env, UserSessions.sessions(EventTimeInputs.asFile(env, EventTimeInputs.SESSIONS),
                Duration.ofMinutes(5), kind, Api.DATASTREAM, watermark, OutputMode.APPEND, Trigger.AVAILABLE_NOW));
    }

    @Test
    @Timeout(120)
    void dedupKeepsTheFirstRowPerKeyAndDropsLateRowsCountingThem() throws Exception {
        Run run = dedup("user_id,event");

        assertThat(run.batches()).containsExactly(new ResultBatch(0, List.of("timestamp", "user_id", "event"), List.of(
                List.of("2025-07-15T10:00:00", "1", "login"),
                List.of("2025-07-15T10:01:00", "2", "view"),
                List.of("2025-07-15T09:55:00", "3", "view"),
                List.of("2025-07-15T10:05:00", "4", "purchase"),
                List.of("2025-07-15T10:30:00", "5", "login"),
                List.of("2025-07-15T10:25:00", "1", "login"))));
        assertThat(run.late()).containsExactlyInAnyOrder(
                new LateRows.LateRow("2025-07-15 09:58:00", "2025-07-15 10:04:59.999",
                        "{\"timestamp\":\"2025-07-15T09:58:00\",\"user_id\":1,\"event\":\"logout\"}"),
                new LateRows.LateRow("2025-07-15 10:04:59", "2025-07-15 10:04:59.999",
                        "{\"timestamp\":\"2025-07-15T10:04:59\",\"user_id\":4,\"event\":\"view\"}"),
                new LateRows.LateRow("2025-07-15 10:10:00", "2025-07-15 10:19:59.999",
                        "{\"timestamp\":\"2025-07-15T10:10:00\",\"user_id\":2,\"event\":\"view\"}"));
        assertThat(run.lateCount()).isEqualTo(3L);
    }

    @Test
    @Timeout(120)
    void dedupWithTheTimestampInTheKeyDropsOnlyExactRepeats() throws Exception {
        Run run = dedup("timestamp,user_id,event");

        assertThat(run.batches()).hasSize(1);
        assertThat(run.batches().get(0).rows()).containsExactly(
                List.of("2025-07-15T10:00:00", "1", "login"),
                List.of("2025-07-15T10:01:00", "2", "view"),
                List.of("2025-07-15T10:02:00", "1", "login"),
                List.of("2025-07-15T09:55:00", "3", "view"),
                List.of("2025-07-15T10:15:00", "2", "view"),
                List.of("2025-07-15T10:05:00", "4", "purchase"),
                List.of("2025-07-15T10:30:00", "5", "login"),
                List.of("2025-07-15T10:25:00", "1", "login"),
                List.of("2025-07-15T10:26:00", "1", "login"));
        assertThat(run.lateCount()).isEqualTo(3L);
    }

    @Test
    @Timeout(120)
    void eventTimeSessionsCloseWhenTheWatermarkPassesTheirTimeoutAndAtTheEndOfInput() throws Exception {
        Run run = sessions(TimeoutKind.EVENT, WatermarkSettings.of(Duration.ofMinutes(1)).emittedOnEveryEvent());

        assertThat(run.batches()).hasSize(1);
        assertThat(run.batches().get(0).rows()).containsExactly(
                List.of("1", "2025-07-15 10:00:00", "2025-07-15 10:09:00", "0:09:00", "4", "login=1, purchase=1, view=2"),
                List.of("2", "2025-07-15 10:01:00", "2025-07-15 10:04:00", "0:03:00", "2", "login=1, purchase=1"),
                List.of("3", "2025-07-15 10:16:00", "2025-07-15 10:16:00", "0:00:00", "1", "login=1"),
                List.of("2", "2025-07-15 10:16:30", "2025-07-15 10:16:30", "0:00:00", "1", "view=1"));
        assertThat(run.late()).containsExactly(new LateRows.LateRow("2025-07-15 10:02:30", "2025-07-15 10:07:59.999",
                "{\"timestamp\":\"2025-07-15T10:02:30\",\"user_id\":3,\"event\":\"view\"}"));
        assertThat(run.lateCount()).isEqualTo(1L);
    }

    @Test
    @Timeout(120)
    void processingTimeSessionsStillOpenAreEmittedWhenTheInputEnds() throws Exception {
        Run run = sessions(TimeoutKind.PROCESSING, WatermarkSettings.NONE);

        // The run takes far less than 5 minutes of wall clock: no session times out, the end of input closes all.
        assertThat(run.batches()).hasSize(1);
        assertThat(run.batches().get(0).rows()).containsExactly(
                List.of("1", "2025-07-15 10:00:00", "2025-07-15 10:09:00", "0:09:00", "4", "login=1, purchase=1, view=2"),
                List.of("2", "2025-07-15 10:01:00", "2025-07-15 10:16:30", "0:15:30", "3", "login=1, purchase=1, view=1"),
                List.of("3", "2025-07-15 10:02:30", "2025-07-15 10:16:00", "0:13:30", "2", "login=1, view=1"));
        assertThat(run.late()).isEmpty();
        assertThat(run.lateCount()).isNull(); // no late-row operator at all
    }
}
