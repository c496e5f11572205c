package dev.flinkpatterns.cli;

import static dev.flinkpatterns.testing.FlinkTests.linesOfVisibleFiles;
import static dev.flinkpatterns.testing.FlinkTests.writeLines;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.core.DisplayPath;
import dev.flinkpatterns.testing.CapturedRun;
import dev.flinkpatterns.testing.FlinkTests;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** sensor-alerts through the CLI: the exact console table (processed_at checked apart: it is the run's time). */
class SensorAlertsCliTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    @TempDir
    Path tmp;

    private static final String EXPECTED_BUT_PROCESSED_AT = """
            -------------------------------------------
            Batch: 0
            -------------------------------------------
            +---------+---------+--------+--------------------------+-----------+---------------+--------+-------+
            |sensor_id|device_id|building|timestamp                 |temperature|temp_fahrenheit|severity|tag    |
            +---------+---------+--------+--------------------------+-----------+---------------+--------+-------+
            |sensor-07|device-2 |B1      |2024-01-15T10:00:03.000000|82.4       |180.32         |Warning |hvac   |
            |sensor-07|device-2 |B1      |2024-01-15T10:00:03.000000|82.4       |180.32         |Warning |floor-2|
            |sensor-03|device-3 |null    |2024-01-15T10:00:05.250000|101.3      |214.34         |Critical|null   |
            +---------+---------+--------+--------------------------+-----------+---------------+--------+-------+

            Dead letters: 1 malformed record(s) written to %s
            """;

    @Test
    void availableNowPrintsTheAlertsOfBothApisAlike() throws Exception {
        Path input = tmp.resolve("sensors");
        writeLines(input, "sensor_batch_0.json",
                "{\"sensor_id\":\"sensor-07\",\"device_id\":\"device-2\",\"location\":{\"building\":\"B1\",\"floor\":2},"
                        + "\"timestamp\":\"2024-01-15T10:00:03.000000\",\"temperature\":82.4,\"humidity\":41.5,"
                        + "\"tags\":[\"hvac\",\"floor-2\"]}",
                "{\"sensor_id\":\"sensor-01\",\"device_id\":\"device-1\",\"timestamp\":\"2024-01-15T10:00:04.000000\","
                        + "\"temperature\":21.5,\"tags\":[\"lab\"]}",
                "{\"sensor_id\":\"sensor-02\",\"device_id\":\"device-1\",\"timestamp\":\"2024-01-15T10:00:04\"");
        writeLines(input, "sensor_batch_1.json",
                "{\"sensor_id\":\"sensor-03\",\"device_id\":\"device-3\",\"timestamp\":\"2024-01-15T10:00:05.250000\","
                        + "\"temperature\":101.3}");

        for (String api : List.of("datastream", "sql")) {
            Path out = tmp.resolve("out-" + api);
            Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            CapturedRun run = CapturedRun.onContext("sensor-alerts", "--input", input.toString(), "--api", api,
                    "--trigger", "available-now", "--truncate", "false", "--output", out.toString());
            Instant end = Instant.now();

            assertThat(run.err()).as(api).isEmpty();
            assertThat(run.exitCode()).as(api).isZero();
            assertThat(withoutLastColumn(run.out())).as(api)
                    .isEqualTo(EXPECTED_BUT_PROCESSED_AT.formatted(DisplayPath.of(out.resolve("dead-letter"))));
            assertThat(lastColumn(run.out())).as(api).hasSize(4).first().isEqualTo("processed_at");
            assertThat(lastColumn(run.out()).subList(1, 4)).as(api).allSatisfy(cell -> assertThat(
                    LocalDateTime.parse(cell, DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSS]"))
                            .toInstant(ZoneOffset.UTC)).isBetween(start, end));
            // One reading, one processing time: its two tag rows share it.
            assertThat(lastColumn(run.out()).get(1)).as(api).isEqualTo(lastColumn(run.out()).get(2));
            assertThat(linesOfVisibleFiles(out.resolve("dead-letter"))).as(api).containsExactly(
                    "{\"path\":\"file:" + input.resolve("sensor_batch_0.json") + "\",\"line\":3,\"record\":"
                            + "\"{\\\"sensor_id\\\":\\\"sensor-02\\\",\\\"device_id\\\":\\\"device-1\\\","
                            + "\\\"timestamp\\\":\\\"2024-01-15T10:00:04\\\"\","
                            + "\"reason\":\"not valid JSON: the line ends inside a value\"}");
        }
    }

    /** The console output with the table's last column (its cells and its share of the borders) cut off. */
    static String withoutLastColumn(String out) {
        return out.lines().map(line -> line.startsWith("+") || line.startsWith("|")
                        ? line.substring(0, line.lastIndexOf(line.charAt(0), line.length() - 2) + 1)
                        : line)
                .collect(Collectors.joining("\n", "", "\n"));
    }

    private static List<String> lastColumn(String out) {
        return out.lines().filter(line -> line.startsWith("|"))
                .map(line -> Arrays.asList(line.split("\\|")).get(9).strip())
                .toList();
    }
}
