package dev.flinkpatterns.io.paimon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.io.SchemaDdl;
import dev.flinkpatterns.testing.FlinkTests;
import dev.flinkpatterns.testing.PaimonTables;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.apache.paimon.types.RowKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paimon's table shop.orders ({@link PaimonExampleTables#orders}: two appends, then an update and a delete) read as the
 * patterns read it: bounded (the latest snapshot, time travel by snapshot id and by time), streaming from a snapshot
 * with and without the change feed, and a streaming read that sees a commit made after it started.
 */
class PaimonSourcesTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    @TempDir
    Path warehouse;

    private PaimonSources.Read orders;

    @BeforeEach
    void ordersWithThreeSnapshots() throws Exception {
        PaimonExampleTables.orders(warehouse.toString());
        orders = new PaimonSources.Read(warehouse.toString(), "shop.orders").discoveringEvery(Duration.ofMillis(100));
    }

    @Test
    void theTableTypedAsTheProjectsSchema() {
        assertThat(SchemaDdl.print(PaimonSources.check(orders, true)))
                .isEqualTo("id INT NOT NULL, ts TIMESTAMP, item STRING, amount DOUBLE");
        assertThat(SchemaDdl.print(PaimonSources.check(orders.withChangeFeed(), false)))
                .isEqualTo("id INT NOT NULL, ts TIMESTAMP, item STRING, amount DOUBLE, _change_type STRING NOT NULL");
    }

    @Test
    @Timeout(60)
    void boundedReadsOneSnapshotTheLatestOrTheOneAsOfAVersionOrATime() throws Exception {
        assertThat(bounded(orders)).containsExactly(
                "+I[2, 2024-01-15T10:01, pear, 2.5]",
                "+I[3, 2024-01-15T10:02, plum, 3.0]");
        assertThat(bounded(orders.startingAt(2))).containsExactly(
                "+I[1, 2024-01-15T10:00, apple, 1.5]",
                "+I[2, 2024-01-15T10:01, pear, 2.0]",
                "+I[3, 2024-01-15T10:02, plum, 3.0]");
        assertThat(bounded(orders.asOf(PaimonTables.snapshotMillis(warehouse, "shop.orders", 1)))).containsExactly(
                "+I[1, 2024-01-15T10:00, apple, 1.5]",
                "+I[2, 2024-01-15T10:01, pear, 2.0]");
    }

    @Test
    @Timeout(60)
    void streamingFromASnapshotGivesTheChangesFromItOnAsDeltasChangeFeed() throws Exception {
        assertThat(streamed(orders.startingAt(2).withChangeFeed(), 4)).containsExactly(
                "+I[3, 2024-01-15T10:02, plum, 3.0, insert]",
                "+I[1, 2024-01-15T10:00, apple, 1.5, delete]",
                "+I[2, 2024-01-15T10:01, pear, 2.0, update_preimage]",
                "+I[2, 2024-01-15T10:01, pear, 2.5, update_postimage]");
        long secondCommit = PaimonTables.snapshotMillis(warehouse, "shop.orders", 2);
        assertThat(streamed(orders.asOf(secondCommit), 2)).containsExactly(
                "+I[3, 2024-01-15T10:02, plum, 3.0]",
                "+I[2, 2024-01-15T10:01, pear, 2.5]");
    }

    @Test
    @Timeout(60)
    void streamingSeesTheLatestSnapshotThenACommitMadeAfterTheJobStarted() throws Exception {
        StreamExecutionEnvironment env = FlinkTests.environment();
        try (CloseableIterator<Row> rows = PaimonSources.rows(env, orders.withChangeFeed(), false, null).executeAndCollect()) {
            List<String> seen = new ArrayList<>(List.of(rows.next().toString(), rows.next().toString()));
            PaimonExampleTables.commit(warehouse.toString(), "shop.orders", List.of(PaimonExampleTables.order(RowKind.INSERT, 4, "10:03", "fig", 4.0)));
            seen.add(rows.next().toString());

            assertThat(seen).containsExactly(
                    "+I[2, 2024-01-15T10:01, pear, 2.5, insert]",
                    "+I[3, 2024-01-15T10:02, plum, 3.0, insert]",
                    "+I[4, 2024-01-15T10:03, fig, 4.0, insert]");
        }
    }

    private static List<String> bounded(PaimonSources.Read read) throws Exception {
        List<String> rows = new ArrayList<>();
        PaimonSources.rows(FlinkTests.environment(), read, true, null).executeAndCollect().forEachRemaining(row -> rows.add(row.toString()));
        rows.sort(null);
        return rows;
    }

    /** The first {@code count} rows of a streaming read, in the order read (one bucket: one reader). */
    private static List<String> streamed(PaimonSources.Read read, int count) throws Exception {
        return PaimonSources.rows(FlinkTests.environment(), read, false, null).executeAndCollect(count).stream()
                .map(Row::toString).toList();
    }
}
