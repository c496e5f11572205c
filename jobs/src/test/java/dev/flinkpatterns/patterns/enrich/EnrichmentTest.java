package dev.flinkpatterns.patterns.enrich;

import static dev.flinkpatterns.testing.FlinkTests.writeLines;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.DeadLetter;
import dev.flinkpatterns.io.FileSources;
import dev.flinkpatterns.io.PostgresConnection;
import dev.flinkpatterns.io.SourceLine;
import dev.flinkpatterns.run.PatternOutputs;
import dev.flinkpatterns.services.EmbeddedPostgresExtension;
import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.testing.FlinkTests;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workshop's stream-static LEFT join while the job runs: the broadcast catalog file switches to a new version
 * from then on, and the SQL lookup join sees a PostgreSQL UPDATE once its cache entry expired. No sleeps: after a
 * change, probe orders are written until one comes back with the new values, then the real batch is asserted exactly.
 */
class EnrichmentTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    @RegisterExtension
    static final EmbeddedPostgresExtension POSTGRES = new EmbeddedPostgresExtension();

    static final String ORDERS_HEADER = "order_time,order_id,user_id,product_id,quantity,amount";
    static final String CATALOG_HEADER = "product_id,product_name,category,price";

    @TempDir
    Path tmp;

    private int files;

    private void writeOrders(Path dir, String... rows) throws Exception {
        String[] lines = new String[rows.length + 1];
        lines[0] = ORDERS_HEADER;
        System.arraycopy(rows, 0, lines, 1, rows.length);
        writeLines(dir, "orders_" + files++ + ".csv", lines);
    }

    private static DataStream<SourceLine> watched(StreamExecutionEnvironment env, Path dir) {
        return env.fromSource(FileSources.lines(dir.toString(), Trigger.DEFAULT, Duration.ofMillis(100)),
                WatermarkStrategy.noWatermarks(), "orders");
    }

    /** The next {@code count} rows, as "cells joined by |", in the order of the result's keys. */
    private static List<String> next(CloseableIterator<Change> rows, int count) {
        List<Change> changes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            changes.add(rows.next());
        }
        changes.sort(java.util.Comparator.comparing(Change::key));
        return changes.stream().map(change -> String.join("|", dev.flinkpatterns.table.ShownValues.show(change.cells()))).toList();
    }

    /** Writes probe files (one order per product given) until every probe row of a round passes {@code updated}. */
    private void probeUntil(Path orders, CloseableIterator<Change> rows, Predicate<List<String>> updated,
            String... products) throws Exception {
        for (int round = 0; ; round++) {
            String[] probes = new String[products.length];
            for (int i = 0; i < products.length; i++) {
                probes[i] = "2024-03-01T00:00:00.000000,probe-" + round + "-" + i + ",0," + products[i] + ",1,1.00";
            }
            writeOrders(orders, probes);
            if (updated.test(next(rows, products.length))) {
                return;
            }
        }
    }

    @Test
    @Timeout(120)
    void aNewCatalogFileAppliesFromThenOn() throws Exception {
        Path orders = tmp.resolve("orders");
        Path catalog = writeLines(tmp.resolve("catalog"), "product_catalog.csv", CATALOG_HEADER,
                "p1,pen,office,1.50", "p2,ink,office,2.00");
        writeOrders(orders,
                "2024-03-01T10:00:00.000000,o1,1,p1,2,3.00",
                "2024-03-01T10:00:01.000000,o2,2,p2,1,2.00",
                "2024-03-01T10:00:02.000000,o3,1,p9,1,9.99",
                "2024-03-01T10:00:03.000000,o-bad,1,p1,two,3.00");

        StreamExecutionEnvironment env = FlinkTests.environment();
        env.setParallelism(2);
        PatternOutputs outputs = Enrichment.withFileTable(watched(env, orders), catalog.toString(), Duration.ofMillis(50),
                OutputMode.APPEND, Trigger.DEFAULT);
        CloseableIterator<Change> rows = outputs.table().changes().collectAsync();
        CloseableIterator<DeadLetter> deadLetters = outputs.deadLetters().collectAsync();
        JobClient job = env.executeAsync("enrich from a catalog file");
        try {
            assertThat(next(rows, 3)).containsExactly(
                    "2024-03-01 10:00:00|o1|1|p1|2|3.0|pen|office|1.5",
                    "2024-03-01 10:00:01|o2|2|p2|1|2.0|ink|office|2.0",
                    "2024-03-01 10:00:02|o3|1|p9|1|9.99|null|null|null");
            assertThat(deadLetters.next().reason()).isEqualTo("quantity is not an integer: 'two'");

            writeLines(catalog.getParent(), "product_catalog.csv", CATALOG_HEADER,
                    "p1,fountain pen,office,9.00", "p9,paper,stationery,0.50", "p3,broken,office,cheap");
            // Every join instance has version 2 once each product's probe shows it (p2 left the catalog).
            probeUntil(orders, rows, probe -> probe.get(0).endsWith("|fountain pen|office|9.0")
                    && probe.get(1).endsWith("|null|null|null") && probe.get(2).endsWith("|paper|stationery|0.5"),
                    "p1", "p2", "p9");
            assertThat(deadLetters.next()).isEqualTo(new DeadLetter(catalog.toString(), 4, "p3,broken,office,cheap",
                    "price is not a number: 'cheap'"));

            writeOrders(orders,
                    "2024-03-01T11:00:00.000000,o4,1,p1,1,9.00",
                    "2024-03-01T11:00:01.000000,o5,2,p2,3,6.00",
                    "2024-03-01T11:00:02.000000,o6,3,p9,4,2.00");
            assertThat(next(rows, 3)).containsExactly(
                    "2024-03-01 11:00:00|o4|1|p1|1|9.0|fountain pen|office|9.0",
                    "2024-03-01 11:00:01|o5|2|p2|3|6.0|null|null|null",
                    "2024-03-01 11:00:02|o6|3|p9|4|2.0|paper|stationery|0.5");
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
            rows.close();
            deadLetters.close();
        }
    }

    @Test
    @Timeout(180)
    void theLookupJoinSeesAnUpdateOnceTheCacheEntryExpired() throws Exception {
        PostgresConnection database = new PostgresConnection(POSTGRES.jdbcUrl(), "postgres", "");
        Path catalogFile = writeLines(tmp.resolve("catalog"), "product_catalog.csv", CATALOG_HEADER,
                "p1,pen,office,1.50", "p2,ink,office,2.00", "p2,ink again,office,2.50");
        CatalogTable.Loaded loaded = CatalogTable.load(database, "products", catalogFile.toString());
        assertThat(loaded.rows()).isEqualTo(2);
        assertThat(loaded.content().rejected()).extracting(DeadLetter::reason)
                .containsExactly("duplicate product_id p2: the row of line 3 is kept");
        assertThat(POSTGRES.query("SELECT * FROM products ORDER BY product_id"))
                .containsExactly("p1|pen|office|1.5", "p2|ink|office|2");

        Path orders = tmp.resolve("orders");
        writeOrders(orders,
                "2024-03-01T10:00:00.000000,o1,1,p1,2,3.00",
                "2024-03-01T10:00:01.000000,o2,2,p2,1,2.00",
                "2024-03-01T10:00:02.000000,o3,1,p9,1,9.99");
        StreamExecutionEnvironment env = FlinkTests.environment();
        // One lookup instance, one cache: once a probe sees the update, every later order does.
        env.setParallelism(1);
        PatternOutputs outputs = Enrichment.withLookupJoin(watched(env, orders),
                new Enrichment.CatalogLookup(database, "products", Duration.ofMillis(300)), OutputMode.APPEND,
                Trigger.DEFAULT);
        CloseableIterator<Change> rows = outputs.table().changes().collectAsync();
        JobClient job = env.executeAsync("enrich by a lookup join");
        try {
            assertThat(next(rows, 3)).containsExactly(
                    "2024-03-01 10:00:00|o1|1|p1|2|3.0|pen|office|1.5",
                    "2024-03-01 10:00:01|o2|2|p2|1|2.0|ink|office|2.0",
                    "2024-03-01 10:00:02|o3|1|p9|1|9.99|null|null|null");

            POSTGRES.execute("UPDATE products SET product_name = 'fountain pen', price = 9.0 WHERE product_id = 'p1'",
                    "INSERT INTO products VALUES ('p9', 'paper', 'stationery', 0.5)");
            probeUntil(orders, rows, probe -> probe.get(0).endsWith("|fountain pen|office|9.0")
                    && probe.get(1).endsWith("|paper|stationery|0.5"), "p1", "p9");

            writeOrders(orders,
                    "2024-03-01T11:00:00.000000,o4,1,p1,1,9.00",
                    "2024-03-01T11:00:01.000000,o5,2,p2,3,6.00",
                    "2024-03-01T11:00:02.000000,o6,3,p9,4,2.00");
            assertThat(next(rows, 3)).containsExactly(
                    "2024-03-01 11:00:00|o4|1|p1|1|9.0|fountain pen|office|9.0",
                    "2024-03-01 11:00:01|o5|2|p2|3|6.0|ink|office|2.0",
                    "2024-03-01 11:00:02|o6|3|p9|4|2.0|paper|stationery|0.5");
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
            rows.close();
        }
    }
}
