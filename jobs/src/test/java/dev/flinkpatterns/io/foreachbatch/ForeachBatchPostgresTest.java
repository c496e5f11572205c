package dev.flinkpatterns.io.foreachbatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.io.PostgresConnection;
import dev.flinkpatterns.services.EmbeddedPostgresExtension;
import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.testing.FailureInjector;
import dev.flinkpatterns.testing.FlinkTests;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A batch appended to PostgreSQL with its id in the same transaction: each row once, though plain INSERTs. */
class ForeachBatchPostgresTest {

    private static final int ROWS = 5_000;
    private static final AtomicReference<BatchId> CRASHED = new AtomicReference<>();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster(restarts());

    @RegisterExtension
    static final EmbeddedPostgresExtension POSTGRES = new EmbeddedPostgresExtension();

    @TempDir
    Path tmp;

    private static Configuration restarts() {
        Configuration configuration = new Configuration();
        configuration.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        configuration.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 10);
        configuration.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
        return configuration;
    }

    @Test
    @Timeout(180)
    void appendsEachRowOnceDespiteFailuresAndACrashAfterTheCommitOfABatch() throws Exception {
        CRASHED.set(null);
        PostgresConnection connection = new PostgresConnection(POSTGRES.jdbcUrl(), POSTGRES.server().user(),
                POSTGRES.server().password());
        PostgresBatchAppend append = new PostgresBatchAppend(connection, "numbered", BatchRows.SCHEMA);
        append.createTables();
        StreamExecutionEnvironment env = ForeachBatchSinkExactlyOnceTest.checkpointedEnvironment();
        BatchRows.numbered(env, ROWS)
                .map(FailureInjector.<Change>failAfterCheckpoints("foreach-batch-postgres", 1, 2, 1))
                .returns(BatchRows.TYPE)
                .sinkTo(new ForeachBatchSink(tmp.resolve("state").toString(), (batch, rows) -> {
                    append.handle(batch, rows);
                    // the database transaction is committed, the marker not yet written: the batch comes again
                    if (batch.checkpoint() >= 2 && CRASHED.compareAndSet(null, batch)) {
                        throw new IllegalStateException("crash after batch " + batch + " was committed to PostgreSQL");
                    }
                }));

        ForeachBatchSinkExactlyOnceTest.runToEnd(env);

        assertThat(FailureInjector.failures("foreach-batch-postgres")).isEqualTo(3);
        assertThat(CRASHED.get()).isNotNull();
        assertThat(POSTGRES.query("SELECT count(*), count(DISTINCT row_key), min(row_key), max(row_key) FROM numbered"))
                .containsExactly(ROWS + "|" + ROWS + "|row-00000|row-0" + (ROWS - 1));
        assertThat(POSTGRES.queryLong("SELECT count(*) FROM numbered WHERE priority = 'high'")).isEqualTo(ROWS / 10);
        assertThat(POSTGRES.queryLong("SELECT count(*) FROM numbered_batches WHERE batch_id = '" + CRASHED.get() + "'"))
                .isEqualTo(1);
    }
}
