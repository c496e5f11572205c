package dev.flinkpatterns.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinkpatterns.services.EmbeddedPostgresExtension;
import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.testing.Await;
import dev.flinkpatterns.testing.FailureInjector;
import dev.flinkpatterns.testing.FlinkTests;
import dev.flinkpatterns.testing.PreCommitCrashingSink;
import dev.flinkpatterns.testing.ReplayedChanges;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import javax.sql.XAConnection;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.xa.PGXADataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.jdbc.datasource.statements.JdbcQueryStatement;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The PostgreSQL sinks against a real PostgreSQL while the job fails, at different points (also after the XA writer's
 * snapshot of a checkpoint that then never completes): the XA sink
 * writes every row exactly once, the upsert sink (either guarantee) ends with exactly the table the changes describe,
 * and no prepared transaction is left behind.
 */
class PostgresSinksTest {

    private static final int ROWS = 4000;
    private static final double ROWS_PER_SECOND = 800; // ~5 s of input: the three failures fall inside it
    private static final Duration CHECKPOINT_INTERVAL = Duration.ofMillis(300);

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster(FlinkTests.restarts());

    @RegisterExtension
    static final EmbeddedPostgresExtension POSTGRES = new EmbeddedPostgresExtension();


    @Test
    @Timeout(180)
    void exactlyOnceWritesEveryRowOnceDespiteFailures() throws Exception {
        // No key, no constraint: a row written twice would stay twice.
        POSTGRES.execute("CREATE TABLE numbers (n BIGINT NOT NULL)");
        StreamExecutionEnvironment env = checkpointedEnvironment();
        String scenario = "xa-append";
        DataStream<Long> numbers = env.fromSource(numberedRows(n -> n, Types.LONG), WatermarkStrategy.noWatermarks(),
                        "numbers")
                .map(FailureInjector.<Long>failAfterCheckpoints(scenario, 2, 1, 3)).returns(Types.LONG);
        numbers.sinkTo(PostgresSinks.exactlyOnce(connection(), new InsertNumber("numbers"))).name("numbers");

        env.execute("exactly-once numbers");

        assertThat(FailureInjector.failures(scenario)).isEqualTo(3);
        assertEveryNumberOnce("numbers");
        assertThat(POSTGRES.queryLong("SELECT count(*) FROM pg_prepared_xacts")).isZero();
    }

    @Test
    @Timeout(120)
    void crashBetweenPreCommitAndCommitRollsBackOnlyThisJobsPreparedTransactions() throws Exception {
        POSTGRES.execute("CREATE TABLE precommit_numbers (n BIGINT NOT NULL)", "CREATE TABLE other_writers (n BIGINT)");
        // Left prepared by others: an application's own transaction, and another job's XA sink's, in the same id format
        // and on the same subtask and checkpoint period as this job's.
        try (Connection db = connection().open(); Statement statement = db.createStatement()) {
            statement.execute("BEGIN");
            statement.execute("INSERT INTO other_writers VALUES (1)");
            statement.execute("PREPARE TRANSACTION 'another-application'");
        }
        String anotherJobsTransaction = prepare(new XaTransaction(UUID.randomUUID(), UUID.randomUUID(), 0, 2, 0),
                "INSERT INTO other_writers VALUES (2)");
        StreamExecutionEnvironment env = checkpointedEnvironment();
        String scenario = "xa-pre-commit";
        env.fromSource(numberedRows(n -> n, Types.LONG), WatermarkStrategy.noWatermarks(), "numbers")
                .sinkTo(PreCommitCrashingSink.failInCheckpoint(
                        PostgresSinks.exactlyOnce(connection(), new InsertNumber("precommit_numbers")), scenario, 3, 2))
                .name("numbers");

        env.execute("exactly-once numbers, crashing between pre-commit and commit");

        assertThat(PreCommitCrashingSink.failures(scenario)).isEqualTo(2);
        assertEveryNumberOnce("precommit_numbers");
        assertThat(POSTGRES.query("SELECT gid FROM pg_prepared_xacts ORDER BY gid"))
                .containsExactlyInAnyOrder("another-application", anotherJobsTransaction);
    }

    @Test
    @Timeout(120)
    void failureAfterTheWritersSnapshotBeforeTheCheckpointCompletesCommitsNothingTwice() throws Exception {
        // A plain insert: a row committed in the failed checkpoint and replayed would stay twice.
        POSTGRES.execute("CREATE TABLE snapshotted_numbers (n BIGINT NOT NULL)");
        StreamExecutionEnvironment env = checkpointedEnvironment();
        String scenario = "xa-after-writer-snapshot";
        env.fromSource(numberedRows(n -> n, Types.LONG), WatermarkStrategy.noWatermarks(), "numbers")
                .sinkTo(PreCommitCrashingSink.failAfterWriterSnapshot(
                        PostgresSinks.exactlyOnce(connection(), new InsertNumber("snapshotted_numbers")), scenario, 3, 2))
                .name("numbers");

        env.execute("exactly-once numbers, failing after the writer's snapshot");

        assertThat(PreCommitCrashingSink.failures(scenario)).isEqualTo(2);
        assertEveryNumberOnce("snapshotted_numbers");
        assertThat(POSTGRES.queryLong("SELECT count(*) FROM pg_prepared_xacts")).isZero();
    }

