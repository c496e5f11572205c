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
import java.nio.file.Files;
import java.nio.file.Path;
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
 * fan-out over the user's own files: the thermostat readings (';' as delimiter, their own timestamp format, DECIMAL
 * temperatures) routed on a column of their own in both APIs, as CSV and as Parquet input; the Parquet route read back by parquet-hadoop's reader
 * with its logical types, the JSON route's typed values, a dead letter, and one-line errors naming the columns.
 */
class FanOutOwnDataCliTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"datastream", "sql"})
    @Timeout(120)
    void eachRouteGetsItsRowsWithTheirTypes(String api) throws Exception {
        Path input = thermostatsCopy();
        FlinkTests.writeLines(input, "readings-2.csv", "reading_time;thermostat;room;temp_c;battery",
                "yesterday;th-9;attic;70.00;0.1");
        Path out = tmp.resolve("out");

        CapturedRun run = CapturedRun.onContext(fanOut(input, "--api", api, "--output", out.toString()).toArray(String[]::new));

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("Results: written to " + DisplayPath.of(out.resolve("heating")) + "\n"
                + "Results: written to " + DisplayPath.of(out.resolve("others")) + "\n"
                + "Dead letters: 1 malformed record(s) written to " + DisplayPath.of(out.resolve("dead-letter")) + "\n");
        assertRoutedRows(out, api);
        assertThat(FlinkTests.linesOfVisibleFiles(out.resolve("dead-letter"))).singleElement().asString()
                .contains("\"line\":2", "yesterday");
    }

    /**
     * The same files as Parquet (written by parquet-avro): each route gets the same rows in both APIs. The line whose
     * time does not parse is a dead letter of the CSV run; it is not in the Parquet files, so there is none here.
     */
    @ParameterizedTest
    @ValueSource(strings = {"datastream", "sql"})
    @Timeout(120)
    void parquetInputGivesEachRouteTheSameRows(String api) throws Exception {
        Path lines = thermostatsCopy();
        FlinkTests.writeLines(lines, "readings-2.csv", "reading_time;thermostat;room;temp_c;battery",
                "yesterday;th-9;attic;70.00;0.1");
        Path input = TestDatasets.asParquet(lines, new ReaderOptions(Format.CSV,
                SchemaDdl.parse(TestDatasets.THERMOSTATS_DDL), null, ';', TestDatasets.THERMOSTATS_TIMESTAMP_FORMAT, null,
                false), tmp.resolve("parquet"));
        Path out = tmp.resolve("out");

        CapturedRun run = CapturedRun.onContext("fan-out", "--input", input.toString(), "--format", "parquet",
                "--schema", TestDatasets.THERMOSTATS_DDL, "--trigger", "available-now",
                "--route", "heating:parquet:room=kitchen|boiler room", "--route", "others:json:room!=kitchen|boiler room",
                "--api", api, "--output", out.toString());

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("Results: written to " + DisplayPath.of(out.resolve("heating")) + "\n"
                + "Results: written to " + DisplayPath.of(out.resolve("others")) + "\n");
        assertRoutedRows(out, api);
        assertThat(out.resolve("dead-letter")).doesNotExist();
    }

    /** The thermostats' rows in the heating route's Parquet files and the others route's JSON files. */
    private static void assertRoutedRows(Path out, String api) throws Exception {
        List<Path> files = ParquetGroups.files(out.resolve("heating"));
        assertThat(files).isNotEmpty();
        for (Path file : files) {
            // Flink SQL's filesystem connector writes its own Parquet schema: a DECIMAL as fixed bytes, a local TIMESTAMP.
            assertThat(ParquetGroups.schema(file)).isEqualTo(api.equals("sql") ? """
                    message flink_schema {
                      optional int64 reading_time (TIMESTAMP(MILLIS,false));
                      optional binary thermostat (STRING);
                      optional binary room (STRING);
                      optional fixed_len_byte_array(3) temp_c (DECIMAL(6,2));
                      optional double battery;
                    }
                    """ : """
                    message dev.flinkpatterns.row {
                      optional int64 reading_time (TIMESTAMP(MILLIS,true));
                      optional binary thermostat (STRING);
                      optional binary room (STRING);
                      optional binary temp_c (DECIMAL(6,2));
                      optional double battery;
                    }
                    """);
        }
        List<String> rows = new ArrayList<>(ParquetGroups.rows(out.resolve("heating"), ParquetGroups::cells));
        rows.sort(null);
        assertThat(rows).containsExactly(
                "2024-01-15T10:00:00Z|th-1|kitchen|81.50|0.9",
                "2024-01-15T10:00:10Z|th-3|boiler room|101.25|0.7");
        // Each API writes JSON as its writer does: Flink SQL's json format keeps nulls and has its own timestamps.
        assertThat(FlinkTests.linesOfVisibleFiles(out.resolve("others"))).containsExactlyInAnyOrder(api.equals("sql")
                ? new String[] {
                    "{\"reading_time\":\"2024-01-15 10:00:05\",\"thermostat\":\"th-2\",\"room\":\"cellar\","
                            + "\"temp_c\":12.00,\"battery\":0.5}",
                    "{\"reading_time\":\"2024-01-15 10:00:15\",\"thermostat\":null,\"room\":\"attic\","
                            + "\"temp_c\":90.00,\"battery\":0.8}",
                    "{\"reading_time\":\"2024-01-15 10:00:20\",\"thermostat\":\"th-4\",\"room\":\"garage\","
                            + "\"temp_c\":76.50,\"battery\":null}"}
                : new String[] {
                    "{\"reading_time\":\"2024-01-15T10:00:05.000Z\",\"thermostat\":\"th-2\",\"room\":\"cellar\","
                            + "\"temp_c\":12.00,\"battery\":0.5}",
                    "{\"reading_time\":\"2024-01-15T10:00:15.000Z\",\"room\":\"attic\",\"temp_c\":90.00,"
                            + "\"battery\":0.8}",
                    "{\"reading_time\":\"2024-01-15T10:00:20.000Z\",\"thermostat\":\"th-4\",\"room\":\"garage\","
                            + "\"temp_c\":76.50}"});
    }

    @Test
    void theDefaultRoutesAndARouteOnAColumnItCannotCompareAreOneLineErrors() throws Exception {
        Path input = thermostatsCopy();
        CapturedRun.onContext(fanOut(input).subList(0, fanOut(input).size() - 4).toArray(String[]::new))
                .assertOneLineError("patterns fan-out: the default routes filter on event: give --route "
                        + "NAME:FORMAT:FILTER over the columns: " + TestDatasets.THERMOSTATS_DDL
                        + " (see 'patterns fan-out --help')");
        List<String> args = new ArrayList<>(fanOut(input).subList(0, fanOut(input).size() - 4));
        args.addAll(List.of("--route", "hot:csv:temp_c=90"));
        CapturedRun.onContext(args.toArray(String[]::new))
                .assertOneLineError("patterns fan-out: --route filter 'temp_c=90': temp_c is DECIMAL; filters compare "
                        + "text, whole-number or boolean columns (see 'patterns fan-out --help')");
    }

    /** The fan-out of the thermostats: two routes on room, the last four arguments. */
    private static List<String> fanOut(Path input, String... more) {
        List<String> args = new ArrayList<>(List.of("fan-out", "--input", input.toString(), "--format", "csv",
                "--schema", TestDatasets.THERMOSTATS_DDL, "--delimiter", ";", "--timestamp-format",
                TestDatasets.THERMOSTATS_TIMESTAMP_FORMAT, "--trigger", "available-now",
                "--route", "heating:parquet:room=kitchen|boiler room", "--route", "others:json:room!=kitchen|boiler room"));
        args.addAll(List.of(more));
        return args;
    }

    /** The thermostat files in a directory of the test's own. */
    private Path thermostatsCopy() throws Exception {
        Path input = tmp.resolve("thermostats");
        if (!Files.isDirectory(input)) {
            Files.createDirectories(input);
            Files.copy(TestDatasets.thermostats().resolve("readings-1.csv"), input.resolve("readings-1.csv"));
        }
        return input;
    }
}
