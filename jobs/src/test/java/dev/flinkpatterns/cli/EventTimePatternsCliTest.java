package dev.flinkpatterns.cli;

import static dev.flinkpatterns.testing.FlinkTests.linesOfVisibleFiles;
import static dev.flinkpatterns.testing.FlinkTests.writeLines;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.core.DisplayPath;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.io.SchemaDdl;
import dev.flinkpatterns.io.TestDatasets;
import dev.flinkpatterns.testing.CapturedRun;
import dev.flinkpatterns.testing.EventTimeInputs;
import dev.flinkpatterns.testing.FlinkTests;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDateTime;
import org.apache.flink.types.Row;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * dedup and user-sessions through the CLI on one file. {@code --parallelism 1 --watermark-every-event} fix the
 * order of the rows and of the watermarks, so the late rows are always the same ones.
 */
class EventTimePatternsCliTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    @TempDir
    Path tmp;

    private Path oneFile(String... lines) throws Exception {
        Path input = tmp.resolve("input");
        writeLines(input, "event_batch_0.csv", lines);
        return input;
    }

    /** The first rows of {@link EventTimeInputs#DEDUP} by user_id,event with {@code --watermark 10m}. */
    private static final String DEDUP_FIRST_ROWS = """
            +-------------------+-------+--------+
            |          timestamp|user_id|   event|
            +-------------------+-------+--------+
            |2025-07-15T10:00:00|      1|   login|
            |2025-07-15T10:01:00|      2|    view|
            |2025-07-15T09:55:00|      3|    view|
            |2025-07-15T10:05:00|      4|purchase|
            |2025-07-15T10:30:00|      5|   login|
            |2025-07-15T10:25:00|      1|   login|
            +-------------------+-------+--------+
            """;

    @Test
    void dedupPrintsTheFirstRowOfEachKeyAndWritesTheLateRows() throws Exception {
        Path input = oneFile(EventTimeInputs.DEDUP);
        Path late = tmp.resolve("late");

        CapturedRun run = CapturedRun.onContext("dedup", "--input", input.toString(), "--trigger", "available-now",
                "--watermark", "10m", "--watermark-every-event", "--parallelism", "1",
                "--late-output", late.toString(), "--output", tmp.resolve("out").toString());

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo(CapturedRun.batch(0, DEDUP_FIRST_ROWS)
                + "Late rows: 3 dropped behind the watermark, written to " + DisplayPath.of(late) + "\n");
        assertThat(linesOfVisibleFiles(late)).containsExactly(
                "{\"event_time\":\"2025-07-15 09:58:00\",\"watermark\":\"2025-07-15 10:04:59.999\","
                        + "\"row\":{\"timestamp\":\"2025-07-15T09:58:00\",\"user_id\":1,\"event\":\"logout\"}}",
                "{\"event_time\":\"2025-07-15 10:04:59\",\"watermark\":\"2025-07-15 10:04:59.999\","
                        + "\"row\":{\"timestamp\":\"2025-07-15T10:04:59\",\"user_id\":4,\"event\":\"view\"}}",
                "{\"event_time\":\"2025-07-15 10:10:00\",\"watermark\":\"2025-07-15 10:19:59.999\","
                        + "\"row\":{\"timestamp\":\"2025-07-15T10:10:00\",\"user_id\":2,\"event\":\"view\"}}");
    }

    /**
     * A dedup run with {@code --api api} and {@code --late-output late}, which must end well: what it printed, with
     * the late-output directory shown as LATE.
     */
    private String dedupRun(String api, Path late, String... options) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("dedup", "--api", api,
                "--trigger", "available-now", "--watermark-every-event", "--parallelism", "1",
                "--late-output", late.toString(), "--output", tmp.resolve("out").toString()));
        args.addAll(java.util.List.of(options));
        CapturedRun run = CapturedRun.onContext(args.toArray(String[]::new));
        assertThat(run.err()).as(api).isEmpty();
        assertThat(run.exitCode()).as(api).isZero();
        return run.out().replace(DisplayPath.of(late), "LATE");
    }

    /** The cells of a printed table's lines (its header first), comma-separated. */
    private static java.util.List<String> tableRows(String out) {
        return out.lines().filter(line -> line.startsWith("|"))
                .map(line -> java.util.Arrays.stream(line.substring(1).split("\\|")).map(String::strip)
                        .collect(java.util.stream.Collectors.joining(",")))
                .toList();
    }

    private String deadLetters() {
        return "Dead letters: 1 malformed record(s) written to " + DisplayPath.of(tmp.resolve("out").resolve("dead-letter"));
    }

    /**
     * {@code --api sql} (Flink SQL's ROW_NUMBER deduplication) after the same parsing, watermark and late-row split:
     * with the time in the key, a key forgotten by the watermark can only repeat late, so both APIs give the same
     * rows, late rows and dead letters whatever the state TTL does.
     */
    @Test
    void dedupInSqlGivesTheRowsLateRowsAndDeadLettersOfTheDataStreamApi() throws Exception {
        String[] lines = java.util.Arrays.copyOf(EventTimeInputs.DEDUP, EventTimeInputs.DEDUP.length + 1);
        lines[lines.length - 1] = "2025-07-15T10:31:00,five,view";
        String[] options = {"--input", oneFile(lines).toString(), "--key", "timestamp,user_id,event", "--watermark", "10m"};

        String sql = dedupRun("sql", tmp.resolve("late-sql"), options);
        String dataStream = dedupRun("datastream", tmp.resolve("late-datastream"), options);

        assertThat(sql).startsWith(CapturedRun.batch(0, "").strip());
        assertThat(tableRows(sql)).containsExactly("timestamp,user_id,event",
                "2025-07-15T10:00:00,1,login", "2025-07-15T10:01:00,2,view", "2025-07-15T10:02:00,1,login",
                "2025-07-15T09:55:00,3,view", "2025-07-15T10:15:00,2,view", "2025-07-15T10:05:00,4,purchase",
                "2025-07-15T10:30:00,5,login", "2025-07-15T10:25:00,1,login", "2025-07-15T10:26:00,1,login");
        assertThat(sql).endsWith("+\n\n" + deadLetters() + "\nLate rows: 3 dropped behind the watermark, written to LATE\n");
        assertThat(sql).isEqualTo(dataStream);
        assertThat(linesOfVisibleFiles(tmp.resolve("late-sql"))).hasSize(3)
                .isEqualTo(linesOfVisibleFiles(tmp.resolve("late-datastream")));
    }

    /**
     * Without the time in the key the APIs differ as documented: the DataStream API forgets {@code 1|login} when the
     * watermark passes 10:00 + 10 minutes and keeps 10:25 as a new first row; SQL forgets a key by its state TTL,
     * 10 minutes of processing time after it was first seen, so in this run of a second it still drops 10:25.
     */
    @Test
    void dedupInSqlForgetsAKeyByProcessingTimeNotByTheWatermark() throws Exception {
        String sql = dedupRun("sql", tmp.resolve("late"), "--input", oneFile(EventTimeInputs.DEDUP).toString(),
                "--watermark", "10m");

        assertThat(sql).isEqualTo(CapturedRun.batch(0, DEDUP_FIRST_ROWS.replace("|2025-07-15T10:25:00|      1|   login|\n", ""))
                + "Late rows: 3 dropped behind the watermark, written to LATE\n");
    }

    /** The user's own files: typed columns (a DECIMAL too), a duplicate, a late row and a dead letter, both APIs. */
    @Test
    void dedupOfTheUsersOwnFilesInSqlGivesTheRowsOfTheDataStreamApi() throws Exception {
        Path input = tmp.resolve("payments");
        writeLines(input, "payments.csv",
                "id,at,amount",
                "1,2024-01-15 10:00:00,1.50",
                "2,2024-01-15 10:01:00,2.00",
                "1,2024-01-15 10:02:00,9.99",     // duplicate
                "3,2024-01-15 09:30:00,3.00",     // late: the watermark is 09:42
                "x,2024-01-15 10:03:00,1.00",     // id is no INT: a dead letter
                "2,2024-01-15 10:20:00,5.00",     // duplicate: 2 is remembered until the watermark passes 10:21
                "4,2024-01-15 10:04:00,4.00");
        String[] options = {"--input", input.toString(), "--header", "true", "--schema",
            "id INT, at TIMESTAMP, amount DECIMAL(5,2)", "--key", "id", "--event-time", "at", "--watermark", "20m"};

        String sql = dedupRun("sql", tmp.resolve("late-sql"), options);
        String dataStream = dedupRun("datastream", tmp.resolve("late-datastream"), options);

        assertThat(sql).isEqualTo(CapturedRun.batch(0, """
                +---+-------------------+------+
                | id|                 at|amount|
                +---+-------------------+------+
                |  1|2024-01-15 10:00:00|  1.50|
                |  2|2024-01-15 10:01:00|  2.00|
                |  4|2024-01-15 10:04:00|  4.00|
                +---+-------------------+------+
                """) + deadLetters() + "\nLate rows: 1 dropped behind the watermark, written to LATE\n");
        assertThat(sql).isEqualTo(dataStream);
        assertThat(linesOfVisibleFiles(tmp.resolve("late-sql"))).singleElement().asString().contains("09:30:00")
                .isEqualTo(linesOfVisibleFiles(tmp.resolve("late-datastream")).get(0));
    }

    @Test
    void userSessionsPrintsASummaryPerSessionInEventTime() throws Exception {
        Path input = oneFile(EventTimeInputs.SESSIONS);

        CapturedRun run = CapturedRun.onContext("user-sessions", "--input", input.toString(), "--trigger", "available-now",
                "--timeout", "5m", "--watermark", "1m", "--watermark-every-event", "--parallelism", "1",
                "--truncate", "false", "--output", tmp.resolve("out").toString());

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("""
                -------------------------------------------
                Batch: 0
                -------------------------------------------
                +-------+-------------------+-------------------+--------+----+---------------------------+
                |user_id|session_start      |session_end        |duration|rows|events                     |
                +-------+-------------------+-------------------+--------+----+---------------------------+
                |1      |2025-07-15 10:00:00|2025-07-15 10:09:00|0:09:00 |4   |login=1, purchase=1, view=2|
                |2      |2025-07-15 10:01:00|2025-07-15 10:04:00|0:03:00 |2   |login=1, purchase=1        |
                |3      |2025-07-15 10:16:00|2025-07-15 10:16:00|0:00:00 |1   |login=1                    |
                |2      |2025-07-15 10:16:30|2025-07-15 10:16:30|0:00:00 |1   |view=1                     |
                +-------+-------------------+-------------------+--------+----+---------------------------+

                Late rows: 1 dropped behind the watermark (see them with --late-output DIR)
                """);
    }

    @Test
    void userSessionsWithoutAWatermarkUsesAProcessingTimeTimeoutAndFlushesAtTheEnd() throws Exception {
        Path input = oneFile(EventTimeInputs.SESSIONS);

        CapturedRun run = CapturedRun.onContext("user-sessions", "--input", input.toString(), "--trigger", "once",
                "--output", tmp.resolve("out").toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("""
                -------------------------------------------
                Batch: 0
                -------------------------------------------
                +-------+-------------------+-------------------+--------+----+--------------------+
                |user_id|      session_start|        session_end|duration|rows|              events|
                +-------+-------------------+-------------------+--------+----+--------------------+
                |      1|2025-07-15 10:00:00|2025-07-15 10:09:00| 0:09:00|   4|login=1, purchase...|
                |      2|2025-07-15 10:01:00|2025-07-15 10:16:30| 0:15:30|   3|login=1, purchase...|
                |      3|2025-07-15 10:02:30|2025-07-15 10:16:00| 0:13:30|   2|     login=1, view=1|
                +-------+-------------------+-------------------+--------+----+--------------------+

                """);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "dedup|--key|user,event|--key user,event: unknown column 'user'; columns: timestamp, user_id, event",
        "dedup|--key|event,event|--key event,event: a column is named twice in event,event",
        "dedup|--watermark-every-event||--watermark-every-event needs --watermark",
        "user-sessions|--timeout-kind|wall|--timeout-kind wall is not event or processing",
        "user-sessions|--timeout|0s|--timeout must be positive, got PT0S",
    })
    void badOptions(String pattern, String option, String value, String message) throws Exception {
        String[] args = value == null
                ? new String[] {pattern, "--input", tmp.toString(), option}
                : new String[] {pattern, "--input", tmp.toString(), option, value};
        CapturedRun.onContext(args).assertOneLineError("patterns " + pattern + ": " + message + " (see 'patterns " + pattern + " --help')");
    }

    @Test
    void dedupReadsTheUsersOwnFilesWithAnInferredSchema() throws Exception {
        Path input = tmp.resolve("taxi");
        java.nio.file.Files.createDirectories(input);
        for (String name : java.util.List.of("trips-1.csv", "trips-2.csv")) {
            java.nio.file.Files.copy(TestDatasets.taxi().resolve(name), input.resolve(name));
        }

        CapturedRun run = CapturedRun.onContext("dedup", "--input", input.toString(), "--trigger", "available-now",
                "--schema", "infer", "--header", "false", "--timestamp-format", TestDatasets.TAXI_TIMESTAMP_FORMAT,
                "--key", "_c2", "--event-time", "_c0", "--parallelism", "1", "--output", tmp.resolve("out").toString());

        assertThat(run.err()).isEqualTo("inferred schema: _c0 TIMESTAMP, _c1 TIMESTAMP, _c2 STRING, _c3 DOUBLE, _c4 INT\n");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("""
                -------------------------------------------
                Batch: 0
                -------------------------------------------
                +-------------------+-------------------+---------------+-----+---+
                |                _c0|                _c1|            _c2|  _c3|_c4|
                +-------------------+-------------------+---------------+-----+---+
                |2024-01-15 08:05:00|2024-01-15 08:25:00|        Midtown| 23.5|  1|
                |2024-01-15 08:12:00|2024-01-15 08:40:00|Newark, Airport|71.25|  2|
                |2024-01-15 09:02:00|2024-01-15 09:30:00|         Harlem|18.75|  3|
                +-------------------+-------------------+---------------+-----+---+

                """);
    }

    @Test
    void dedupReadsAParquetInputWrittenByParquetAvro() throws Exception {
        RowSchema schema = SchemaDdl.parse(TestDatasets.TAXI_DDL);
        Path input = tmp.resolve("trips");
        java.nio.file.Files.createDirectories(input);
        java.util.List<Row> trips = new java.util.ArrayList<>();
        for (String[] trip : new String[][] {{"08:05", "Midtown", "23.50"}, {"08:12", "Newark, Airport", "71.25"},
                {"08:31", "Midtown", "12.00"}, {"09:02", "Harlem", "18.75"}}) {
            LocalDateTime pickup = LocalDateTime.parse("2024-01-15T" + trip[0]);
            trips.add(Row.of(pickup, pickup.plusMinutes(20), trip[1], new BigDecimal(trip[2]), 1));
        }
        TestDatasets.writeParquet(schema, trips, input.resolve("trips.parquet"));

        CapturedRun run = CapturedRun.onContext("dedup", "--input", input.toString(), "--trigger", "available-now",
                "--format", "parquet", "--schema", TestDatasets.TAXI_DDL, "--key", "zone", "--event-time", "pickup_at",
                "--parallelism", "1", "--output", tmp.resolve("out").toString());

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("""
                -------------------------------------------
                Batch: 0
                -------------------------------------------
                +-------------------+-------------------+---------------+-----+----------+
                |          pickup_at|         dropoff_at|           zone| fare|passengers|
                +-------------------+-------------------+---------------+-----+----------+
                |2024-01-15 08:05:00|2024-01-15 08:25:00|        Midtown|23.50|         1|
                |2024-01-15 08:12:00|2024-01-15 08:32:00|Newark, Airport|71.25|         1|
                |2024-01-15 09:02:00|2024-01-15 09:22:00|         Harlem|18.75|         1|
                +-------------------+-------------------+---------------+-----+----------+

                """);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--key zones|--key zones: no such column; columns: " + TestDatasets.TAXI_DDL,
        "--key zone --event-time zone|--event-time zone: is STRING, not TIMESTAMP; columns: " + TestDatasets.TAXI_DDL,
        "--key zone --event-time when|--event-time when: no such column; columns: " + TestDatasets.TAXI_DDL,
        "--key zone --watermark 10m|--watermark needs --event-time COLUMN, a TIMESTAMP column of: " + TestDatasets.TAXI_DDL,
    })
    void columnFlagsNameTheSchemasColumns(String options, String message) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(
                "dedup", "--input", tmp.toString(), "--schema", TestDatasets.TAXI_DDL));
        args.addAll(java.util.List.of(options.split(" ")));
        CapturedRun.onContext(args.toArray(String[]::new)).assertOneLineError("patterns dedup: " + message + " (see 'patterns dedup --help')");
    }

    @Test
    void anEventTimeTimeoutWithoutAWatermarkIsRefusedWithSparksReason() {
        CapturedRun.onContext("user-sessions", "--input", tmp.toString(), "--timeout-kind", "event").assertOneLineError("patterns user-sessions: --timeout-kind event needs --watermark: Watermark must be specified in the query"
                        + " using '[Dataset/DataFrame].withWatermark()' for using event-time timeout in a"
                        + " [map|flatMap]GroupsWithState. Event-time timeout not supported without watermark."
                        + " (see 'patterns user-sessions --help')");
    }

    @Test
    void aProcessingTimeoutHasNoLateRowsToWrite() {
        CapturedRun.onContext("user-sessions", "--input", tmp.toString(), "--watermark", "1m",
                        "--timeout-kind", "processing", "--late-output", tmp.resolve("late").toString()).assertOneLineError("patterns user-sessions: --late-output and --allowed-lateness need --timeout-kind event: with a"
                        + " processing-time timeout no row is late (Spark drops late rows only for an event-time timeout)"
                        + " (see 'patterns user-sessions --help')");
    }
}
