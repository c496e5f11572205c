package dev.flinkpatterns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.testing.CapturedRun;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every bad invocation: exit code 2 and exactly one line on stderr, never a stack trace. No job is started. */
class CliErrorsTest {

    @TempDir
    static Path input;

    private static void assertOneLineError(CapturedRun run, String expectedLine) {
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo(expectedLine + "\n");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void unknownPatternNamesTheAvailableOnes() {
        assertOneLineError(CapturedRun.onContext("csv-magic"),
                "patterns: unknown pattern 'csv-magic'; available: csv-agg, csv-log, socket, window-agg, dedup, user-sessions, sensor-alerts, generate, demo"
                        + " (see 'patterns --help')");
    }

    @Test
    void unknownFlag() {
        assertOneLineError(CapturedRun.onContext("csv-agg", "--inptu", "x"),
                "patterns csv-agg: Unknown options: '--inptu', 'x' (see 'patterns csv-agg --help')");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--trigger|5x|Invalid value for option '--trigger': '5x' is not a trigger (available-now, once, continuous, default, or an interval like 5s)",
        "--truncate|maybe|Invalid value for option '--truncate': 'maybe' is not true, false or a number of characters",
        "--parallelism|two|Invalid value for option '--parallelism': 'two' is not an int",
        "--parallelism|0|--parallelism must be at least 1, got 0",
        "--num-rows|0|--num-rows must be at least 1, got 0",
        "--output-mode|sometimes|--output-mode sometimes is not append, update or complete",
        "--sink|kafka|--sink kafka is not available; available: console, noop",
        "--discovery-interval|soon|Invalid value for option '--discovery-interval': 'soon' is not a duration (examples: 500ms, 5s, 10 seconds, 2m, 1h)",
    })
    void badValues(String option, String value, String message) {
        assertOneLineError(CapturedRun.onContext("csv-agg", "--input", input.toString(), option, value),
                "patterns csv-agg: " + message + " (see 'patterns csv-agg --help')");
    }

    @Test
    void appendOnAnAggregationIsRefusedWithSparksReason() {
        assertOneLineError(CapturedRun.onContext("csv-agg", "--input", input.toString(), "--output-mode", "append"),
                "patterns csv-agg: --output-mode append: Append output mode not supported when there are streaming"
                        + " aggregations on streaming DataFrames/DataSets without watermark (a count can still change,"
                        + " so no row is final) (see 'patterns csv-agg --help')");
    }

    @Test
    void completeWithoutAnAggregationIsRefusedWithSparksReason() {
        assertOneLineError(CapturedRun.onContext("csv-log", "--input", input.toString(), "--output-mode", "complete"),
                "patterns csv-log: --output-mode complete: Complete output mode not supported when there are no"
                        + " streaming aggregations on streaming DataFrames/Datasets (the table of all rows would grow"
                        + " without bound) (see 'patterns csv-log --help')");
    }

    @Test
    void missingInputDirectory() {
        String missing = input.resolve("nowhere").toString();
        assertOneLineError(CapturedRun.onContext("csv-log", "--input", missing),
                "patterns csv-log: --input " + missing + ": no such directory (create it, or write files into it with:"
                        + " ./patterns generate csv --out " + missing + ") (see 'patterns csv-log --help')");
    }

    @Test
    void sensorAlertsApiIsDatastreamOrSql() {
        assertOneLineError(CapturedRun.onContext("sensor-alerts", "--input", input.toString(), "--api", "spark"),
                "patterns sensor-alerts: Invalid value for option '--api': 'spark' is not datastream or sql"
                        + " (see 'patterns sensor-alerts --help')");
    }

    @Test
    void sensorAlertsRefusesCompleteModeAndAMissingDirectory() {
        assertOneLineError(CapturedRun.onContext("sensor-alerts", "--input", input.toString(), "--output-mode", "complete"),
                "patterns sensor-alerts: --output-mode complete: Complete output mode not supported when there are no"
                        + " streaming aggregations on streaming DataFrames/Datasets (the table of all rows would grow"
                        + " without bound) (see 'patterns sensor-alerts --help')");
        String missing = input.resolve("nowhere").toString();
        assertOneLineError(CapturedRun.onContext("sensor-alerts", "--input", missing),
                "patterns sensor-alerts: --input " + missing + ": no such directory (create it and write"
                        + " sensor_batch_N.json files into it) (see 'patterns sensor-alerts --help')");
    }

    @Test
    void socketWithNothingListening() throws Exception {
        int port;
        try (ServerSocket closedSoon = new ServerSocket(0)) {
            port = closedSoon.getLocalPort();
        }
        CapturedRun run = CapturedRun.onContext("websocket", "--port", String.valueOf(port));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("patterns socket: cannot connect to localhost:" + port + " (Connection refused);"
                + " start a server first: ./patterns generate socket --port " + port);
        assertThat(run.err().lines()).hasSize(1);
    }

    @Test
    void socketCannotBeBounded() {
        assertOneLineError(CapturedRun.onContext("socket", "--trigger", "available-now"),
                "patterns socket: --trigger available-now needs a source that knows what exists now; a socket cannot"
                        + " replay (use files or Kafka) (see 'patterns socket --help')");
    }

    @Test
    void socketServerOnABusyPort() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertOneLineError(CapturedRun.onContext("generate", "socket", "--host", "127.0.0.1", "--port",
                            String.valueOf(busy.getLocalPort())),
                    "patterns generate socket: port " + busy.getLocalPort() + " on 127.0.0.1 is already in use;"
                            + " choose another with --port (see 'patterns generate socket --help')");
        }
    }

    @Test
    void generateNeedsToKnowWhat() {
        assertOneLineError(CapturedRun.onContext("generate"),
                "patterns generate: choose what to generate: csv, sensors, transactions or socket"
                        + " (see 'patterns generate --help')");
    }

    @Test
    void badGeneratorSettings() {
        assertOneLineError(CapturedRun.onContext("generate", "csv", "--out", input.toString(), "--files", "0"),
                "patterns generate csv: --files must be at least 1, got 0 (see 'patterns generate csv --help')");
    }

    @Test
    void helpListsThePatternsAndExitsZero() {
        CapturedRun run = CapturedRun.onContext("--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).contains("csv-agg", "csv-log", "socket, websocket", "sensor-alerts", "generate", "demo");
        CapturedRun patternHelp = CapturedRun.onContext("csv-agg", "--help");
        assertThat(patternHelp.exitCode()).isZero();
        assertThat(patternHelp.out()).contains("--input=DIR", "--trigger=TRIGGER", "--output-mode=MODE", "--sink=SINK",
                "--output=DIR", "--checkpoint-dir=DIR", "--parallelism=N", "--truncate");
        assertThat(CapturedRun.onContext("sensor-alerts", "--help").out())
                .contains("--input=DIR", "Default: data/input/sensors.", "--api=API", "--trigger=TRIGGER");
        assertThat(patternHelp.out()).contains("Default: data/input.");
        assertThat(CapturedRun.onContext("generate", "csv", "--help").out())
                .contains("--out=DIR", "--files=N", "--rows=N", "--interval=DURATION", "--users=N", "--seed=N");
    }
}
