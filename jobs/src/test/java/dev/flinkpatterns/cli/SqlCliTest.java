package dev.flinkpatterns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.core.DisplayPath;
import dev.flinkpatterns.testing.CapturedRun;
import dev.flinkpatterns.testing.FlinkTests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sql}: the user's own query over event files in two batches (the second with a row late for its window);
 * a windowed count in append mode, a GROUP BY in update and complete mode, a CREATE VIEW from a query file, and the
 * one-line errors: a syntax error with its position, an updating query refused in append mode.
 */
class SqlCliTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    private static final String COUNTS = "SELECT event, COUNT(*) AS events FROM events GROUP BY event";

    @TempDir
    Path tmp;

    /** Spark's groupBy(window("timestamp", "10 minutes"), "event").count() with a 5-minute watermark. */
    @Test
    @Timeout(60)
    void windowedCountClosesWindowsByTheWatermarkAndDropsTheLateRow() throws Exception {
        CapturedRun run = CapturedRun.onContext(sql("--watermark", "5m", "--watermark-every-event", "--query", """
                SELECT window_start, window_end, event, COUNT(*) AS events
                FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(`timestamp`), INTERVAL '10' MINUTES))
                GROUP BY window_start, window_end, event"""));

        run.assertPrinted(CapturedRun.batch(0, """
                +-------------------+-------------------+--------+------+
                |       window_start|         window_end|   event|events|
                +-------------------+-------------------+--------+------+
                |2024-01-15 10:00:00|2024-01-15 10:10:00|   login|     2|
                |2024-01-15 10:00:00|2024-01-15 10:10:00|purchase|     1|
                |2024-01-15 10:10:00|2024-01-15 10:20:00|  logout|     1|
                |2024-01-15 10:10:00|2024-01-15 10:20:00|    view|     2|
                |2024-01-15 10:20:00|2024-01-15 10:30:00|   login|     1|
                +-------------------+-------------------+--------+------+
                """));
    }

    @Test
    @Timeout(60)
    void groupByWithoutWindowIsUpdatedInUpdateModeAndWholeInCompleteMode() throws Exception {
        String table = CapturedRun.batch(0, """
                +--------+------+
                |   event|events|
                +--------+------+
                |   login|     4|
                |  logout|     1|
                |purchase|     1|
                |    view|     2|
                +--------+------+
                """);
        CapturedRun.onContext(sql("--query", COUNTS)).assertPrinted(table);
        CapturedRun.onContext(sql("--query", COUNTS, "--output-mode", "complete")).assertPrinted(table);
    }

    @Test
    @Timeout(60)
    void aQueryFileDeclaresAViewThatTheQueryReads() throws Exception {
        Path file = tmp.resolve("logins.sql");
        Files.writeString(file, """
                -- the users' logins; a ';' in a comment or a 'string;' does not end a statement
                CREATE TEMPORARY VIEW logins AS
                  SELECT user_id, `timestamp` FROM events WHERE event = 'login' AND event <> 'log;in';

                SELECT user_id, COUNT(*) AS logins, MAX(`timestamp`) AS last_login
                FROM logins GROUP BY user_id;
                """);

        CapturedRun run = CapturedRun.onContext(sql("--query-file", file.toString(), "--output-mode", "complete"));

        run.assertPrinted(CapturedRun.batch(0, """
                +-------+------+-------------------+
                |user_id|logins|         last_login|
                +-------+------+-------------------+
                |      1|     2|2024-01-15 10:21:00|
                |      2|     1|2024-01-15 10:08:00|
                |      3|     1|2024-01-15 10:02:00|
                +-------+------+-------------------+
                """));
    }

    @Test
    void aSyntaxErrorIsOneLineWithItsPosition() throws Exception {
        Path file = tmp.resolve("typo.sql");
        Files.writeString(file, "CREATE TEMPORARY VIEW logins AS SELECT * FROM events;\n\nSELECT event,\n  FROM events\n");

        CapturedRun.onContext(sql("--query-file", file.toString())).assertOneLineError("patterns sql: --query-file "
                + file + ": line 4, column 3: Incorrect syntax near the keyword 'FROM' (see 'patterns sql --help')");
        CapturedRun.onContext(sql("--query", "SELECT evnt FROM events")).assertOneLineError("patterns sql: --query: "
                + "line 1, column 8: Column 'evnt' not found in any table (see 'patterns sql --help')");
        CapturedRun.onContext(sql("--query", "SELECT * FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(ts), INTERVAL '1' "
                + "MINUTE))")).assertOneLineError("patterns sql: --query: line 1, column 53: Unknown identifier 'ts' (see "
                + "'patterns sql --help')");
        CapturedRun.onContext(sql("--query-file", file.toString().replace("typo", "missing"))).assertOneLineError(
                "patterns sql: --query-file " + tmp.resolve("missing.sql") + ": cannot be read (NoSuchFileException) "
                        + "(see 'patterns sql --help')");
    }

    @Test
    void anUpdatingQueryIsRefusedInAppendModeWithSparksReason() throws Exception {
        CapturedRun.onContext(sql("--query", COUNTS, "--output-mode", "append")).assertOneLineError("patterns sql: "
                + "--output-mode append: Append output mode not supported when there are streaming aggregations on "
                + "streaming DataFrames/DataSets without watermark (a count can still change, so no row is final) "
                + "(see 'patterns sql --help')");
    }

    /** Sources of two shapes, each with its own schema (a DECIMAL summed exactly), joined. */
    @Test
    @Timeout(60)
    void eachSourceMayHaveItsOwnSchemaAndFormat() throws Exception {
        Path orders = FlinkTests.writeLines(tmp.resolve("orders"), "orders_0.csv", "order_time,order_id,user_id,amount",
                "2024-01-15T10:01:00,1,1,10.50", "2024-01-15T10:02:00,2,2,20.00", "2024-01-15T10:03:00,3,1,4.25",
                "2024-01-15T10:04:00,4,3,oops").getParent();
        Path users = FlinkTests.writeLines(tmp.resolve("users"), "users_0.json", "{\"user_id\":1,\"tier\":\"gold\"}",
                "{\"user_id\":2,\"tier\":\"silver\"}", "{\"user_id\":3,\"tier\":\"gold\"}").getParent();
        CapturedRun run = CapturedRun.onContext("sql", "--source", "orders=" + orders, "--source", "users=" + users,
                "--source-schema", "orders=order_time TIMESTAMP, order_id INT, user_id INT, amount DECIMAL(8,2)",
                "--source-schema", "users=user_id INT, tier STRING", "--source-format", "users=json",
                "--query", "SELECT u.tier, SUM(o.amount) AS revenue, COUNT(*) AS orders FROM orders o "
                        + "JOIN users u ON o.user_id = u.user_id GROUP BY u.tier",
                "--output-mode", "complete", "--trigger", "available-now", "--output", tmp.resolve("out").toString());

        // Order 4's amount is a dead letter: user 3 has no order.
        run.assertPrinted(CapturedRun.batch(0, """
                +------+-------+------+
                |  tier|revenue|orders|
                +------+-------+------+
                |  gold|  14.75|     2|
                |silver|  20.00|     1|
                +------+-------+------+
                """) + "Dead letters: 1 malformed record(s) written to " + DisplayPath.of(tmp.resolve("out/dead-letter"))
                + "\n");
        assertThat(FlinkTests.linesOfVisibleFiles(tmp.resolve("out/dead-letter")))
                .singleElement().asString().contains("\"record\":\"2024-01-15T10:04:00,4,3,oops\"");
        CapturedRun.onContext("sql", "--source", "orders=" + orders, "--source-schema", "users=user_id INT",
                "--query", "SELECT * FROM orders").assertOneLineError("patterns sql: --source-schema users=...: no "
                        + "--source users=...; sources: orders (see 'patterns sql --help')");
        CapturedRun.onContext("sql", "--source", "orders=" + orders, "--source-format", "orders=xml",
                "--query", "SELECT * FROM orders").assertOneLineError("patterns sql: --source-format orders: unknown "
                        + "format 'xml'; formats: csv, json, parquet, text (see 'patterns sql --help')");
    }

    /** The command over two files of events; the second's 10:02 purchase is late (watermark 10:16 by then). */
    private String[] sql(String... more) throws Exception {
        Path input = tmp.resolve("events");
        if (!Files.isDirectory(input)) {
            FlinkTests.writeLines(input, "event_batch_0.csv", "timestamp,user_id,event",
                    "2024-01-15T10:01:00,1,login", "2024-01-15T10:08:00,2,login", "2024-01-15T10:09:00,2,purchase",
                    "2024-01-15T10:12:00,1,view");
            FlinkTests.writeLines(input, "event_batch_1.csv", "timestamp,user_id,event",
                    "2024-01-15T10:21:00,1,login", "2024-01-15T10:02:00,3,login", "2024-01-15T10:15:00,2,view",
                    "2024-01-15T10:16:00,3,logout");
        }
        List<String> args = new ArrayList<>(List.of("sql", "--source", "events=" + input, "--trigger", "available-now",
                "--output", tmp.resolve("out").toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }
}
