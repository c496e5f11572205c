package dev.flinkpatterns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.core.DisplayPath;
import dev.flinkpatterns.io.ReaderOptions;
import dev.flinkpatterns.io.ReaderOptions.Format;
import dev.flinkpatterns.io.SchemaDdl;
import dev.flinkpatterns.io.TestDatasets;
import dev.flinkpatterns.testing.CapturedRun;
import dev.flinkpatterns.testing.FlinkTests;
import dev.flinkpatterns.testing.ParquetGroups;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * sensor-alerts over the user's own files: thermostat readings (';' as delimiter, their own timestamp format, DECIMAL
 * temperatures, their own column names) with --key, --value and --event-time, in both APIs and as Parquet input;
 * exact rows on the console and in Parquet (read back by parquet-hadoop's reader with its logical types), a dead
 * letter, one-line column errors; and JSON readings of their own whose array column is exploded, in both APIs.
 */
class SensorAlertsOwnDataCliTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    @TempDir
    Path tmp;

    /** The thermostats' alerts on the console but processed_at, whatever the API or the input format. */
    private static final String THERMOSTAT_ALERTS = """
            -------------------------------------------
            Batch: 0
            -------------------------------------------
            +-------------------+----------+-----------+------+-------+---------------+--------+
            |       reading_time|thermostat|       room|temp_c|battery|temp_fahrenheit|severity|
            +-------------------+----------+-----------+------+-------+---------------+--------+
            |2024-01-15 10:00:00|      th-1|    kitchen| 81.50|    0.9|          178.7| Warning|
            |2024-01-15 10:00:10|      th-3|boiler room|101.25|    0.7|         214.25|Critical|
            |2024-01-15 10:00:20|      th-4|     garage| 76.50|   null|          169.7|  Normal|
            +-------------------+----------+-----------+------+-------+---------------+--------+

            Dead letters: 1 malformed record(s) written to %s
            """;

    @ParameterizedTest
    @ValueSource(strings = {"datastream", "sql"})
    @Timeout(120)
    void hotReadingsOfTheirOwnColumnsAndAReadingWithoutThermostatIsADeadLetter(String api) throws Exception {
        Path out = tmp.resolve("out");

        CapturedRun run = CapturedRun.onContext(thermostats("--api", api, "--output", out.toString()));

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(SensorAlertsCliTest.withoutLastColumn(run.out()))
                .isEqualTo(THERMOSTAT_ALERTS.formatted(DisplayPath.of(out.resolve("dead-letter"))));
        assertThat(FlinkTests.linesOfVisibleFiles(out.resolve("dead-letter"))).singleElement().asString()
                .contains("\"line\":5", "\"reason\":\"column thermostat is null\"");
    }

    /**
     * The thermostats as Parquet files (written by parquet-avro): the same alerts in both APIs. The reading without a
     * thermostat is in the Parquet file (a null is a value there) and is the same dead letter, named by the input
     * directory and line 0, as a Parquet row has no line. (A line the CSV reader cannot parse would be a dead letter of
     * the CSV run and is absent from the Parquet files; the thermostats have none.)
     */
    @ParameterizedTest
    @ValueSource(strings = {"datastream", "sql"})
    @Timeout(120)
    void parquetInputGivesTheSameAlerts(String api) throws Exception {
        Path input = TestDatasets.asParquet(TestDatasets.thermostats(), new ReaderOptions(Format.CSV,
                SchemaDdl.parse(TestDatasets.THERMOSTATS_DDL), null, ';', TestDatasets.THERMOSTATS_TIMESTAMP_FORMAT, null,
                false), tmp.resolve("parquet"));
        Path out = tmp.resolve("out");

        CapturedRun run = CapturedRun.onContext("sensor-alerts", "--input", input.toString(), "--format", "parquet",
                "--schema", TestDatasets.THERMOSTATS_DDL, "--key", "thermostat", "--value", "temp_c", "--event-time",
                "reading_time", "--trigger", "available-now", "--api", api, "--output", out.toString());

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(SensorAlertsCliTest.withoutLastColumn(run.out()))
                .isEqualTo(THERMOSTAT_ALERTS.formatted(DisplayPath.of(out.resolve("dead-letter"))));
        assertThat(FlinkTests.linesOfVisibleFiles(out.resolve("dead-letter"))).containsExactly("{\"path\":\"" + input
                + "\",\"line\":0,\"record\":\"{\\\"reading_time\\\":\\\"2024-01-15 10:00:15\\\",\\\"room\\\":"
                + "\\\"attic\\\",\\\"temp_c\\\":90.00,\\\"battery\\\":0.8}\",\"reason\":\"column thermostat is null\"}");
    }

    @Test
    @Timeout(120)
    void parquetHasTheInputsTypesAndTheAddedColumns() throws Exception {
        Path out = tmp.resolve("out");
        Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        CapturedRun run = CapturedRun.onContext(thermostats("--sink", "parquet", "--output", out.toString()));
        Instant end = Instant.now();

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(ParquetGroups.schemaOfEvery(out.resolve("results"))).isEqualTo("""
                message dev.flinkpatterns.row {
                  optional int64 reading_time (TIMESTAMP(MILLIS,true));
                  optional binary thermostat (STRING);
                  optional binary room (STRING);
                  optional binary temp_c (DECIMAL(6,2));
                  optional double battery;
                  optional double temp_fahrenheit;
                  optional binary severity (STRING);
                  optional int64 processed_at (TIMESTAMP(MILLIS,true));
                }
                """);
        List<String> rows = new ArrayList<>(ParquetGroups.rows(out.resolve("results"), row -> {
            Instant processedAt = Instant.ofEpochMilli(row.getLong("processed_at", 0));
            assertThat(processedAt).isBetween(start, end);
            return ParquetGroups.cells(row, row.getType().getFieldCount() - 1);
        }));
        rows.sort(null);
        assertThat(rows).containsExactly(
                "2024-01-15T10:00:00Z|th-1|kitchen|81.50|0.9|178.7|Warning",
                "2024-01-15T10:00:10Z|th-3|boiler room|101.25|0.7|214.25|Critical",
                "2024-01-15T10:00:20Z|th-4|garage|76.50|null|169.7|Normal");
    }

    @ParameterizedTest
    @ValueSource(strings = {"datastream", "sql"})
    @Timeout(120)
    void anArrayColumnOfTheirOwnGivesOneRowPerElement(String api) throws Exception {
        Path input = FlinkTests.writeLines(tmp.resolve("probes"), "probes.jsonl",
                "{\"probe\":\"p1\",\"at\":\"2024-02-01T08:00:00\",\"celsius\":90,\"labels\":[\"oven\",\"line-2\"]}",
                "{\"probe\":\"p2\",\"at\":\"2024-02-01T08:00:01\",\"celsius\":20,\"labels\":[\"fridge\"]}",
                "{\"probe\":\"p3\",\"at\":\"2024-02-01T08:00:02\",\"celsius\":80}",
                "{\"probe\":\"p4\",\"at\":\"2024-02-01T08:00:03\"}").getParent();
        Path out = tmp.resolve("out");

        CapturedRun run = CapturedRun.onContext("sensor-alerts", "--input", input.toString(), "--format", "json",
                "--schema", "probe STRING, at TIMESTAMP, celsius INT, labels ARRAY<STRING>", "--key", "probe",
                "--value", "celsius", "--explode", "labels", "--trigger", "available-now", "--api", api,
                "--output", out.toString());

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(SensorAlertsCliTest.withoutLastColumn(run.out())).isEqualTo("""
                -------------------------------------------
                Batch: 0
                -------------------------------------------
                +-----+-------------------+-------+---------------+--------+------+
                |probe|                 at|celsius|temp_fahrenheit|severity|   tag|
                +-----+-------------------+-------+---------------+--------+------+
                |   p1|2024-02-01 08:00:00|     90|          194.0| Warning|  oven|
                |   p1|2024-02-01 08:00:00|     90|          194.0| Warning|line-2|
                |   p3|2024-02-01 08:00:02|     80|          176.0|  Normal|  null|
                +-----+-------------------+-------+---------------+--------+------+

                Dead letters: 1 malformed record(s) written to %s
                """.formatted(DisplayPath.of(out.resolve("dead-letter"))));
        assertThat(FlinkTests.linesOfVisibleFiles(out.resolve("dead-letter"))).singleElement().asString()
                .contains("\"line\":4", "\"reason\":\"column celsius is null\"");
    }

    @Test
    void columnsThatDoNotExistOrDoNotFitAreOneLineErrors() {
        String columns = TestDatasets.THERMOSTATS_DDL;
        assertError("--key sensor_id: no such column; columns: " + columns, "--key");
        assertError("--value room: is STRING, not a number; columns: " + columns, "--value", "room");
        assertError("--value humidity: no such column; columns: " + columns, "--value", "humidity");
        assertError("--event-time temp_c: is DECIMAL(6,2), not TIMESTAMP; columns: " + columns, "--event-time", "temp_c");
        assertError("--explode room: is STRING, not an ARRAY; columns: " + columns, "--explode", "room");
        CapturedRun.onContext("sensor-alerts", "--input", TestDatasets.thermostats().toString(), "--format", "json",
                "--schema", "probe STRING, celsius INT, parts ARRAY<STRUCT<name: STRING>>", "--key", "probe", "--value",
                "celsius", "--explode", "parts", "--api", "sql")
                .assertOneLineError("patterns sensor-alerts: --explode parts: --api sql explodes arrays of values, not "
                        + "of STRUCTs; use --api datastream (see 'patterns sensor-alerts --help')");
    }

    /** The run of {@link #thermostats} with {@code options} in place of its own (an option alone: dropped). */
    private void assertError(String message, String... options) {
        List<String> args = new ArrayList<>(List.of(thermostats()));
        int index = args.indexOf(options[0]);
        if (index >= 0) {
            args.subList(index, index + 2).clear();
        }
        if (options.length > 1) {
            args.addAll(List.of(options));
        }
        CapturedRun.onContext(args.toArray(String[]::new))
                .assertOneLineError("patterns sensor-alerts: " + message + " (see 'patterns sensor-alerts --help')");
    }

    private static String[] thermostats(String... more) {
        List<String> args = new ArrayList<>(List.of("sensor-alerts", "--input", TestDatasets.thermostats().toString(),
                "--format", "csv", "--schema", TestDatasets.THERMOSTATS_DDL, "--delimiter", ";", "--timestamp-format",
                TestDatasets.THERMOSTATS_TIMESTAMP_FORMAT, "--key", "thermostat", "--value", "temp_c", "--event-time",
                "reading_time", "--trigger", "available-now"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }
}
