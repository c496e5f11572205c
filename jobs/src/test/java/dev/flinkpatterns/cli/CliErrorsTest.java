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

    @Test
    void unknownPatternNamesTheAvailableOnes() {
        CapturedRun.onContext("csv-magic").assertOneLineError("patterns: unknown pattern 'csv-magic'; available: csv-agg, csv-log, socket, window-agg, dedup, user-sessions, transform-with-state, interval-join, enrich, medallion, fan-out, sensor-alerts, sql, generate, kafka-read, kafka-etl, demo, jobs, status, progress, stop, await, schema, state, table, k8s"
                        + " (see 'patterns --help')");
    }

    @Test
    void unknownFlag() {
        CapturedRun.onContext("csv-agg", "--inptu", "x").assertOneLineError("patterns csv-agg: Unknown options: '--inptu', 'x' (see 'patterns csv-agg --help')");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--trigger|5x|Invalid value for option '--trigger': '5x' is not a trigger (available-now, once, continuous, default, or an interval like 5s)",
        "--truncate|maybe|Invalid value for option '--truncate': 'maybe' is not true, false or a number of characters",
        "--parallelism|two|Invalid value for option '--parallelism': 'two' is not an int",
        "--parallelism|0|--parallelism must be at least 1, got 0",
        "--num-rows|0|--num-rows must be at least 1, got 0",
        "--output-mode|sometimes|--output-mode sometimes is not append, update or complete",
        "--sink|parquet2|--sink parquet2 is not available; available: console, kafka, noop, memory, postgres, paimon, files-2pc, foreach-batch, parquet, json, csv",
        "--max-files-per-trigger|0|--max-files-per-trigger must be at least 1, got 0",
        "--discovery-interval|soon|Invalid value for option '--discovery-interval': 'soon' is not a duration (examples: 500ms, 5s, 10 seconds, 2m, 1h)",
        "--checkpoint-interval|often|Invalid value for option '--checkpoint-interval': 'often' is not a duration (examples: 500ms, 5s, 10 seconds, 2m, 1h)",
        "--checkpoint-interval|5ms|--checkpoint-interval must be at least 10ms, got 5ms",
        "--checkpoint-timeout|0s|--checkpoint-timeout must be at least 10ms, got 0s",
    })
    void badValues(String option, String value, String message) {
        CapturedRun.onContext("csv-agg", "--input", input.toString(), option, value).assertOneLineError("patterns csv-agg: " + message + " (see 'patterns csv-agg --help')");
    }

    @Test
    void appendOnAnAggregationIsRefusedWithSparksReason() {
        CapturedRun.onContext("csv-agg", "--input", input.toString(), "--output-mode", "append").assertOneLineError("patterns csv-agg: --output-mode append: Append output mode not supported when there are streaming"
                        + " aggregations on streaming DataFrames/DataSets without watermark (a count can still change,"
                        + " so no row is final) (see 'patterns csv-agg --help')");
    }

    @Test
    void completeWithoutAnAggregationIsRefusedWithSparksReason() {
        CapturedRun.onContext("csv-log", "--input", input.toString(), "--output-mode", "complete").assertOneLineError("patterns csv-log: --output-mode complete: Complete output mode not supported when there are no"
                        + " streaming aggregations on streaming DataFrames/Datasets (the table of all rows would grow"
                        + " without bound) (see 'patterns csv-log --help')");
    }

    @Test
    void missingInputDirectory() {
        String missing = input.resolve("nowhere").toString();
        CapturedRun.onContext("csv-log", "--input", missing).assertOneLineError("patterns csv-log: --input " + missing + ": no such directory (create it, or write files into it with:"
                        + " ./patterns generate csv --out " + missing + ") (see 'patterns csv-log --help')");
    }

    @Test
    void sensorAlertsApiIsDatastreamOrSql() {
        CapturedRun.onContext("sensor-alerts", "--input", input.toString(), "--api", "spark").assertOneLineError("patterns sensor-alerts: Invalid value for option '--api': 'spark' is not datastream or sql"
                        + " (see 'patterns sensor-alerts --help')");
    }

    @Test
    void sensorAlertsRefusesCompleteModeAndAMissingDirectory() {
        CapturedRun.onContext("sensor-alerts", "--input", input.toString(), "--output-mode", "complete").assertOneLineError("patterns sensor-alerts: --output-mode complete: Complete output mode not supported when there are no"
                        + " streaming aggregations on streaming DataFrames/Datasets (the table of all rows would grow"
                        + " without bound) (see 'patterns sensor-alerts --help')");
        String missing = input.resolve("nowhere").toString();
        CapturedRun.onContext("sensor-alerts", "--input", missing).assertOneLineError("patterns sensor-alerts: --input " + missing + ": no such directory (create it and write"
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
        CapturedRun.onContext("socket", "--trigger", "available-now").assertOneLineError("patterns socket: --trigger available-now needs a source that knows what exists now; a socket cannot"
                        + " replay (use files or Kafka) (see 'patterns socket --help')");
    }

    @Test
    void socketServerOnABusyPort() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CapturedRun.onContext("generate", "socket", "--host", "127.0.0.1", "--port",
                            String.valueOf(busy.getLocalPort())).assertOneLineError("patterns generate socket: port " + busy.getLocalPort() + " on 127.0.0.1 is already in use;"
                            + " choose another with --port (see 'patterns generate socket --help')");
        }
    }

    @Test
    void generateNeedsToKnowWhat() {
        CapturedRun.onContext("generate").assertOneLineError("patterns generate: choose what to generate: csv, sensors, transactions, clicks, orders,"
                        + " catalog, clickstream, user-dim, paimon-orders, socket or kafka"
                        + " (see 'patterns generate --help')");
    }

    @Test
    void badGeneratorSettings() {
        CapturedRun.onContext("generate", "csv", "--out", input.toString(), "--files", "0").assertOneLineError("patterns generate csv: --files must be at least 1, got 0 (see 'patterns generate csv --help')");
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
