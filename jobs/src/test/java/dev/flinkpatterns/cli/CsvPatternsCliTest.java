package dev.flinkpatterns.cli;

import static dev.flinkpatterns.testing.FlinkTests.linesOfVisibleFiles;
import static dev.flinkpatterns.testing.FlinkTests.writeLines;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.core.DisplayPath;
import dev.flinkpatterns.testing.CapturedRun;
import dev.flinkpatterns.testing.EventFiles;
import dev.flinkpatterns.testing.FlinkTests;
import java.nio.file.Path;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

/** csv-agg and csv-log through the CLI, on fixed files, with exact console output and dead letters. */
class CsvPatternsCliTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    @TempDir
    Path tmp;

    /** Two files, counted by hand: login 3, logout 1, purchase 2, view 2. */
    private Path twoFiles() throws Exception {
        return EventFiles.twoFiles(tmp.resolve("input"));
    }

    @Test
    void csvAggAvailableNowPrintsTheFinalCompleteTableAndExits() throws Exception {
        Path input = twoFiles();

        CapturedRun run = CapturedRun.onContext(
                "csv-agg", "--input", input.toString(), "--trigger", "available-now", "--output", tmp.resolve("out").toString());

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo(CapturedRun.batch(0, EventFiles.COUNTS_TABLE));
        assertThat(linesOfVisibleFiles(tmp.resolve("out/dead-letter"))).isEmpty();
    }

    @Test
    void malformedRowsGoToDeadLettersAndTheCountsCoverExactlyTheValidRows() throws Exception {
        Path input = tmp.resolve("input");
        writeLines(input, "event_batch_0.csv",
                "timestamp,user_id,event",
                "2025-07-15T15:03:21.000001,3,logout",
                "2025-07-15T15:03:21.000002,2",
                "2025-07-15T15:03:21.000003,2,view,extra",
                "",
                "2025-07-15T15:03:21.000005,user4,login",
                "yesterday,1,login",
                "2025-07-15T15:03:21.000007,1,login",
                "2025-07-15T15:03:21.000008,5,\"purchase\"");
        Path out = tmp.resolve("out");

        CapturedRun run = CapturedRun.onContext(
                "csv-agg", "--input", input.toString(), "--trigger", "once", "--output", out.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("""
                -------------------------------------------
                Batch: 0
                -------------------------------------------
                +--------+-----+
                |   event|count|
                +--------+-----+
                |   login|    1|
                |  logout|    1|
                |purchase|    1|
                +--------+-----+

                Dead letters: 4 malformed record(s) written to %s
                """.formatted(DisplayPath.of(out.resolve("dead-letter"))));
        String file = "file:" + input.resolve("event_batch_0.csv");
        assertThat(linesOfVisibleFiles(out.resolve("dead-letter"))).containsExactly(
                "{\"path\":\"" + file + "\",\"line\":3,\"record\":\"2025-07-15T15:03:21.000002,2\","
                        + "\"reason\":\"expected 3 fields (timestamp,user_id,event) but found 2\"}",
                "{\"path\":\"" + file + "\",\"line\":4,\"record\":\"2025-07-15T15:03:21.000003,2,view,extra\","
                        + "\"reason\":\"expected 3 fields (timestamp,user_id,event) but found 4\"}",
                "{\"path\":\"" + file + "\",\"line\":6,\"record\":\"2025-07-15T15:03:21.000005,user4,login\","
                        + "\"reason\":\"user_id is not an integer: 'user4'\"}",
                "{\"path\":\"" + file + "\",\"line\":7,\"record\":\"yesterday,1,login\","
                        + "\"reason\":\"timestamp is not an ISO-8601 date-time: 'yesterday'\"}");
    }

    @Test
    void csvAggUpdateModeShowsTheChangedRows() throws Exception {
        CapturedRun run = CapturedRun.onContext("csv-agg", "--input", twoFiles().toString(),
                "--trigger", "available-now", "--output-mode", "update", "--output", tmp.resolve("out").toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("|   login|    3|", "|  logout|    1|", "|purchase|    2|", "|    view|    2|");
    }

    @Test
    void csvLogPrintsTheRowsInFileOrderWithSparksTruncation() throws Exception {
        Path input = twoFiles();

        CapturedRun run = CapturedRun.onContext("csv-log", "--input", input.toString(), "--trigger", "available-now",
                "--output", tmp.resolve("out").toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("""
                -------------------------------------------
                Batch: 0
                -------------------------------------------
                +--------------------+-------+--------+
                |           timestamp|user_id|   event|
                +--------------------+-------+--------+
                |2025-07-15T15:03:...|      3|  logout|
                |2025-07-15T15:03:...|      2|   login|
                |2025-07-15T15:03:...|      2|    view|
                |2025-07-15T15:03:...|      5|purchase|
                |2025-07-15T15:03:...|      1|   login|
                |2025-07-15T15:03:...|      4|    view|
                |2025-07-15T15:03:...|      1|   login|
                |2025-07-15T15:03:...|      5|purchase|
                +--------------------+-------+--------+

                """);
    }

    @Test
    void csvLogWithoutTruncationAndFewerRowsPerBatch() throws Exception {
        CapturedRun run = CapturedRun.onContext("csv-log", "--input", twoFiles().toString(), "--trigger", "available-now",
                "--truncate", "false", "--num-rows", "3", "--output", tmp.resolve("out").toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("""
                -------------------------------------------
                Batch: 0
                -------------------------------------------
                +--------------------------+-------+------+
                |timestamp                 |user_id|event |
                +--------------------------+-------+------+
                |2025-07-15T15:03:21.123456|3      |logout|
                |2025-07-15T15:03:21.223456|2      |login |
                |2025-07-15T15:03:21.323456|2      |view  |
                +--------------------------+-------+------+
                only showing top 3 rows

                """);
    }
}
