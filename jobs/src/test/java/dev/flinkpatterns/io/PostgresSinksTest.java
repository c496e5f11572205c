package dev.flinkpatterns.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.services.EmbeddedPostgresExtension;
import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.testing.FailureInjector;
import dev.flinkpatterns.testing.FlinkTests;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
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
 * The PostgreSQL sinks against a real PostgreSQL while the job fails three times, at different points: the XA sink
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
        numbers.sinkTo(PostgresSinks.exactlyOnce(connection(), new InsertNumber())).name("numbers");

        env.execute("exactly-once numbers");

        assertThat(FailureInjector.failures(scenario)).isEqualTo(3);
        assertThat(POSTGRES.query("SELECT count(*), count(DISTINCT n), min(n), max(n), sum(n) FROM numbers"))
                .containsExactly(ROWS + "|" + ROWS + "|0|" + (ROWS - 1) + "|" + (long) ROWS * (ROWS - 1) / 2);
        assertThat(POSTGRES.queryLong("SELECT count(*) FROM pg_prepared_xacts")).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = DeliveryGuarantee.class, names = {"AT_LEAST_ONCE", "EXACTLY_ONCE"})
    @Timeout(180)
    void resultTableEndsExactlyAsItsChangesSayDespiteFailures(DeliveryGuarantee guarantee) throws Exception {
        String table = "results_" + guarantee.name().toLowerCase(Locale.ROOT);
        List<String> columns = List.of("n", "n*n");
        PostgresSinks.createTable(connection(), table, columns);
        StreamExecutionEnvironment env = checkpointedEnvironment();
        String scenario = "upsert-" + guarantee;
        // One source subtask: the changes of a key keep their order up to the sink, as a pattern's operator emits them.
        DataStream<Change> changes = env.fromSource(numberedRows(PostgresSinksTest::change,
                        TypeInformation.of(Change.class)), WatermarkStrategy.noWatermarks(), "changes")
                .setParallelism(1)
                .map(FailureInjector.<Change>failAfterCheckpoints(scenario, 1, 3, 2))
                .returns(TypeInformation.of(Change.class))
                .setParallelism(1);
        PostgresSinks.resultTable(changes, columns, connection(), table, guarantee);

        env.execute("result table, " + guarantee);

        assertThat(FailureInjector.failures(scenario)).isEqualTo(3);
        assertThat(POSTGRES.query("SELECT row_key, n, \"n*n\" FROM " + table + " ORDER BY row_key"))
                .containsExactlyElementsOf(expectedTable());
        assertThat(POSTGRES.queryLong("SELECT count(*) FROM pg_prepared_xacts")).isZero();
    }

    /** Row i changes key k(i mod 500): every 7th change deletes the row, the others set it to (i, i*i). */
    private static Change change(long i) {
        String key = "k" + String.format("%03d", i % 500);
        return i % 7 == 6 ? Change.delete(key) : Change.of(key, i, i * i);
    }

    /** The changes replayed in order, once each: what the table must hold at the end. */
    private static List<String> expectedTable() {
        TreeMap<String, String> table = new TreeMap<>();
        for (long i = 0; i < ROWS; i++) {
            Change change = change(i);
            if (change.isDelete()) {
                table.remove(change.key());
            } else {
                table.put(change.key(), change.key() + "|" + String.join("|", change.cells()));
            }
        }
        assertThat(table).hasSizeBetween(400, 500); // some keys end deleted, most do not
        return new ArrayList<>(table.values());
    }

    private static <T> DataGeneratorSource<T> numberedRows(
            org.apache.flink.connector.datagen.source.GeneratorFunction<Long, T> row, TypeInformation<T> type) {
        return new DataGeneratorSource<>(row, ROWS, RateLimiterStrategy.perSecond(ROWS_PER_SECOND), type);
    }

    private static StreamExecutionEnvironment checkpointedEnvironment() {
        StreamExecutionEnvironment env = FlinkTests.environment();
        env.setParallelism(2);
        env.enableCheckpointing(CHECKPOINT_INTERVAL.toMillis());
        return env;
    }

    private static PostgresConnection connection() {
        return new PostgresConnection(POSTGRES.jdbcUrl(), POSTGRES.server().user(), POSTGRES.server().password());
    }

    /** A plain insert: not idempotent, so only exactly-once delivery gives one row per number. */
    private static final class InsertNumber implements JdbcQueryStatement<Long> {
        @Override
        public String query() {
            return "INSERT INTO numbers (n) VALUES (?)";
        }

        @Override
        public void statement(java.sql.PreparedStatement statement, Long n) throws java.sql.SQLException {
            statement.setLong(1, n);
        }
    }
}
