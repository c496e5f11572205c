package dev.flinkpatterns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.core.DisplayPath;
import dev.flinkpatterns.io.SchemaDdl;
import dev.flinkpatterns.io.TestDatasets;
import dev.flinkpatterns.testing.CapturedRun;
import dev.flinkpatterns.testing.FlinkTests;
import dev.flinkpatterns.testing.ParquetGroups;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * window-agg over the user's own files: the taxi trips (no header, their own timestamp format, DECIMAL fares) with
 * --schema, --event-time and --agg into Parquet, read back by parquet-hadoop's reader with its logical types and
 * compared with a GROUP BY computed here in plain Java over the same CSV lines; the SQL API alike; the same trips as
 * Parquet files in both APIs, a Parquet row without event time as a dead letter; one-line errors.
 */
class WindowAggOwnDataCliTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    private static final String AGG = "count(*) AS trips, sum(fare) AS revenue, avg(passengers)";

    /** The taxi trips' windows on the console, in both APIs and from CSV and Parquet alike. */
    private static final String TAXI_WINDOWS = """
            -------------------------------------------
            Batch: 0
            -------------------------------------------
            +-------------------+-------------------+---------------+-----+-------+---------------+
            |       window_start|         window_end|           zone|trips|revenue|avg(passengers)|
            +-------------------+-------------------+---------------+-----+-------+---------------+
            |2024-01-15 08:00:00|2024-01-15 09:00:00|        Midtown|    2|   35.5|            1.0|
            |2024-01-15 08:00:00|2024-01-15 09:00:00|Newark, Airport|    1|  71.25|            2.0|
            |2024-01-15 09:00:00|2024-01-15 10:00:00|         Harlem|    1|  18.75|            3.0|
            |2024-01-15 09:00:00|2024-01-15 10:00:00|        Midtown|    1|    7.8|            1.0|
            |2024-01-15 09:00:00|2024-01-15 10:00:00|Newark, Airport|    1|   68.0|            4.0|
            +-------------------+-------------------+---------------+-----+-------+---------------+

            """;

    @TempDir
    Path tmp;

    @Test
    @Timeout(120)
    void taxiTripsPerHourAndZoneAsTypedParquetEqualToAGroupBy() throws Exception {
        Path out = tmp.resolve("out");

        CapturedRun run = CapturedRun.onContext(taxiRun("--sink", "parquet", "--output", out.toString()));

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(ParquetGroups.schemaOfEvery(out.resolve("results"))).isEqualTo("""
                message dev.flinkpatterns.row {
                  optional int64 window_start (TIMESTAMP(MILLIS,true));
                  optional int64 window_end (TIMESTAMP(MILLIS,true));
                  optional binary zone (STRING);
                  optional int64 trips;
                  optional double revenue;
                  optional double avg_passengers;
                }
                """);
        List<String> rows = new ArrayList<>(ParquetGroups.rows(out.resolve("results"), row ->
                row.getLong("window_start", 0) + " " + row.getLong("window_end", 0) + " " + row.getString("zone", 0)
                        + " " + row.getLong("trips", 0) + " " + row.getDouble("revenue", 0) + " "
                        + row.getDouble("avg_passengers", 0)));
        rows.sort(null);
        assertThat(rows).isEqualTo(groupByHourAndZone()).hasSize(5);
    }

    @Test
    @Timeout(120)
    void groupByColumnsKeepTheirTypesInBothApis() throws Exception {
        for (String api : List.of("datastream", "sql")) {
            Path out = tmp.resolve("keys-" + api);
            CapturedRun run = CapturedRun.onContext("window-agg", "--input", taxiCopy().toString(), "--schema",
                    TestDatasets.TAXI_DDL, "--header", "false", "--timestamp-format", TestDatasets.TAXI_TIMESTAMP_FORMAT,
                    "--event-time", "pickup_at", "--window", "1h", "--watermark", "10m", "--group-by", "passengers",
                    "--agg", "count(*) AS trips", "--trigger", "available-now", "--api", api, "--sink", "parquet",
                    "--output", out.toString());

            assertThat(run.err()).isEmpty();
            assertThat(run.exitCode()).isZero();
            assertThat(ParquetGroups.schemaOfEvery(out.resolve("results"))).isEqualTo("""
                    message dev.flinkpatterns.row {
                      optional int64 window_start (TIMESTAMP(MILLIS,true));
                      optional int64 window_end (TIMESTAMP(MILLIS,true));
                      optional int32 passengers;
                      optional int64 trips;
                    }
                    """);
            List<String> rows = new ArrayList<>(ParquetGroups.rows(out.resolve("results"), row ->
                    LocalDateTime.ofEpochSecond(row.getLong("window_start", 0) / 1000, 0, ZoneOffset.UTC).toLocalTime()
                            + " " + row.getInteger("passengers", 0) + " " + row.getLong("trips", 0)));
            rows.sort(null);
            assertThat(rows).as(api).containsExactly("08:00 1 2", "08:00 2 1", "09:00 1 1", "09:00 3 1", "09:00 4 1");
        }
    }

    @Test
    @Timeout(120)
    void sqlGivesTheSameRowsAndNullAggregatedValuesAreDeadLetters() throws Exception {
        Path input = taxiCopy();
        FlinkTests.writeLines(input, "trips-3.csv", "15/01/2024 09:50,15/01/2024 10:05,Harlem,,2");

        CapturedRun run = CapturedRun.onContext(taxiRun(input, "--api", "sql", "--output", tmp.resolve("out").toString()));

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo(TAXI_WINDOWS + """
                Dead letters: 1 malformed record(s) written to %s
                """.formatted(DisplayPath.of(tmp.resolve("out/dead-letter"))));
        assertThat(FlinkTests.linesOfVisibleFiles(tmp.resolve("out/dead-letter")))
                .singleElement().asString().contains("column fare is null");
    }

    /**
     * The taxi files as Parquet (written by parquet-avro, one file per CSV file) give the CSV run's windows. A CSV
     * line the reader refuses would be a dead letter there and is absent from the Parquet files; the taxi CSV files
     * have none, so both runs read the same six trips.
     */
    @ParameterizedTest
    @ValueSource(strings = {"datastream", "sql"})
    @Timeout(120)
    void parquetFilesGiveTheWindowsOfTheCsvFiles(String api) throws Exception {
        Path input = TestDatasets.asParquet(TestDatasets.taxi(), TestDatasets.taxiOptions(), tmp.resolve("taxi-parquet"));

        CapturedRun run = CapturedRun.onContext(taxiQuery(input, List.of("--format", "parquet"),
                "--api", api, "--output", tmp.resolve("out").toString()));

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo(TAXI_WINDOWS);
    }

    /** --schema infer takes the first Parquet file's own schema; --window none needs no event time. */
    @Test
    @Timeout(120)
    void parquetWithTheSchemaOfItsFooterAndNoWindowIsARunningAggregatePerZone() throws Exception {
        Path input = TestDatasets.asParquet(TestDatasets.taxi(), TestDatasets.taxiOptions(), tmp.resolve("taxi-parquet"));

        CapturedRun run = CapturedRun.onContext("window-agg", "--input", input.toString(), "--format", "parquet",
                "--schema", "infer", "--window", "none", "--group-by", "zone", "--agg", AGG, "--output-mode", "complete",
                "--trigger", "available-now", "--output", tmp.resolve("out").toString());

        assertThat(run.err()).isEqualTo("inferred schema: " + TestDatasets.TAXI_DDL + System.lineSeparator());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("""
                -------------------------------------------
                Batch: 0
                -------------------------------------------
                +---------------+-----+-------+---------------+
                |           zone|trips|revenue|avg(passengers)|
                +---------------+-----+-------+---------------+
                |         Harlem|    1|  18.75|            3.0|
                |        Midtown|    3|   43.3|            1.0|
                |Newark, Airport|    2| 139.25|            3.0|
                +---------------+-----+-------+---------------+

                """);
    }

    @Test
    @Timeout(120)
    void aParquetRowWithoutEventTimeIsADeadLetterNamingTheColumn() throws Exception {
        Path input = tmp.resolve("trips");
        Files.createDirectories(input);
        LocalDateTime pickup = LocalDateTime.parse("2024-01-15T08:05");
        TestDatasets.writeParquet(SchemaDdl.parse(TestDatasets.TAXI_DDL), List.of(
                Row.of(pickup, pickup.plusMinutes(20), "Midtown", new BigDecimal("23.50"), 1),
                Row.of(null, pickup.plusMinutes(30), "Harlem", new BigDecimal("18.75"), 3)), input.resolve("trips.parquet"));

        CapturedRun run = CapturedRun.onContext(taxiQuery(input, List.of("--format", "parquet"),
                "--output", tmp.resolve("out").toString()));

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("""
                -------------------------------------------
                Batch: 0
                -------------------------------------------
                +-------------------+-------------------+-------+-----+-------+---------------+
                |       window_start|         window_end|   zone|trips|revenue|avg(passengers)|
                +-------------------+-------------------+-------+-----+-------+---------------+
                |2024-01-15 08:00:00|2024-01-15 09:00:00|Midtown|    1|   23.5|            1.0|
                +-------------------+-------------------+-------+-----+-------+---------------+

                Dead letters: 1 malformed record(s) written to %s
                """.formatted(DisplayPath.of(tmp.resolve("out/dead-letter"))));
        assertThat(FlinkTests.linesOfVisibleFiles(tmp.resolve("out/dead-letter"))).containsExactly("{\"path\":\"" + input
                + "\",\"line\":0,\"record\":\"{\\\"dropoff_at\\\":\\\"2024-01-15 08:35:00\\\",\\\"zone\\\":\\\"Harlem\\\","
                + "\\\"fare\\\":18.75,\\\"passengers\\\":3}\",\"reason\":\"column pickup_at is null\"}");
    }

    @Test
    void columnsThatDoNotExistOrDoNotFitAreOneLineErrors() throws Exception {
        String columns = "pickup_at TIMESTAMP, dropoff_at TIMESTAMP, zone STRING, fare DECIMAL(10,2), passengers INT";
        assertError("windows need --event-time COLUMN, a TIMESTAMP column of: " + columns, "--schema", TestDatasets.TAXI_DDL);
        assertError("--event-time zone: is STRING, not TIMESTAMP; columns: " + columns,
                "--schema", TestDatasets.TAXI_DDL, "--event-time", "zone");
        assertError("--group-by borough is not a column of the input; columns: pickup_at, dropoff_at, zone, fare, passengers",
                "--schema", TestDatasets.TAXI_DDL, "--event-time", "pickup_at", "--group-by", "borough");
        assertError("--agg sum(zone): zone is not a numeric column of the input; numeric columns: fare, passengers",
                "--schema", TestDatasets.TAXI_DDL, "--event-time", "pickup_at", "--agg", "sum(zone)");
        CapturedRun.onContext("window-agg", "--source", "rate", "--window", "1h", "--event-time", "timestamp")
                .assertOneLineError("patterns window-agg: --source rate generates its rows; reader options and "
                        + "--event-time are for files and Kafka records (see 'patterns window-agg --help')");
    }

    private void assertError(String message, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("window-agg", "--input", taxiCopy().toString(), "--window", "1h",
                "--watermark", "10m", "--trigger", "available-now"));
        args.addAll(List.of(options));
        CapturedRun.onContext(args.toArray(String[]::new))
                .assertOneLineError("patterns window-agg: " + message + " (see 'patterns window-agg --help')");
    }

    private String[] taxiRun(String... more) throws Exception {
        return taxiRun(taxiCopy(), more);
    }

    private static String[] taxiRun(Path input, String... more) {
        return taxiQuery(input, List.of("--header", "false", "--timestamp-format", TestDatasets.TAXI_TIMESTAMP_FORMAT), more);
    }

    /** Trips, revenue and passengers per hour and zone of the taxi trips in {@code input}, read with {@code reader}. */
    private static String[] taxiQuery(Path input, List<String> reader, String... more) {
        List<String> args = new ArrayList<>(List.of("window-agg", "--input", input.toString(), "--schema", TestDatasets.TAXI_DDL));
        args.addAll(reader);
        args.addAll(List.of("--event-time", "pickup_at", "--window", "1h", "--watermark", "10m", "--group-by", "zone",
                "--agg", AGG, "--trigger", "available-now"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    /** The taxi files in a directory of the test's own (once per test). */
    private Path taxiCopy() throws Exception {
        return TestDatasets.taxiCopy(tmp);
    }

    /**
     * {@code SELECT date_trunc('hour', pickup_at), +1h, zone, count(*), sum(fare), avg(passengers) GROUP BY 1, 2, 3}
     * over the taxi CSV lines, in plain Java, as "start end zone trips revenue avg" (epoch millis).
     */
    private static List<String> groupByHourAndZone() throws Exception {
        DateTimeFormatter format = DateTimeFormatter.ofPattern(TestDatasets.TAXI_TIMESTAMP_FORMAT);
        Map<String, long[]> counts = new TreeMap<>();
        Map<String, BigDecimal> fares = new TreeMap<>();
        for (String name : List.of("trips-1.csv", "trips-2.csv")) {
            for (String line : Files.readAllLines(TestDatasets.taxi().resolve(name))) {
                List<String> fields = csvFields(line);
                long start = LocalDateTime.parse(fields.get(0), format).truncatedTo(ChronoUnit.HOURS)
                        .toInstant(ZoneOffset.UTC).toEpochMilli();
                String group = start + " " + (start + 3_600_000) + " " + fields.get(2);
                long[] trips = counts.computeIfAbsent(group, g -> new long[2]);
                trips[0]++;
                trips[1] += Integer.parseInt(fields.get(4));
                fares.merge(group, new BigDecimal(fields.get(3)), BigDecimal::add);
            }
        }
        List<String> rows = new ArrayList<>();
        counts.forEach((group, trips) -> rows.add(group + " " + trips[0] + " " + fares.get(group).doubleValue() + " "
                + (double) trips[1] / trips[0]));
        rows.sort(null);
        return rows;
    }

    /** A CSV line's fields; a field in double quotes may hold the delimiter. */
    private static List<String> csvFields(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}
