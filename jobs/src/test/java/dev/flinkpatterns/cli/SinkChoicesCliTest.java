package dev.flinkpatterns.cli;

import static dev.flinkpatterns.testing.FlinkTests.linesOfVisibleFiles;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.testing.CapturedRun;
import dev.flinkpatterns.testing.EventFiles;
import dev.flinkpatterns.testing.FlinkTests;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** --sink memory (a SQL query over the final table) and --sink files-2pc (JSON lines, exactly once). */
class SinkChoicesCliTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    @TempDir
    Path tmp;

    /** login 3, logout 1, purchase 2, view 2. */
    private Path input() throws Exception {
        return EventFiles.oneFile(tmp.resolve("input"));
    }

    @Test
    void memorySinkPrintsTheQueryOverTheFinalTable() throws Exception {
        CapturedRun run = CapturedRun.onContext("csv-agg", "--input", input().toString(), "--trigger", "available-now",
                "--output", tmp.resolve("out").toString(), "--sink", "memory", "--query-name", "event_counts",
                "--memory-query", "SELECT event, `count` FROM event_counts WHERE `count` > 1 ORDER BY `count` DESC, event");

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("""
                SELECT event, `count` FROM event_counts WHERE `count` > 1 ORDER BY `count` DESC, event
                +--------+-----+
                |   event|count|
                +--------+-----+
                |   login|    3|
                |purchase|    2|
                |    view|    2|
                +--------+-----+
                """);
    }

    @Test
    void memorySinkWithoutAQueryShowsTheWholeTableUnderThePatternsName() throws Exception {
        CapturedRun run = CapturedRun.onContext("csv-agg", "--input", input().toString(), "--trigger", "available-now",
                "--output", tmp.resolve("out").toString(), "--sink", "memory");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("SELECT * FROM csv_agg ORDER BY 1\n" + EventFiles.COUNTS_TABLE);
    }

    @Test
    void filesTwoPcWritesTheRowsAsJsonLinesAndLeavesNoPendingFile() throws Exception {
        Path out = tmp.resolve("out");
        CapturedRun run = CapturedRun.onContext("csv-log", "--input", input().toString(), "--trigger", "available-now",
                "--output", out.toString(), "--sink", "files-2pc");

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEmpty();
        assertThat(linesOfVisibleFiles(out.resolve("results"))).containsExactly(
                "{\"timestamp\":\"2025-07-15T15:03:21.123456\",\"user_id\":3,\"event\":\"logout\"}",
                "{\"timestamp\":\"2025-07-15T15:03:21.223456\",\"user_id\":2,\"event\":\"login\"}",
                "{\"timestamp\":\"2025-07-15T15:03:21.323456\",\"user_id\":2,\"event\":\"view\"}",
                "{\"timestamp\":\"2025-07-15T15:03:21.423456\",\"user_id\":5,\"event\":\"purchase\"}",
                "{\"timestamp\":\"2025-07-15T15:03:24.000001\",\"user_id\":1,\"event\":\"login\"}",
                "{\"timestamp\":\"2025-07-15T15:03:24.000002\",\"user_id\":4,\"event\":\"view\"}",
                "{\"timestamp\":\"2025-07-15T15:03:24.000003\",\"user_id\":1,\"event\":\"login\"}",
                "{\"timestamp\":\"2025-07-15T15:03:24.000004\",\"user_id\":5,\"event\":\"purchase\"}");
        try (var files = Files.list(out.resolve("results"))) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("."))).isEmpty();
        }
    }

    @Test
    void filesTwoPcInCompleteModeWritesKeyedChanges() throws Exception {
        Path out = tmp.resolve("out");
        CapturedRun run = CapturedRun.onContext("csv-agg", "--input", input().toString(), "--trigger", "available-now",
                "--output", out.toString(), "--sink", "files-2pc");

        assertThat(run.exitCode()).isZero();
        // the last change of each key is the final count
        assertThat(linesOfVisibleFiles(out.resolve("results"))).contains(
                "{\"key\":\"login\",\"event\":\"login\",\"count\":3}",
                "{\"key\":\"logout\",\"event\":\"logout\",\"count\":1}",
                "{\"key\":\"purchase\",\"event\":\"purchase\",\"count\":2}",
                "{\"key\":\"view\",\"event\":\"view\",\"count\":2}");
    }

    @Test
    void queryOptionsWithoutTheMemorySinkAreRefused() {
        CapturedRun.onContext("csv-agg", "--query-name", "t").assertOneLineError(
                "patterns csv-agg: --query-name and --memory-query go with --sink memory (see 'patterns csv-agg --help')");
    }

    @Test
    void aQueryNameSqlCannotUseIsRefused() {
        CapturedRun.onContext("csv-agg", "--sink", "memory", "--query-name", "my-table").assertOneLineError(
                "patterns csv-agg: --query-name: query name must be letters, digits and _ (not first a digit), "
                        + "got 'my-table' (see 'patterns csv-agg --help')");
    }
}
