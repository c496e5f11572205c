package dev.flinkpatterns.cli;

import static dev.flinkpatterns.testing.FlinkTests.linesOfVisibleFiles;
import static dev.flinkpatterns.testing.FlinkTests.writeLines;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.core.DisplayPath;
import dev.flinkpatterns.testing.CapturedRun;
import dev.flinkpatterns.testing.FlinkTests;
import java.nio.file.Path;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** --sink foreach-batch: the batches as JSON lines files, the alerts of --alert-when beside them. */
class ForeachBatchCliTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    @TempDir
    Path tmp;

    private Path input() throws Exception {
        Path input = tmp.resolve("input");
        writeLines(input, "event_batch_0.csv",
                "timestamp,user_id,event",
                "2025-07-15T15:03:21.123456,3,logout",
                "2025-07-15T15:03:21.423456,5,purchase",
                "2025-07-15T15:03:24.000001,1,login",
                "2025-07-15T15:03:24.000004,2,purchase");
        return input;
    }

    @Test
    void writesEachBatchAndTheAlertsOfTheMatchingRows() throws Exception {
        Path out = tmp.resolve("out");
        CapturedRun run = CapturedRun.onContext("csv-log", "--input", input().toString(), "--trigger", "available-now",
                "--output", out.toString(), "--sink", "foreach-batch", "--alert-when", "event=purchase");

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(linesOfVisibleFiles(out.resolve("batches"))).containsExactly(
                "{\"timestamp\":\"2025-07-15T15:03:21.123456\",\"user_id\":3,\"event\":\"logout\"}",
                "{\"timestamp\":\"2025-07-15T15:03:21.423456\",\"user_id\":5,\"event\":\"purchase\"}",
                "{\"timestamp\":\"2025-07-15T15:03:24.000001\",\"user_id\":1,\"event\":\"login\"}",
                "{\"timestamp\":\"2025-07-15T15:03:24.000004\",\"user_id\":2,\"event\":\"purchase\"}");
        assertThat(linesOfVisibleFiles(out.resolve("alerts"))).containsExactly(
                "{\"timestamp\":\"2025-07-15T15:03:21.423456\",\"user_id\":5,\"event\":\"purchase\"}",
                "{\"timestamp\":\"2025-07-15T15:03:24.000004\",\"user_id\":2,\"event\":\"purchase\"}");
        assertThat(run.out()).startsWith("foreach-batch: ").contains(" batch file(s) in " + DisplayPath.of(out.resolve("batches")),
                " alert file(s) in " + DisplayPath.of(out.resolve("alerts")));
    }

    @Test
    void aNewRunInTheSameOutputHandlesItsBatchesDespiteTheMarkersOfTheRunBefore() throws Exception {
        Path out = tmp.resolve("out");
        Path input = input();
        assertThat(CapturedRun.onContext("csv-log", "--input", input.toString(), "--trigger", "available-now",
                "--output", out.toString(), "--sink", "foreach-batch").exitCode()).isZero();
        writeLines(input, "event_batch_1.csv", "timestamp,user_id,event", "2025-07-15T15:04:00.000000,9,view");
        // the first run's outputs moved away; its state directory (with the markers of its batches) stays
        try (var files = java.nio.file.Files.list(out.resolve("batches"))) {
            for (Path file : files.toList()) {
                java.nio.file.Files.delete(file);
            }
        }

        CapturedRun second = CapturedRun.onContext("csv-log", "--input", input.toString(), "--trigger", "available-now",
                "--output", out.toString(), "--sink", "foreach-batch");

        assertThat(second.exitCode()).isZero();
        // the second run's batch 1 holds all five rows: a stale marker would have made it skip them
        assertThat(linesOfVisibleFiles(out.resolve("batches"))).hasSize(5)
                .contains("{\"timestamp\":\"2025-07-15T15:04:00.000000\",\"user_id\":9,\"event\":\"view\"}");
    }

    @Test
    void alertWhenWithAnotherSinkIsRefused() {
        CapturedRun.onContext("csv-log", "--alert-when", "event=purchase").assertOneLineError(
                "patterns csv-log: --alert-when goes with --sink foreach-batch (see 'patterns csv-log --help')");
    }

    @Test
    void alertWhenOnAColumnTheResultLacksIsRefused() throws Exception {
        CapturedRun.onContext("csv-log", "--input", input().toString(), "--sink", "foreach-batch",
                "--output", tmp.resolve("out").toString(), "--alert-when", "severity=high").assertOneLineError(
                "patterns csv-log: --alert-when filter 'severity=high': no column severity; columns: "
                        + "timestamp, user_id, event (see 'patterns csv-log --help')");
    }
}
