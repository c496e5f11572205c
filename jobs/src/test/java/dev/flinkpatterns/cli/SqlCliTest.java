package dev.flinkpatterns.cli;

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