    @Test
    @Timeout(120)
    void restoreFromAnOlderSavepointRollsBackWhatTheFailedJobPrepared(@TempDir Path savepoints) throws Exception {
        POSTGRES.execute("CREATE TABLE keyed_numbers (n BIGINT PRIMARY KEY)");
        // A leftover prepared transaction holds its rows' locks and the replay writes the same keys: fail, not hang.
        PostgresConnection lockTimingOut = new PostgresConnection(POSTGRES.jdbcUrl()
                + (POSTGRES.jdbcUrl().contains("?") ? "&" : "?") + "options=-c%20lock_timeout%3D5s",
                POSTGRES.server().user(), POSTGRES.server().password());
        String scenario = "xa-older-savepoint";
        Configuration noRestarts = new Configuration();
        noRestarts.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment first = checkpointedEnvironment(noRestarts);
        first.fromSource(numberedRows(n -> n, Types.LONG), WatermarkStrategy.noWatermarks(), "numbers")
                .sinkTo(PreCommitCrashingSink.failInCheckpointOnceArmed(
                        PostgresSinks.exactlyOnce(lockTimingOut, new UpsertNumber()), scenario))
                .name("numbers");
        JobClient firstRun = first.executeAsync("first run, failing between pre-commit and commit");
        Await.until("rows committed", Duration.ofSeconds(30),
                () -> POSTGRES.queryLong("SELECT count(*) FROM keyed_numbers") > 0);
        String savepoint = firstRun.triggerSavepoint(savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                .get(60, TimeUnit.SECONDS);
        // Later checkpoints commit more rows; the next one is pre-committed, then the job fails for good.
        PreCommitCrashingSink.arm(scenario);
        assertThatThrownBy(() -> firstRun.getJobExecutionResult().get(60, TimeUnit.SECONDS))
                .hasStackTraceContaining("between pre-commit and commit");
        assertThat(POSTGRES.queryLong("SELECT count(*) FROM keyed_numbers")).isLessThan(ROWS);
        assertThat(POSTGRES.queryLong("SELECT count(*) FROM pg_prepared_xacts")).isPositive();

        // A new job from the savepoint: it replays rows the first run committed after it, and the rows it left.
        StreamExecutionEnvironment second = checkpointedEnvironment(FlinkTests.restoring(Path.of(java.net.URI.create(
                savepoint.startsWith("file:") ? savepoint : "file:" + savepoint))));
        second.fromSource(numberedRows(n -> n, Types.LONG), WatermarkStrategy.noWatermarks(), "numbers")
                .sinkTo(PreCommitCrashingSink.failInCheckpointOnceArmed(
                        PostgresSinks.exactlyOnce(lockTimingOut, new UpsertNumber()), scenario + "-never"))
                .name("numbers");
        second.execute("second run, from the older savepoint");

        assertEveryNumberOnce("keyed_numbers");
        assertThat(POSTGRES.queryLong("SELECT count(*) FROM pg_prepared_xacts")).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = DeliveryGuarantee.class, names = {"AT_LEAST_ONCE", "EXACTLY_ONCE"})
    @Timeout(180)
    void resultTableEndsExactlyAsItsChangesSayDespiteFailures(DeliveryGuarantee guarantee) throws Exception {
        String table = "results_" + guarantee.name().toLowerCase(Locale.ROOT);
        // "n*n" is stored as n_n (ColumnNames); both are BIGINT.
        RowSchema columns = RowSchema.of(RowSchema.Column.nullable("n", RowSchema.Type.LONG),
                RowSchema.Column.nullable("n*n", RowSchema.Type.LONG));
        PostgresSinks.createTable(connection(), table, columns);
        StreamExecutionEnvironment env = checkpointedEnvironment();
        String scenario = "upsert-" + guarantee;
        // One source subtask: the changes of a key keep their order up to the sink, as a pattern's operator emits them.
        DataStream<Change> changes = env.fromSource(numberedRows(ReplayedChanges::numbered,
                        TypeInformation.of(Change.class)), WatermarkStrategy.noWatermarks(), "changes")
                .setParallelism(1)
                .map(FailureInjector.<Change>failAfterCheckpoints(scenario, 1, 3, 2))
                .returns(TypeInformation.of(Change.class))
                .setParallelism(1);
        PostgresSinks.resultTable(changes, columns, connection(), table, guarantee);

        env.execute("result table, " + guarantee);

        assertThat(FailureInjector.failures(scenario)).isEqualTo(3);
        assertThat(POSTGRES.query("SELECT row_key, n, n_n FROM " + table + " ORDER BY row_key"))
                .containsExactlyElementsOf(expectedTable());
        assertThat(POSTGRES.queryLong("SELECT count(*) FROM pg_prepared_xacts")).isZero();
    }

    /** The changes replayed in order, once each: what the table must hold at the end. */
    private static List<String> expectedTable() {
        TreeMap<String, List<Object>> table = ReplayedChanges.table(ReplayedChanges::numbered, ROWS);
        assertThat(table).hasSizeBetween(400, 500); // some keys end deleted, most do not
        List<String> rows = new ArrayList<>();
        table.forEach((key, cells) -> rows.add(key + "|" + String.join("|", dev.flinkpatterns.table.ShownValues.show(cells))));
        return rows;
    }

    private static <T> DataGeneratorSource<T> numberedRows(
            org.apache.flink.connector.datagen.source.GeneratorFunction<Long, T> row, TypeInformation<T> type) {
        return new DataGeneratorSource<>(row, ROWS, RateLimiterStrategy.perSecond(ROWS_PER_SECOND), type);
    }

    /** Reads the table back with plain JDBC: the numbers 0 .. ROWS-1, each once. */
    private static void assertEveryNumberOnce(String table) throws Exception {
        assertThat(POSTGRES.query("SELECT count(*), count(DISTINCT n), min(n), max(n), sum(n) FROM " + table))
                .containsExactly(ROWS + "|" + ROWS + "|0|" + (ROWS - 1) + "|" + (long) ROWS * (ROWS - 1) / 2);
    }

    /** Prepares a transaction under {@code xid} as an XA writer would, and returns its gid in pg_prepared_xacts. */
    private static String prepare(Xid xid, String sql) throws Exception {
        Set<String> before = Set.copyOf(POSTGRES.query("SELECT gid FROM pg_prepared_xacts"));
        PGXADataSource dataSource = new PGXADataSource();
        dataSource.setUrl(POSTGRES.jdbcUrl());
        dataSource.setUser(POSTGRES.server().user());
        dataSource.setPassword(POSTGRES.server().password());
        XAConnection connection = dataSource.getXAConnection();
        try {
            connection.getXAResource().start(xid, XAResource.TMNOFLAGS);
            try (Statement statement = connection.getConnection().createStatement()) {
                statement.execute(sql);
            }
            connection.getXAResource().end(xid, XAResource.TMSUCCESS);
            connection.getXAResource().prepare(xid);
        } finally {
            connection.close();
        }
        List<String> added = new ArrayList<>(POSTGRES.query("SELECT gid FROM pg_prepared_xacts"));
        added.removeAll(before);
        assertThat(added).hasSize(1);
        return added.get(0);
    }

    /** Tests share one PostgreSQL: whatever a test leaves prepared (on purpose or not) goes before the next. */
    @AfterEach
    void rollBackEveryPreparedTransaction() throws Exception {
        for (String gid : POSTGRES.query("SELECT gid FROM pg_prepared_xacts")) {
            POSTGRES.execute("ROLLBACK PREPARED '" + gid.replace("'", "''") + "'");
        }
    }

    private static StreamExecutionEnvironment checkpointedEnvironment() {
        return checkpointedEnvironment(new Configuration());
    }

    private static StreamExecutionEnvironment checkpointedEnvironment(Configuration settings) {
        StreamExecutionEnvironment env = FlinkTests.environment(settings);
        env.setParallelism(2);
        env.enableCheckpointing(CHECKPOINT_INTERVAL.toMillis());
        return env;
    }

    private static PostgresConnection connection() {
        return new PostgresConnection(POSTGRES.jdbcUrl(), POSTGRES.server().user(), POSTGRES.server().password());
    }

    /** An insert that keeps the first row of a number: the primary key refuses a second. */
    private static final class UpsertNumber implements JdbcQueryStatement<Long> {
        @Override
        public String query() {
            return "INSERT INTO keyed_numbers (n) VALUES (?) ON CONFLICT (n) DO NOTHING";
        }

        @Override
        public void statement(java.sql.PreparedStatement statement, Long n) throws java.sql.SQLException {
            statement.setLong(1, n);
        }
    }

    /** A plain insert: not idempotent, so only exactly-once delivery gives one row per number. */
    private static final class InsertNumber implements JdbcQueryStatement<Long> {
        private final String table;

        InsertNumber(String table) {
            this.table = table;
        }

        @Override
        public String query() {
            return "INSERT INTO " + table + " (n) VALUES (?)";
        }

        @Override
        public void statement(java.sql.PreparedStatement statement, Long n) throws java.sql.SQLException {
            statement.setLong(1, n);
        }
    }
}
