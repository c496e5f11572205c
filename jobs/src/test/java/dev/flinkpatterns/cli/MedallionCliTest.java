package dev.flinkpatterns.cli;

import static dev.flinkpatterns.testing.FlinkTests.linesOfVisibleFiles;
import static dev.flinkpatterns.testing.FlinkTests.writeLines;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.core.DisplayPath;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.patterns.medallion.Clickstream;
import dev.flinkpatterns.patterns.medallion.LakeTables;
import dev.flinkpatterns.patterns.medallion.PaimonLake;
import dev.flinkpatterns.testing.CapturedRun;
import dev.flinkpatterns.testing.FlinkTests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * medallion through the CLI, bounded: --stage all with available-now (the stages one after the other), each stage on
 * its own with gold written as Parquet by SQL and shown with --show, and the refusals.
 */
class MedallionCliTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    @TempDir
    Path tmp;

    /** Gold of {@link #input()}: its two windows. */
    private static final String GOLD = """
                +-------------------+-------------------+-------------+------------+----------+------------+----------------+
                |       window_start|         window_end|page_category|user_segment|page_views|unique_users|avg_time_on_page|
                +-------------------+-------------------+-------------+------------+----------+------------+----------------+
                |2024-01-15 10:00:00|2024-01-15 10:05:00|         home|     premium|         3|           2|             3.0|
                |2024-01-15 10:05:00|2024-01-15 10:10:00|        books|     regular|         1|           1|             9.5|
                +-------------------+-------------------+-------------+------------+----------+------------+----------------+
                """;

    /** The same as the console sink's one batch. */
    private static final String CONSOLE_GOLD = """
            -------------------------------------------
            Batch: 0
            -------------------------------------------
            """ + GOLD + "\n";

    /** Five events within 30 minutes (no row can be late, in whatever order the stages pass them on). */
    private Path input() throws Exception {
        Path input = tmp.resolve("clickstream");
        writeLines(input, "clickstream_batch_0.json",
                event("e-000001", 1, "\"page_view\"", "home", "10:01:00.000000", "4.0"),
                event("e-000002", 2, "\"click\"", "home", "10:02:00.500000", "2.0"),
                event("e-000003", 3, "null", "books", "10:03:00.000000", "9.0"),
                "not json",
                event("e-000004", 3, "\"scroll\"", "books", "10:06:00.000000", "9.5"),
                event("e-000005", 7, "\"page_view\"", "books", "10:07:00.000000", "1.0"));
        writeLines(input, "clickstream_batch_1.json",
                event("e-000006", 1, "\"add_to_cart\"", "home", "10:04:59.999000", "3.0"));
        return input;
    }

    private Path userDim() throws Exception {
        return writeLines(tmp.resolve("user_dim"), "user_dim.csv", "user_id,user_segment,country,signup_date",
                "1,premium,US,2023-01-10", "2,premium,DE,2023-02-20", "3,regular,FR,2023-03-30");
    }

    @Test
    void allStagesOneAfterTheOtherWithAvailableNow() throws Exception {
        Path lake = tmp.resolve("lake");
        CapturedRun run = CapturedRun.onContext("medallion", "--input", input().toString(), "--user-dim",
                userDim().toString(), "--lake", lake.toString(), "--trigger", "available-now");

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("""
                Results: written to %s
                Results: written to %s
                Dead letters: 1 malformed record(s) written to %s
                """.formatted(DisplayPath.of(lake.resolve("bronze")), DisplayPath.of(lake.resolve("silver")),
                        DisplayPath.of(lake.resolve("dead-letter"))) + CONSOLE_GOLD);
        assertThat(LakeTables.lines(lake.resolve("bronze"), Clickstream.BRONZE)).hasSize(7);
        assertThat(LakeTables.lines(lake.resolve("silver"), Clickstream.SILVER).stream().map(line -> line.split("\\|")[1]))
                .containsExactly("e-000001", "e-000006", "e-000002", "e-000004");
        assertThat(linesOfVisibleFiles(lake.resolve("dead-letter"))).singleElement().asString()
                .contains("\"line\":4,\"record\":\"not json\"");
    }

    @Test
    void eachStageOnItsOwnWithGoldAsParquetFromSql() throws Exception {
        Path lake = tmp.resolve("lake");
        String[] common = {"medallion", "--lake", lake.toString(), "--trigger", "available-now"};

        CapturedRun bronze = CapturedRun.onContext(concat(common, "--stage", "bronze", "--input", input().toString()));
        assertThat(bronze.err()).isEmpty();
        assertThat(bronze.out()).isEqualTo("Results: written to " + DisplayPath.of(lake.resolve("bronze")) + "\n");
        CapturedRun silver = CapturedRun.onContext(concat(common, "--stage", "silver", "--user-dim", userDim().toString()));
        assertThat(silver.err()).isEmpty();
        assertThat(silver.out()).isEqualTo("Results: written to " + DisplayPath.of(lake.resolve("silver")) + "\n"
                + "Dead letters: 1 malformed record(s) written to " + DisplayPath.of(lake.resolve("dead-letter")) + "\n");
        CapturedRun gold = CapturedRun.onContext(concat(common, "--stage", "gold", "--api", "sql", "--sink", "parquet"));
        assertThat(gold.err()).isEmpty();
        assertThat(gold.out()).isEqualTo("Results: written to " + DisplayPath.of(lake.resolve("gold")) + "\n");

        // Gold's columns are typed: timestamps, strings, bigint counts, a double average.
        RowSchema goldSchema = RowSchema.of(RowSchema.Column.nullable("window_start", RowSchema.Type.TIMESTAMP),
                RowSchema.Column.nullable("window_end", RowSchema.Type.TIMESTAMP),
                RowSchema.Column.nullable("page_category", RowSchema.Type.STRING),
                RowSchema.Column.nullable("user_segment", RowSchema.Type.STRING),
                RowSchema.Column.nullable("page_views", RowSchema.Type.LONG),
                RowSchema.Column.nullable("unique_users", RowSchema.Type.LONG),
                RowSchema.Column.nullable("avg_time_on_page", RowSchema.Type.DOUBLE));
        assertThat(LakeTables.lines(lake.resolve("gold"), goldSchema)).containsExactly(
                "2024-01-15 10:00:00|2024-01-15 10:05:00|home|premium|3|2|3.0",
                "2024-01-15 10:05:00|2024-01-15 10:10:00|books|regular|1|1|9.5");

        CapturedRun show = CapturedRun.onContext("medallion", "--lake", lake.toString(), "--show", "gold");
        assertThat(show.err()).isEmpty();
        assertThat(show.out()).isEqualTo(CONSOLE_GOLD);
    }

    @Test
    void allStagesIntoAPaimonLakeWithGoldUpsertedIntoAPrimaryKeyTable() throws Exception {
        Path warehouse = tmp.resolve("warehouse");
        Path output = tmp.resolve("out");
        CapturedRun run = CapturedRun.onContext("medallion", "--lake", "paimon", "--warehouse", warehouse.toString(),
                "--output", output.toString(), "--input", input().toString(), "--user-dim", userDim().toString(),
                "--trigger", "available-now");

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("""
                Dead letters: 1 malformed record(s) written to %s
                Writing Paimon table medallion.gold (primary key row_key, exactly-once) in %s
                Table medallion.gold: 2 row(s)
                """.formatted(DisplayPath.of(output.resolve("dead-letter")), DisplayPath.of(warehouse)) + GOLD);
        // Bronze and silver read back with Paimon's own reader.
        PaimonLake lake = new PaimonLake(warehouse.toString(), PaimonLake.DATABASE);
        assertThat(LakeTables.lines(lake, "bronze", Clickstream.BRONZE)).hasSize(7);
        assertThat(LakeTables.lines(lake, "silver", Clickstream.SILVER).stream().map(line -> line.split("\\|")[1]))
                .containsExactly("e-000001", "e-000006", "e-000002", "e-000004");

        CapturedRun.onContext("medallion", "--lake", "paimon", "--show", "gold").assertOneLineError("patterns medallion: "
                + "--show reads a Parquet lake; a Paimon lake's tables are shown by ./patterns table show --table "
                + "medallion.gold (with --warehouse, --as-of) (see 'patterns medallion --help')");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--show platinum|patterns medallion: --show platinum is not a table of the lake: bronze, silver or gold (see 'patterns medallion --help')",
        "--show silver --trigger once|patterns medallion: --show prints the silver table as it is now and stops; it takes no --trigger (see 'patterns medallion --help')",
        "--stage platinum --input INPUT|patterns medallion: --stage platinum is not bronze, silver, gold or all (see 'patterns medallion --help')",
        "--stage bronze --input INPUT --sink parquet|patterns medallion: --sink is about gold's table; --stage bronze writes its Parquet table to LAKE/bronze (see 'patterns medallion --help')",
        "--stage gold --input INPUT|patterns medallion: --input is about bronze's input; --stage gold reads the lake (see 'patterns medallion --help')",
        "--stage bronze --input INPUT --user-dim DIM|patterns medallion: --user-dim is read by silver; --stage bronze does not read it (see 'patterns medallion --help')",
        "--input INPUT --user-dim DIM --api sql --output-mode update|patterns medallion: --api sql emits each window once, when the watermark closes it (append), or after each of its rows for good (complete); for --output-mode update use --api datastream (see 'patterns medallion --help')",
        "--input INPUT --user-dim DIM --late-output LATE --output-mode complete|patterns medallion: --late-output: complete mode keeps every window, so no row is late (as in Spark); use --output-mode append or update to drop late rows (see 'patterns medallion --help')",
        "--input INPUT --user-dim DIM --sink parquet --output-mode update|patterns medallion: --sink parquet: Data source parquet does not support update output mode (a file sink only adds files; use --output-mode append) (see 'patterns medallion --help')"})
    void refusesWithOneLine(String options, String expected) throws Exception {
        String[] args = concat(new String[] {"medallion", "--lake", tmp.resolve("lake").toString()},
                options.replace("INPUT", input().toString()).replace("DIM", userDim().toString()).split(" "));
        CapturedRun.onContext(args).assertOneLineError(expected);
    }

    @Test
    void refusesAMissingInputDirectoryOrUserDimFile() throws Exception {
        Path missing = tmp.resolve("missing");
        CapturedRun.onContext("medallion", "--input", missing.toString(), "--user-dim", userDim().toString())
                .assertOneLineError("patterns medallion: --input " + missing + ": no such directory (create it and write "
                        + "clickstream_batch_N.json files into it, e.g. with ./patterns generate clickstream) "
                        + "(see 'patterns medallion --help')");
        Path noFile = tmp.resolve("user_dim.csv");
        CapturedRun.onContext("medallion", "--stage", "silver", "--user-dim", noFile.toString(), "--lake",
                        tmp.resolve("lake").toString())
                .assertOneLineError("patterns medallion: --user-dim " + noFile + ": no such file (write the user dimension "
                        + "there, e.g. with ./patterns generate user-dim) (see 'patterns medallion --help')");
        assertThat(Files.exists(tmp.resolve("lake"))).as("a refused run creates no lake").isFalse();
    }

    private static String event(String id, int user, String type, String category, String time, String timeOnPage) {
        return "{\"event_id\":\"" + id + "\",\"user_id\":" + user + ",\"session_id\":\"s-" + user + "\",\"event_type\":"
                + type + ",\"page_url\":\"/" + category + "\",\"page_category\":\"" + category
                + "\",\"timestamp\":\"2024-01-15T" + time + "\",\"time_on_page\":" + timeOnPage + "}";
    }

    private static String[] concat(String[] first, String... rest) {
        String[] all = java.util.Arrays.copyOf(first, first.length + rest.length);
        System.arraycopy(rest, 0, all, first.length, rest.length);
        return all;
    }
}
