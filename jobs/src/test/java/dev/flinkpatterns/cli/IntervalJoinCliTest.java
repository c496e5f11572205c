package dev.flinkpatterns.cli;

import static dev.flinkpatterns.testing.FlinkTests.linesOfVisibleFiles;
import static dev.flinkpatterns.testing.FlinkTests.writeLines;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.core.DisplayPath;
import dev.flinkpatterns.testing.CapturedRun;
import dev.flinkpatterns.testing.FlinkTests;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** interval-join through the CLI: the exact table of a full outer join in both APIs, the late rows, the refusals. */
class IntervalJoinCliTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    @TempDir
    Path tmp;

    private void writeInputs() throws Exception {
        writeLines(tmp.resolve("orders"), "orders_batch_0.csv", "order_time,order_id,user_id,product_id,quantity,amount",
                "2024-01-15T10:00:00.000000,o1,u1,prod-a,1,10.0",
                "2024-01-15T10:02:00.000000,o2,u2,prod-b,2,40.0",
                "2024-01-15T10:30:00.000000,o3,u3,prod-c,1,5.5",
                "2024-01-15T10:10:00.000000,o4,u4,prod-d,1,2.0", // late: the orders' watermark is 10:19:59.999
                "2024-01-15T10:31:00.000000,o5,u5,prod-e,x,1.0"); // malformed
        writeLines(tmp.resolve("shipments"), "shipments_batch_0.csv", "ship_time,shipment_id,shipment_order_id,carrier",
                "2024-01-15T10:45:00.000000,s1,o1,ups",
                "2024-01-15T11:02:00.000000,s2,o2,dhl",
                "2024-01-15T11:40:00.000000,s9,o9,ups");
    }

    @ParameterizedTest
    @ValueSource(strings = {"datastream", "sql"})
    void fullOuterJoinOfOrdersAndShipments(String api) throws Exception {
        writeInputs();
        Path late = tmp.resolve("late");
        CapturedRun run = CapturedRun.onContext("interval-join", "--dataset", "orders-shipments", "--join", "full",
                "--api", api, "--left-input", tmp.resolve("orders").toString(), "--right-input",
                tmp.resolve("shipments").toString(), "--watermark-every-event", "--trigger", "available-now",
                "--truncate", "false", "--late-output", late.toString(), "--output", tmp.resolve("out").toString());

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("""
                -------------------------------------------
                Batch: 0
                -------------------------------------------
                +-------------------+--------+-------+----------+--------+------+-------------------+-----------+-----------------+-------+
                |order_time         |order_id|user_id|product_id|quantity|amount|ship_time          |shipment_id|shipment_order_id|carrier|
                +-------------------+--------+-------+----------+--------+------+-------------------+-----------+-----------------+-------+
                |2024-01-15 10:00:00|o1      |u1     |prod-a    |1       |10.0  |2024-01-15 10:45:00|s1         |o1               |ups    |
                |2024-01-15 10:02:00|o2      |u2     |prod-b    |2       |40.0  |2024-01-15 11:02:00|s2         |o2               |dhl    |
                |2024-01-15 10:30:00|o3      |u3     |prod-c    |1       |5.5   |null               |null       |null             |null   |
                |null               |null    |null   |null      |null    |null  |2024-01-15 11:40:00|s9         |o9               |ups    |
                +-------------------+--------+-------+----------+--------+------+-------------------+-----------+-----------------+-------+

                Dead letters: 1 malformed record(s) written to %s
                Late rows: 1 dropped behind the watermark, written to %s
                """.formatted(DisplayPath.of(tmp.resolve("out/dead-letter")), DisplayPath.of(late)));
        assertThat(linesOfVisibleFiles(late)).containsExactly("{\"event_time\":\"2024-01-15 10:10:00\","
                + "\"watermark\":\"2024-01-15 10:19:59.999\",\"row\":{\"order_time\":\"2024-01-15 10:10:00\","
                + "\"order_id\":\"o4\",\"user_id\":\"u4\",\"product_id\":\"prod-d\",\"quantity\":1,\"amount\":2.0}}");
    }

    @Test
    void innerJoinOfClicksAndPurchasesToCsvFiles() throws Exception {
        writeLines(tmp.resolve("clicks"), "clicks_batch_0.csv", "click_time,click_id,user_id,page",
                "2024-01-15T10:00:00.000000,c1,u1,home", "2024-01-15T10:10:00.000000,c2,u2,cart");
        writeLines(tmp.resolve("purchases"), "purchases_batch_0.csv", "purchase_time,purchase_id,user_id,product_id,amount",
                "2024-01-15T10:59:59.999000,p1,u1,prod-a,12.5", "2024-01-15T11:10:00.001000,p2,u2,prod-b,3.0");
        CapturedRun run = CapturedRun.onContext("interval-join", "--left-input", tmp.resolve("clicks").toString(),
                "--right-input", tmp.resolve("purchases").toString(), "--trigger", "available-now", "--sink", "csv",
                "--output", tmp.resolve("out").toString());

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        // A CSV part file starts with its header; times are written as Spark's CSV writer writes them.
        assertThat(linesOfVisibleFiles(tmp.resolve("out/results"))).containsExactlyInAnyOrder(
                "click_time,click_id,user_id,page,purchase_time,purchase_id,purchases_user_id,product_id,amount",
                "2024-01-15T10:00:00.000Z,c1,u1,home,2024-01-15T10:59:59.999Z,p1,u1,prod-a,12.5");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--join outer|patterns interval-join: Invalid value for option '--join': 'outer' is not a join type; available: inner, left, right, full (see 'patterns interval-join --help')",
        "--output-mode complete|patterns interval-join: --output-mode complete: Join between two streaming DataFrames/Datasets is not supported in Complete output mode, only in Append output mode (see 'patterns interval-join --help')",
        "--output-mode update|patterns interval-join: --output-mode update: Join between two streaming DataFrames/Datasets is not supported in Update output mode, only in Append output mode (see 'patterns interval-join --help')",
        "--dataset views|patterns interval-join: --dataset 'views' is not a dataset; available: clicks-purchases, orders-shipments (see 'patterns interval-join --help')",
        "--idle-timeout 0s|patterns interval-join: --idle-timeout must be positive, got PT0S (see 'patterns interval-join --help')"})
    void refusesWithOneLine(String options, String expected) throws Exception {
        Files.createDirectories(tmp.resolve("l"));
        Files.createDirectories(tmp.resolve("r"));
        String[] args = ("interval-join --left-input " + tmp.resolve("l") + " --right-input " + tmp.resolve("r") + " "
                + options).split(" ");
        CapturedRun.onContext(args).assertOneLineError(expected);
    }

    @Test
    void aMissingInputDirectoryNamesTheGenerator() throws Exception {
        Files.createDirectories(tmp.resolve("orders"));
        Path shipments = tmp.resolve("shipments");
        CapturedRun.onContext("interval-join", "--dataset", "orders-shipments", "--left-input",
                tmp.resolve("orders").toString(), "--right-input", shipments.toString()).assertOneLineError(
                "patterns interval-join: --right-input " + shipments + ": no such directory (write orders and shipments "
                        + "files with: ./patterns generate orders) (see 'patterns interval-join --help')");
    }
}
