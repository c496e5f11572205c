package dev.flinkpatterns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.core.DisplayPath;
import dev.flinkpatterns.io.TestDatasets;
import dev.flinkpatterns.testing.CapturedRun;
import dev.flinkpatterns.testing.FlinkTests;
import dev.flinkpatterns.testing.ParquetGroups;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.parquet.example.data.Group;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * medallion's bronze over the user's own files (Auto Loader's bronze): the taxi trips (CSV, no header, their own
 * timestamp format, DECIMAL fares) typed by their schema with source_file, line and ingest_time, read back by
 * parquet-hadoop's reader with its logical types, and shown by {@code --show bronze}; a line that does not fit is
 * a dead letter; the same trips as Parquet input; reader options refused with silver, gold, all and --show.
 */
class MedallionOwnDataCliTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    @TempDir
    Path tmp;

    private static final List<String> TRIPS = List.of(
            "2024-01-15T08:05:00Z|2024-01-15T08:25:00Z|Midtown|23.50|1",
            "2024-01-15T08:12:00Z|2024-01-15T08:40:00Z|Newark, Airport|71.25|2",
            "2024-01-15T08:31:00Z|2024-01-15T08:44:00Z|Midtown|12.00|1",
            "2024-01-15T09:02:00Z|2024-01-15T09:30:00Z|Harlem|18.75|3",
            "2024-01-15T09:15:00Z|2024-01-15T09:21:00Z|Midtown|7.80|1",
            "2024-01-15T09:48:00Z|2024-01-15T10:20:00Z|Newark, Airport|68.00|4");

    @Test
    @Timeout(120)
    void bronzeKeepsTheTripsTypedWithTheirFileLineAndIngestTime() throws Exception {
        Path input = TestDatasets.taxiCopy(tmp);
        FlinkTests.writeLines(input, "trips-3.csv", "15/01/2024 10:05,15/01/2024 10:15,Harlem,cheap,1");
        Path lake = tmp.resolve("lake");
        Instant before = Instant.now();

        CapturedRun run = CapturedRun.onContext("medallion", "--stage", "bronze", "--input", input.toString(),
                "--lake", lake.toString(), "--trigger", "available-now", "--format", "csv", "--schema", TestDatasets.TAXI_DDL,
                "--header", "false", "--timestamp-format", TestDatasets.TAXI_TIMESTAMP_FORMAT);

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("Results: written to " + DisplayPath.of(lake.resolve("bronze")) + "\n"
                + "Dead letters: 1 malformed record(s) written to " + DisplayPath.of(lake.resolve("dead-letter")) + "\n");
        assertBronzeSchema(lake);
        List<String> rows = new ArrayList<>(ParquetGroups.rows(lake.resolve("bronze"), row -> located(row, before)));
        rows.sort(null);
        assertThat(rows).containsExactly(
                TRIPS.get(0) + "|trips-1.csv|1", TRIPS.get(1) + "|trips-1.csv|2", TRIPS.get(2) + "|trips-1.csv|3",
                TRIPS.get(3) + "|trips-2.csv|1", TRIPS.get(4) + "|trips-2.csv|2", TRIPS.get(5) + "|trips-2.csv|3");
        assertThat(FlinkTests.linesOfVisibleFiles(lake.resolve("dead-letter"))).containsExactly(
                "{\"path\":\"file:" + input.resolve("trips-3.csv") + "\",\"line\":1,"
                        + "\"record\":\"15/01/2024 10:05,15/01/2024 10:15,Harlem,cheap,1\","
                        + "\"reason\":\"fare is not a decimal: 'cheap'\"}");

        // --show bronze: the columns bronze's files have (source_file and ingest_time vary, so only the rows' start).
        CapturedRun show = CapturedRun.onContext("medallion", "--lake", lake.toString(), "--show", "bronze");
        assertThat(show.err()).isEmpty();
        assertThat(show.out()).contains(
                "|          pickup_at|         dropoff_at|           zone| fare|passengers|         source_file|line|         ingest_time|");
        assertThat(show.out().lines().filter(line -> line.startsWith("|2024")).map(line -> line.substring(0, 80)))
                .containsExactly(
                        "|2024-01-15 08:05:00|2024-01-15 08:25:00|        Midtown|23.50|         1|file:/",
                        "|2024-01-15 08:12:00|2024-01-15 08:40:00|Newark, Airport|71.25|         2|file:/",
                        "|2024-01-15 08:31:00|2024-01-15 08:44:00|        Midtown|12.00|         1|file:/",
                        "|2024-01-15 09:02:00|2024-01-15 09:30:00|         Harlem|18.75|         3|file:/",
                        "|2024-01-15 09:15:00|2024-01-15 09:21:00|        Midtown| 7.80|         1|file:/",
                        "|2024-01-15 09:48:00|2024-01-15 10:20:00|Newark, Airport|68.00|         4|file:/");
    }

    @Test
    @Timeout(120)
    void parquetInputHasItsDirectoryAndNoLine() throws Exception {
        Path input = TestDatasets.asParquet(TestDatasets.taxi(), TestDatasets.taxiOptions(), tmp.resolve("trips"));
        Path lake = tmp.resolve("lake");
        Instant before = Instant.now();

        CapturedRun run = CapturedRun.onContext("medallion", "--stage", "bronze", "--input", input.toString(),
                "--lake", lake.toString(), "--trigger", "available-now", "--format", "parquet", "--schema", TestDatasets.TAXI_DDL);

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("Results: written to " + DisplayPath.of(lake.resolve("bronze")) + "\n");
        assertBronzeSchema(lake);
        List<String> rows = new ArrayList<>(ParquetGroups.rows(lake.resolve("bronze"), row -> located(row, before)));
        rows.sort(null);
        assertThat(rows).containsExactlyElementsOf(TRIPS.stream().map(trip -> trip + "|trips|null").toList());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--stage silver --format csv|patterns medallion: --format reads your own files into bronze (--stage bronze); --stage silver is the clickstream's only (see 'patterns medallion --help')",
        "--stage gold --schema infer|patterns medallion: --schema reads your own files into bronze (--stage bronze); --stage gold is the clickstream's only (see 'patterns medallion --help')",
        "--header false|patterns medallion: --header reads your own files into bronze (--stage bronze); --stage all is the clickstream's only (see 'patterns medallion --help')",
        "--show bronze --timestamp-format HH:mm|patterns medallion: --timestamp-format reads your own files into bronze (--stage bronze); --show bronze is the clickstream's only (see 'patterns medallion --help')",
        "--stage bronze --input INPUT --schema x_STRING,_line_INT|patterns medallion: the schema has a column line, which bronze adds; rename it (bronze adds source_file, line, ingest_time) (see 'patterns medallion --help')"})
    void readerOptionsAreBronzesOnly(String options, String expected) throws Exception {
        List<String> args = new ArrayList<>(List.of("medallion", "--lake", tmp.resolve("lake").toString()));
        for (String option : options.split(" ")) {
            args.add(option.replace("INPUT", TestDatasets.taxi().toString()).replace('_', ' '));
        }
        CapturedRun.onContext(args.toArray(String[]::new)).assertOneLineError(expected);
    }

    private static void assertBronzeSchema(Path lake) throws Exception {
        assertThat(ParquetGroups.schemaOfEvery(lake.resolve("bronze"))).isEqualTo("""
                message dev.flinkpatterns.row {
                  optional int64 pickup_at (TIMESTAMP(MILLIS,true));
                  optional int64 dropoff_at (TIMESTAMP(MILLIS,true));
                  optional binary zone (STRING);
                  optional binary fare (DECIMAL(10,2));
                  optional int32 passengers;
                  required binary source_file (STRING);
                  optional int64 line;
                  required int64 ingest_time (TIMESTAMP(MILLIS,true));
                }
                """);
    }

    /** The trip's cells, its file's name and its line; the ingest time checked to be of this run. */
    private static String located(Group row, Instant before) {
        Instant ingested = Instant.ofEpochMilli(row.getLong("ingest_time", 0));
        assertThat(ingested).isBetween(before.minusMillis(1), Instant.now());
        String source = row.getString("source_file", 0);
        String line = row.getFieldRepetitionCount("line") == 0 ? "null" : String.valueOf(row.getLong("line", 0));
        return ParquetGroups.cells(row, 5) + "|" + source.substring(source.lastIndexOf('/') + 1) + "|" + line;
    }
}
