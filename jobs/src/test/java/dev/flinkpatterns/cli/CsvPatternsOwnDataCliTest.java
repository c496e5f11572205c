package dev.flinkpatterns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.io.TestDatasets;
import dev.flinkpatterns.testing.CapturedRun;
import dev.flinkpatterns.testing.FlinkTests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * csv-agg and csv-log over the user's own files: the taxi trips counted by any columns, the nested click events
 * printed with their typed columns; a column that is not there is one line.
 */
class CsvPatternsOwnDataCliTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    @TempDir
    Path tmp;

    @Test
    @Timeout(120)
    void csvAggCountsTaxiTripsByAnyColumns() throws Exception {
        CapturedRun run = CapturedRun.onContext("csv-agg", "--input", copy(TestDatasets.taxi()).toString(),
                "--schema", TestDatasets.TAXI_DDL, "--header", "false", "--timestamp-format",
                TestDatasets.TAXI_TIMESTAMP_FORMAT, "--group-by", "zone,passengers", "--trigger", "available-now",
                "--output", tmp.resolve("out").toString());

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("""
                -------------------------------------------
                Batch: 0
                -------------------------------------------
                +---------------+----------+-----+
                |           zone|passengers|count|
                +---------------+----------+-----+
                |         Harlem|         3|    1|
                |        Midtown|         1|    3|
                |Newark, Airport|         2|    1|
                |Newark, Airport|         4|    1|
                +---------------+----------+-----+

                """);
    }

    @Test
    @Timeout(120)
    void csvLogPrintsNestedJsonClicksWithTheirTypes() throws Exception {
        CapturedRun run = CapturedRun.onContext("csv-log", "--input", copy(TestDatasets.clicks()).toString(),
                "--format", "json", "--schema", TestDatasets.CLICKS_DDL, "--parallelism", "1", "--truncate", "false",
                "--trigger", "available-now", "--output", tmp.resolve("out").toString());

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        // Spark's show(): a struct as {42, DE}, an array as [promo, mobile]; a missing field and a null array null.
        assertThat(run.out()).isEqualTo("""
                -------------------------------------------
                Batch: 0
                -------------------------------------------
                +--------+-------------------+----------+---------+---------------+
                |event_id|ts                 |user      |page     |tags           |
                +--------+-------------------+----------+---------+---------------+
                |c1      |2024-01-15 10:00:03|{42, DE}  |/home    |[promo, mobile]|
                |c2      |2024-01-15 10:00:09|{7, FR}   |/cart    |[]             |
                |c3      |2024-01-15 10:01:30|{42, DE}  |/checkout|[mobile]       |
                |c4      |2024-01-15 10:02:00|{99, null}|/home    |[promo]        |
                |c5      |2024-01-15 10:02:45|{7, FR}   |/home    |null           |
                +--------+-------------------+----------+---------+---------------+

                """);
    }

    @Test
    void aColumnThatIsNotThereIsOneLine() throws Exception {
        CapturedRun.onContext("csv-agg", "--input", copy(TestDatasets.taxi()).toString(), "--schema", TestDatasets.TAXI_DDL,
                        "--group-by", "borough")
                .assertOneLineError("patterns csv-agg: --group-by borough: no such column; columns: "
                        + TestDatasets.TAXI_DDL + " (see 'patterns csv-agg --help')");
    }

    /** The dataset's files in a directory of the test's own. */
    private Path copy(Path dataset) throws Exception {
        Path input = tmp.resolve(dataset.getFileName().toString());
        Files.createDirectories(input);
        try (var files = Files.list(dataset)) {
            for (Path file : files.sorted().toList()) {
                Files.copy(file, input.resolve(file.getFileName()));
            }
        }
        return input;
    }
}
