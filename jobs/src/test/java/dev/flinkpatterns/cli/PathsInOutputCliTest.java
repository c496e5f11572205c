package dev.flinkpatterns.cli;

import static dev.flinkpatterns.testing.FlinkTests.writeLines;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.testing.CapturedRun;
import dev.flinkpatterns.testing.FlinkTests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The end-of-run report names the directories as the user typed them, relative to the working directory. */
class PathsInOutputCliTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    @TempDir
    Path tmp;

    /** Relative to the working directory (the module's, under Maven), as a user types {@code data/output/...}. */
    private final String typed = "target/paths-in-output-" + UUID.randomUUID();

    @AfterEach
    void removeTheOutput() throws Exception {
        try (Stream<Path> files = Files.walk(Path.of(typed))) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    @Test
    void resultsDeadLettersAndLateRowsAreShownRelativeAsTyped() throws Exception {
        Path input = writeLines(tmp.resolve("input"), "transaction_batch_0.csv",
                "event_time,transaction_id,user_id,category,region,amount",
                "2024-01-15T10:01:00,t-1,1,books,north,10.50",
                "2024-01-15T10:06:00,t-2,3,books,north,1.00",
                "2024-01-15T10:04:00,t-3,4,books,north,99.99", // late: the watermark passed 10:05
                "2024-01-15T10:07:00,t-4,3,books,north,oops").getParent();

        CapturedRun run = CapturedRun.onContext("window-agg", "--source", "transactions", "--input", input.toString(),
                "--window", "5m", "--watermark", "1m", "--watermark-every-event", "--group-by", "category",
                "--trigger", "available-now", "--sink", "csv", "--output", typed + "/out",
                "--late-output", "./" + typed + "/late");

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("Results: written to " + typed + "/out/results\n"
                + "Dead letters: 1 malformed record(s) written to " + typed + "/out/dead-letter\n"
                + "Late rows: 1 dropped behind the watermark, written to " + typed + "/late\n");
        // The job itself wrote where the relative paths point.
        assertThat(Path.of(typed, "out/results")).isDirectory();
        assertThat(FlinkTests.linesOfVisibleFiles(Path.of(typed, "late"))).hasSize(1);
    }
}
