package dev.flinkpatterns.cli;

import static dev.flinkpatterns.testing.FlinkTests.writeLines;
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
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** --sink parquet|json|csv with --partition-by: the result table's rows as files, exactly, in their partitions. */
class FilesCliTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    @TempDir
    Path tmp;

    /** Every line of every file under {@code dir}, prefixed with its directory, sorted. */
    private static List<String> linesByDirectory(Path dir) throws Exception {
        List<String> lines = new ArrayList<>();
        try (var files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path parent = dir.relativize(file).getParent();
                Files.readAllLines(file).forEach(line -> lines.add((parent == null ? "." : parent.toString()) + " " + line));
            }
        }
        lines.sort(null);
        return lines;
    }

    @Test
    void csvLogWritesJsonLinesPartitionedByTheHourOfTheirTimestamp() throws Exception {
        Path input = tmp.resolve("input");
        writeLines(input, "event_batch_0.csv",
                "timestamp,user_id,event",
                "2025-07-15T09:59:59.999999,3,logout",
                "2025-07-15T10:00:00.000001,2,login",
                "not a time,2",
                "2025-07-15T23:30:00,5,\"purchase, gift\"");
        writeLines(input, "event_batch_1.csv",
                "timestamp,user_id,event",
                "2025-07-16T00:00:00,1,view");
        Path out = tmp.resolve("out");

        CapturedRun run = CapturedRun.onContext("csv-log", "--input", input.toString(), "--trigger", "available-now",
                "--sink", "json", "--partition-by", "timestamp", "--output", out.toString());

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("Results: written to " + DisplayPath.of(out.resolve("results")) + "\n"
                + "Dead letters: 1 malformed record(s) written to " + DisplayPath.of(out.resolve("dead-letter")) + "\n");
        // Typed values: user_id is an int, so a JSON number; timestamp is a string in the seed's schema.
        assertThat(linesByDirectory(out.resolve("results"))).containsExactly(
                "date=2025-07-15/hour=09 {\"timestamp\":\"2025-07-15T09:59:59.999999\",\"user_id\":3,\"event\":\"logout\"}",
                "date=2025-07-15/hour=10 {\"timestamp\":\"2025-07-15T10:00:00.000001\",\"user_id\":2,\"event\":\"login\"}",
                "date=2025-07-15/hour=23 {\"timestamp\":\"2025-07-15T23:30:00\",\"user_id\":5,\"event\":\"purchase, gift\"}",
                "date=2025-07-16/hour=00 {\"timestamp\":\"2025-07-16T00:00:00\",\"user_id\":1,\"event\":\"view\"}");
        assertThat(FlinkTests.linesOfVisibleFiles(out.resolve("dead-letter"))).singleElement().asString()
                .contains("\"line\":4,\"record\":\"not a time,2\"");
    }

    @Test
    void csvLogWritesCsvWithoutPartitions() throws Exception {
        Path input = tmp.resolve("input");
        writeLines(input, "event_batch_0.csv",
                "timestamp,user_id,event",
                "2025-07-15T09:59:59.999999,3,logout",
                "2025-07-15T23:30:00,5,\"purchase, gift\"");
        Path out = tmp.resolve("out");

        CapturedRun run = CapturedRun.onContext("csv-log", "--input", input.toString(), "--trigger", "once",
                "--sink", "csv", "--output", out.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(linesByDirectory(out.resolve("results"))).containsExactly(
                ". 2025-07-15T09:59:59.999999,3,logout",
                ". 2025-07-15T23:30:00,5,\"purchase, gift\"",
                ". timestamp,user_id,event"); // the header (Spark's header=true)
    }

    @Test
    void fileSinksAppendOnlyAndPartitionByAnExistingColumn() throws Exception {
        String input = Files.createDirectories(tmp.resolve("input")).toString();
        CapturedRun.onContext("csv-agg", "--input", input, "--sink", "parquet").assertOneLineError(
                "patterns csv-agg: --sink parquet: Data source parquet does not support complete output mode"
                        + " (a file sink only adds files; use --output-mode append) (see 'patterns csv-agg --help')");
        CapturedRun.onContext("csv-log", "--input", input, "--sink", "csv", "--partition-by", "window_start").assertOneLineError(
                "patterns csv-log: --partition-by window_start: no such column; the columns are timestamp, user_id, event"
                        + " (see 'patterns csv-log --help')");
        CapturedRun.onContext("csv-log", "--input", input, "--partition-by", "timestamp").assertOneLineError(
                "patterns csv-log: --partition-by needs a file sink (--sink parquet, json or csv), not --sink console"
                        + " (see 'patterns csv-log --help')");
        CapturedRun.onContext("csv-log", "--input", input, "--max-files-per-trigger", "1", "--trigger", "once")
                .assertOneLineError("patterns csv-log: --max-files-per-trigger does not apply to --trigger once, which"
                        + " reads the files that exist now in one batch (as Spark's Trigger.Once); use --trigger"
                        + " available-now (see 'patterns csv-log --help')");
    }

    @Test
    void aLineLongerThanMaxLineLengthIsADeadLetterAndTheRunGoesOn() throws Exception {
        Path input = tmp.resolve("input");
        String longLine = "2025-07-15T10:00:00,1," + "v".repeat(100);
        writeLines(input, "event_batch_0.csv", "timestamp,user_id,event", longLine, "2025-07-15T10:00:01,2,login");
        Path out = tmp.resolve("out");

        CapturedRun run = CapturedRun.onContext("csv-log", "--input", input.toString(), "--trigger", "available-now",
                "--sink", "csv", "--max-line-length", "64", "--output", out.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(linesByDirectory(out.resolve("results"))).containsExactly(". 2025-07-15T10:00:01,2,login",
                ". timestamp,user_id,event");
        assertThat(FlinkTests.linesOfVisibleFiles(out.resolve("dead-letter"))).singleElement().asString()
                .endsWith("\"line\":2,\"record\":\"" + longLine.substring(0, 64) + "\",\"reason\":\"line too long: 122 "
                        + "bytes, more than the limit of 64 bytes (--max-line-length); the record holds its first 64 bytes\"}");

        String dir = input.toString();
        CapturedRun.onContext("csv-log", "--input", dir, "--max-line-length", "0").assertOneLineError(
                "patterns csv-log: Invalid value for option '--max-line-length': '0' must be at least 1 byte and below 2 GiB"
                        + " (see 'patterns csv-log --help')");
        CapturedRun.onContext("csv-log", "--input", dir, "--max-line-length", "lots").assertOneLineError(
                "patterns csv-log: Invalid value for option '--max-line-length': 'lots' is not a size in bytes (e.g. 4096, "
                        + "64kb, 1mb) (see 'patterns csv-log --help')");
    }
}
