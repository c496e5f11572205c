package dev.flinkpatterns.io.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.table.ResultTable;
import dev.flinkpatterns.testing.FlinkTests;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.table.ResultTables;
import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Spark's memory sink: a job's result table in memory under a query name, then SQL over it. */
class MemorySinkTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    private static final RowSchema COLUMNS = ResultTables.countSchema("event");

    /** One job for the whole class (the SQL planner's start-up is the slow part): a counting table's changes. */
    @BeforeAll
    static void runAJobIntoMemoryTableEvents() throws Exception {
        StreamExecutionEnvironment env = FlinkTests.environment();
        env.setParallelism(2);
        DataStream<Change> changes = env.fromData(List.of(
                        Change.of("login", "login", 1),
                        Change.of("view", "view", 1),
                        Change.of("login", "login", 2),
                        Change.of("logout", "logout", 1),
                        Change.delete("view"),
                        Change.of("purchase", "purchase", 5),
                        Change.of("login", "login", 3)),
                TypeInformation.of(Change.class));
        MemoryTable table = MemorySink.attach(
                new ResultTable(changes, COLUMNS, OutputMode.COMPLETE, Trigger.DEFAULT), "events");
        assertThat(table.rows()).isEmpty();

        env.executeAsync("memory sink test").getJobExecutionResult().get(2, TimeUnit.MINUTES);
    }

    @Test
    void theTableHoldsTheLatestRowPerKeyWithoutTheDeletedOnes() {
        MemoryTable table = MemoryTables.get("events").orElseThrow();

        assertThat(table.wasFed()).isTrue();
        assertThat(table.rows()).containsExactly(
                List.of("login", "3"), List.of("logout", "1"), List.of("purchase", "5"));
    }

    @Test
    void selectStarShowsTheTableAsSparkShowsIt() throws Exception {
        MemoryTables.QueryResult result = MemoryTables.sql("SELECT * FROM events ORDER BY event");

        assertThat(result.show()).isEqualTo("""
                +--------+-----+
                |   event|count|
                +--------+-----+
                |   login|    3|
                |  logout|    1|
                |purchase|    5|
                +--------+-----+
                """);
    }

    @Test
    void columnsHaveTheResultTypesSoTheyOrderAndSumAsNumbersAndTimes() throws Exception {
        RowSchema schema = RowSchema.of(RowSchema.Column.nullable("word", RowSchema.Type.STRING),
                RowSchema.Column.nullable("n", RowSchema.Type.LONG),
                RowSchema.Column.nullable("seen", RowSchema.Type.TIMESTAMP));
        MemoryTables.create("counts", schema).apply(Change.of("a", "a", 9L, LocalDateTime.of(2024, 1, 15, 10, 0)));
        MemoryTables.get("counts").orElseThrow().apply(Change.of("b", "b", 10L, LocalDateTime.of(2024, 1, 15, 10, 5, 0, 250_000_000)));
        assertThat(MemoryTables.sql("SELECT MAX(seen) AS last_seen, MIN(seen) AS first_seen FROM counts").rows())
                .containsExactly(List.of("2024-01-15 10:05:00.250", "2024-01-15 10:00:00"));

        assertThat(MemoryTables.sql("SELECT word FROM counts ORDER BY n DESC").rows())
                .containsExactly(List.of("b"), List.of("a"));
        assertThat(MemoryTables.sql("SELECT SUM(n) AS total FROM counts").rows()).containsExactly(List.of("19"));
        assertThat(MemoryTables.sql("SELECT e.event, e.`count` * 10 AS tenfold FROM events e WHERE e.`count` > 1").rows())
                .containsExactlyInAnyOrder(List.of("login", "30"), List.of("purchase", "50"));
    }

    @Test
    void anEmptyTableStillHasItsColumns() throws Exception {
        MemoryTables.create("nothing_yet", COLUMNS);

        MemoryTables.QueryResult result = MemoryTables.sql("SELECT * FROM nothing_yet");

        assertThat(result.columns()).containsExactly("event", "count");
        assertThat(result.rows()).isEmpty();
    }

    @Test
    void replayedChangesLeaveTheSameTable() {
        MemoryTable table = MemoryTables.create("replayed", COLUMNS);
        List<Change> changes = List.of(Change.of("x", "x", 1), Change.of("y", "y", 1), Change.delete("x"));

        changes.forEach(table::apply);
        changes.forEach(table::apply); // a restart replays the changes since the last checkpoint

        assertThat(table.rows()).containsExactly(List.of("y", "1"));
    }

    @Test
    void aQueryNameMustBeUsableInSql() {
        assertThatThrownBy(() -> MemoryTables.create("my-table", COLUMNS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("query name must be letters, digits and _ (not first a digit), got 'my-table'");
    }
}
