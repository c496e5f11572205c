package dev.flinkpatterns.io.foreachbatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.io.PostgresConnection;
import dev.flinkpatterns.services.EmbeddedPostgresExtension;
import dev.flinkpatterns.testing.Await;
import dev.flinkpatterns.testing.FlinkTests;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batch ids across runs: a second fresh run into the same table, and a restore from an older checkpoint whose
 * replayed batches are cut elsewhere. A handler that skips a batch id it stored before must lose no row and
 * double none.
 */
class ForeachBatchRunsTest {

    private static final int ROWS = 6_000;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster(retainingEveryCheckpoint());

    @RegisterExtension
    static final EmbeddedPostgresExtension POSTGRES = new EmbeddedPostgresExtension();

    @TempDir
    Path tmp;

    private static Configuration retainingEveryCheckpoint() {
        Configuration configuration = FlinkTests.restarts();
        configuration.setString("execution.checkpointing.num-retained", "1000");
        return configuration;
    }

    private PostgresBatchAppend append(String table) throws Exception {
        PostgresBatchAppend append = new PostgresBatchAppend(new PostgresConnection(POSTGRES.jdbcUrl(),
                POSTGRES.server().user(), POSTGRES.server().password()), table, BatchRows.SCHEMA);
        append.createTables();
        return append;
    }

    @Test
    @Timeout(180)
    void aSecondFreshRunIntoTheSameTableAppendsAllItsBatches() throws Exception {
        PostgresBatchAppend append = append("two_runs");
        for (int run = 1; run <= 2; run++) {
            StreamExecutionEnvironment env = ForeachBatchSinkExactlyOnceTest.checkpointedEnvironment();
            BatchRows.numbered(env, ROWS).sinkTo(new ForeachBatchSink(tmp.resolve("state").toString(), append));
            ForeachBatchSinkExactlyOnceTest.runToEnd(env);
        }

        assertThat(POSTGRES.query("SELECT count(*), count(DISTINCT row_key), min(row_key), max(row_key) FROM two_runs"))
                .containsExactly(2 * ROWS + "|" + ROWS + "|row-00000|row-0" + (ROWS - 1));
        assertThat(POSTGRES.queryLong("SELECT count(*) FROM (SELECT row_key FROM two_runs GROUP BY row_key"
                + " HAVING count(*) <> 2) AS not_twice")).isZero();
    }

    /**
     * The first run hands over batches after checkpoint 3 and is cancelled; the second restores checkpoint 2 and
     * runs to the end with a long interval, so its replayed batches hold other rows than the first run's 3..N. The
     * replaced batches' rows and files must go.
     */
    @Test
    @Timeout(180)
    void aRestoreFromAnOlderCheckpointLosesNoRowAndDoublesNone() throws Exception {
        // Both handlers that append: the table, and a file per batch (the CLI's handler).
        BatchHandler handlers = BatchHandler.all(append("restored"),
                JsonLinesBatchFiles.all(tmp.resolve("files").toString(), "batch", BatchRows.SCHEMA, false));
        Path checkpoints = tmp.resolve("checkpoints");
        String state = tmp.resolve("state").toString();

        StreamExecutionEnvironment first = retainingEnvironment(checkpoints, "100ms", Map.of());
        BatchRows.numbered(first, ROWS).sinkTo(new ForeachBatchSink(state, handlers)).uid("foreach-batch");
        JobClient firstRun = first.executeAsync("foreach-batch, first run");
        Await.until("batches after checkpoint 3 handed over", Duration.ofSeconds(60),
                () -> POSTGRES.queryLong("SELECT count(*) FROM restored_batches"
                        + " WHERE split_part(batch_id, '-', 1)::int > 3") > 0);
        firstRun.cancel().get(30, TimeUnit.SECONDS);
        Path checkpoint2 = checkpoints.resolve(firstRun.getJobID().toString()).resolve("chk-2");
        assertThat(checkpoint2.resolve("_metadata")).exists();
        assertThat(POSTGRES.queryLong("SELECT count(*) FROM restored")).isPositive();

        StreamExecutionEnvironment second = retainingEnvironment(checkpoints, "10min",
                Map.of("execution.state-recovery.path", checkpoint2.toUri().toString()));
        BatchRows.numbered(second, ROWS).sinkTo(new ForeachBatchSink(state, handlers)).uid("foreach-batch");
        ForeachBatchSinkExactlyOnceTest.runToEnd(second);

        assertThat(POSTGRES.query("SELECT count(*), count(DISTINCT row_key), min(row_key), max(row_key) FROM restored"))
                .containsExactly(ROWS + "|" + ROWS + "|row-00000|row-0" + (ROWS - 1));
        assertThat(POSTGRES.queryLong("SELECT count(*) FROM restored WHERE priority = 'high'")).isEqualTo(ROWS / 10);
        assertThat(FlinkTests.linesOfVisibleFiles(tmp.resolve("files")))
                .containsExactlyElementsOf(BatchRows.jsonLines(ROWS, false));
    }

    private static StreamExecutionEnvironment retainingEnvironment(Path directory, String interval,
            Map<String, String> more) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "execution.checkpointing.interval", interval,
                "execution.checkpointing.dir", directory.toUri().toString(),
                "execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION"));
        settings.putAll(more);
        StreamExecutionEnvironment env = FlinkTests.environment(Configuration.fromMap(settings));
        env.setParallelism(2);
        return env;
    }
}
