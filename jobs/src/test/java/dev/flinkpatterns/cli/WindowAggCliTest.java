package dev.flinkpatterns.cli;

import static dev.flinkpatterns.testing.FlinkTests.linesOfVisibleFiles;
import static dev.flinkpatterns.testing.FlinkTests.writeLines;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.core.DisplayPath;
import dev.flinkpatterns.testing.CapturedRun;
import dev.flinkpatterns.testing.FlinkTests;
import java.nio.file.Path;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** window-agg through the CLI: the exact table in both APIs, the late rows written out, and the refusals. */
class WindowAggCliTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    @TempDir
    Path tmp;

    private Path input() throws Exception {
        Path input = tmp.resolve("input");
        writeLines(input, "transaction_batch_0.csv", "event_time,transaction_id,user_id,category,region,amount",
                "2024-01-15T10:01:00,t-1,1,books,north,10.50",
                "2024-01-15T10:02:00,t-2,2,books,north,20.25",
                "2024-01-15T10:03:00,t-3,1,toys,south,5.00",
                "2024-01-15T10:06:00,t-4,3,books,north,1.00",
                "2024-01-15T10:04:00,t-5,4,books,north,99.99", // late: watermark 10:04:59.999 passed 10:05
                "2024-01-15T10:07:00,t-6,3,books,north,oops");
        return input;
    }

    @ParameterizedTest
    @ValueSource(strings = {"datastream", "sql"})
    void transactionsPerCategoryAndRegionInFiveMinuteWindows(String api) throws Exception {
        Path late = tmp.resolve("late");
        CapturedRun run = CapturedRun.onContext("window-agg", "--source", "transactions", "--input", input().toString(),
                "--window", "5m", "--watermark", "1m", "--watermark-every-event", "--group-by", "category,region",
                "--api", api, "--trigger", "available-now", "--truncate", "false", "--late-output", late.toString(),
                "--output", tmp.resolve("out").toString());

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("""
                -------------------------------------------
                Batch: 0
                -------------------------------------------
                +-------------------+-------------------+--------+------+-----+-----------+-----------+-----------+-----------+-----------------------+
                |window_start       |window_end         |category|region|count|sum(amount)|avg(amount)|min(amount)|max(amount)|count(DISTINCT user_id)|
                +-------------------+-------------------+--------+------+-----+-----------+-----------+-----------+-----------+-----------------------+
                |2024-01-15 10:00:00|2024-01-15 10:05:00|books   |north |2    |30.75      |15.375     |10.5       |20.25      |2                      |
                |2024-01-15 10:00:00|2024-01-15 10:05:00|toys    |south |1    |5.0        |5.0        |5.0        |5.0        |1                      |
                |2024-01-15 10:05:00|2024-01-15 10:10:00|books   |north |1    |1.0        |1.0        |1.0        |1.0        |1                      |
                +-------------------+-------------------+--------+------+-----+-----------+-----------+-----------+-----------+-----------------------+

                Dead letters: 1 malformed record(s) written to %s
                Late rows: 1 dropped behind the watermark, written to %s
                """.formatted(DisplayPath.of(tmp.resolve("out/dead-letter")), DisplayPath.of(late)));
        assertThat(linesOfVisibleFiles(late)).containsExactly("{\"event_time\":\"2024-01-15 10:04:00\","
                + "\"watermark\":\"2024-01-15 10:04:59.999\",\"row\":{\"event_time\":\"2024-01-15 10:04:00\","
                + "\"category\":\"books\",\"region\":\"north\",\"amount\":99.99,\"user_id\":\"4\"}}");
    }

    /** Spark: {@code .agg(count("*").alias("orders"), sum("amount").alias("revenue"), avg("amount"), ...)}. */
    @ParameterizedTest
    @ValueSource(strings = {"datastream", "sql"})
    void namedAggregatesGiveTheColumnsTheirAliases(String api) throws Exception {
        CapturedRun run = CapturedRun.onContext("window-agg", "--source", "transactions", "--input", input().toString(),
                "--window", "5m", "--watermark", "1m", "--watermark-every-event", "--group-by", "category",
                "--agg", "count(*) AS orders, sum(amount) AS revenue, avg(amount), max(amount), count(DISTINCT region) AS regions",
                "--api", api, "--trigger", "available-now", "--truncate", "false", "--output", tmp.resolve("out").toString());

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("""
                -------------------------------------------
                Batch: 0
                -------------------------------------------
                +-------------------+-------------------+--------+------+-------+-----------+-----------+-------+
                |window_start       |window_end         |category|orders|revenue|avg(amount)|max(amount)|regions|
                +-------------------+-------------------+--------+------+-------+-----------+-----------+-------+
                |2024-01-15 10:00:00|2024-01-15 10:05:00|books   |2     |30.75  |15.375     |20.25      |1      |
                |2024-01-15 10:00:00|2024-01-15 10:05:00|toys    |1     |5.0    |5.0        |5.0        |1      |
                |2024-01-15 10:05:00|2024-01-15 10:10:00|books   |1     |1.0    |1.0        |1.0        |1      |
                +-------------------+-------------------+--------+------+-------+-----------+-----------+-------+
                """);
    }

    /** Workshop module 5: {@code groupBy("user_id").agg(count("*"), sum("amount"))}, in complete mode. */
    @org.junit.jupiter.api.Test
    void withoutWindowEveryUsersRunningTotals() throws Exception {
        CapturedRun run = CapturedRun.onContext("window-agg", "--source", "transactions", "--input", input().toString(),
                "--window", "none", "--group-by", "user_id", "--agg", "count(*) AS purchases, sum(amount) AS total",
                "--output-mode", "complete", "--trigger", "available-now", "--truncate", "false", "--output", tmp.resolve("out").toString());

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("""
                -------------------------------------------
                Batch: 0
                -------------------------------------------
                +-------+---------+-----+
                |user_id|purchases|total|
                +-------+---------+-----+
                |1      |2        |15.5 |
                |2      |1        |20.25|
                |3      |1        |1.0  |
                |4      |1        |99.99|
                +-------+---------+-----+
                """);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--window 5m --output-mode append|patterns window-agg: --output-mode append: Append output mode not supported when there are streaming aggregations on streaming DataFrames/DataSets without watermark (a count can still change, so no row is final) (see 'patterns window-agg --help')",
        "--window 5m --watermark 1m --api sql --output-mode update|patterns window-agg: --api sql emits each window once, when the watermark closes it (append), or after each of its rows for good (complete); for --output-mode update use --api datastream (see 'patterns window-agg --help')",
        "--session-gap 5m --watermark 1m --api sql --output-mode complete|patterns window-agg: --api sql: Flink SQL's session windows take no emit strategy, so they cannot show a session before it closes nor keep it for late rows (complete mode); use --api datastream (see 'patterns window-agg --help')",
        "--window 5m --watermark 1m --allowed-lateness 1m|patterns window-agg: --allowed-lateness re-emits windows that were already emitted; append mode emits a window once: use --output-mode update (see 'patterns window-agg --help')",
        "--window 5m --watermark 1m --allowed-lateness 1m --output-mode complete|patterns window-agg: --allowed-lateness: complete mode keeps every window, so every row updates its window however late (as in Spark); drop --allowed-lateness (see 'patterns window-agg --help')",
        "--window 5m --watermark 1m --late-output LATE --output-mode complete|patterns window-agg: --late-output: complete mode keeps every window, so no row is late (as in Spark); use --output-mode append or update to drop late rows (see 'patterns window-agg --help')",
        "--watermark 1m|patterns window-agg: give --window (tumbling, or sliding with --slide) or --session-gap (see 'patterns window-agg --help')",
        "--window 5m --slide 10m --watermark 1m|patterns window-agg: --slide must be positive and at most --window (5m), got 10m (see 'patterns window-agg --help')",
        "--window 5m --group-by colour|patterns window-agg: --group-by colour is not a column of events; columns: event, user_id (see 'patterns window-agg --help')",
        "--window 5m --api flink|patterns window-agg: Invalid value for option '--api': 'flink' is not datastream or sql (see 'patterns window-agg --help')",
        "--window 5m --agg sum(colour)|patterns window-agg: --agg sum(colour): colour is not a column of events; columns: event, user_id (see 'patterns window-agg --help')",
        "--window 5m --agg avg(user_id)|patterns window-agg: --agg avg(user_id): user_id is not a numeric column of events; it has none (see 'patterns window-agg --help')",
        "--source transactions --window 5m --agg median(amount)|patterns window-agg: --agg unknown function median; functions: count(*), count(col), sum, avg, min, max, count(DISTINCT col), approx_count_distinct (see 'patterns window-agg --help')",
        "--window 5m --agg count(*)AS|patterns window-agg: --agg 'count(*)AS' is not FUNCTION(COLUMN) [AS name], e.g. sum(amount) AS total; functions: count(*), count(col), sum, avg, min, max, count(DISTINCT col), approx_count_distinct (see 'patterns window-agg --help')",
        "--window 5m --agg count(*) --distinct user_id|patterns window-agg: --agg names every aggregate and its column; drop --distinct (see 'patterns window-agg --help')",
        "--window 5m --watermark 1m --api sql --agg approx_count_distinct(user_id)|patterns window-agg: --agg approx_count_distinct is not available in streaming Flink SQL; use --api datastream (see 'patterns window-agg --help')",
        "--window none --output-mode append|patterns window-agg: --output-mode append: Append output mode not supported when there are streaming aggregations on streaming DataFrames/DataSets without watermark (a count can still change, so no row is final) (see 'patterns window-agg --help')",
        "--window none --api sql|patterns window-agg: --window none is a running aggregate in update or complete mode; use --api datastream (see 'patterns window-agg --help')",
        "--source rate --window 5m --trigger once|patterns window-agg: --trigger once reads what exists and stops, but the rate source never ends; use the default trigger or an interval (see 'patterns window-agg --help')"})
    void refusesWithOneLine(String options, String expected) throws Exception {
        Path input = tmp.resolve("empty");
        java.nio.file.Files.createDirectories(input);
        String[] args = ("window-agg --input " + input + " " + options).split(" ");
        CapturedRun.onContext(args).assertOneLineError(expected);
    }
}
