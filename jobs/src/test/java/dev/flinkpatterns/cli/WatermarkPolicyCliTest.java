package dev.flinkpatterns.cli;

import static dev.flinkpatterns.testing.FlinkTests.linesOfVisibleFiles;
import static dev.flinkpatterns.testing.FlinkTests.writeLines;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.core.DisplayPath;
import dev.flinkpatterns.testing.CapturedRun;
import dev.flinkpatterns.testing.FlinkTests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code --watermark-policy spark} on three files, one micro-batch each, with {@code --watermark 10s}. Spark's rule:
 * after batch k the watermark is W_k = max event time of batches 0..k - 10 s; batch N drops the rows late by
 * W_{N-2} (a window when its end <= W, dedup when the row's time <= W) and closes what ends by W_{N-1}; the
 * no-data batch after the last one closes up to W_2, and what ends later stays open. The expected rows are
 * worked out by hand below; the parity suite checks the same rule against Spark itself.
 */
class WatermarkPolicyCliTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    @TempDir
    Path tmp;

    /** Files of event rows, the first one oldest (as Spark's file source orders them). */
    private Path files(String[]... files) throws Exception {
        Path input = tmp.resolve("input");
        for (int i = 0; i < files.length; i++) {
            String[] lines = new String[files[i].length + 1];
            lines[0] = "timestamp,user_id,event";
            System.arraycopy(files[i], 0, lines, 1, files[i].length);
            Path file = writeLines(input, "event_batch_" + i + ".csv", lines);
            Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2025-07-15T12:00:00Z").plusSeconds(i)));
        }
        return input;
    }

    /** user-sessions' and transform-with-state's three files (their expected rows are worked out at each test). */
    private static final String[][] SESSION_FILES = {
        {"2025-07-15T10:00:00,1,login", "2025-07-15T10:00:10,2,view", "2025-07-15T10:01:00,3,view"},
        {"2025-07-15T10:00:50,1,view", "2025-07-15T10:01:40,3,view"},
        {"2025-07-15T10:01:25,1,click", "2025-07-15T10:01:15,2,view", "2025-07-15T10:02:10,3,view",
            "2025-07-15T10:00:50,2,view"},
    };

    /**
     * Batch 0: W_-1 none, nothing late; W_0 = 10:00:20. Batch 1: judged by W_-1, so 10:00:12 and 10:00:02 count
     * though W_0 has passed their windows; it closes [00,10) and [10,20); W_1 = 10:00:30. Batch 2: judged by W_0,
     * 10:00:15 is late (its window ends at 10:00:20 <= W_0), 10:00:21 is not (Flink's per-row watermark, 10:00:30
     * by then, drops it); W_2 = 10:00:40 closes [30,40) at the end; [40,50) and [50,60) stay open.
     */
    private static final String[][] WINDOW_FILES = {
        {"2025-07-15T10:00:00,1,view", "2025-07-15T10:00:30,1,view", "2025-07-15T10:00:05,2,view"},
        {"2025-07-15T10:00:40,1,view", "2025-07-15T10:00:12,2,view", "2025-07-15T10:00:02,3,view"},
        {"2025-07-15T10:00:15,1,view", "2025-07-15T10:00:21,2,view", "2025-07-15T10:00:50,3,view"},
    };

    /** Spark's windows of {@link #WINDOW_FILES} (its rule, worked out above). */
    private static final String SPARKS_WINDOWS = """
                |2025-07-15 10:00:00|2025-07-15 10:00:10|    3|
                |2025-07-15 10:00:10|2025-07-15 10:00:20|    1|
                |2025-07-15 10:00:20|2025-07-15 10:00:30|    1|
                |2025-07-15 10:00:30|2025-07-15 10:00:40|    1|
                """;

    /** window-agg's count per 10 s window of {@link #WINDOW_FILES}, with a 10 s watermark and {@code options}. */
    private CapturedRun windowAgg(String... options) throws Exception {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("window-agg",
                "--input", files(WINDOW_FILES).toString(), "--trigger", "available-now", "--window", "10s",
                "--watermark", "10s", "--group-by", "none", "--distinct", "none", "--output", tmp.resolve("out").toString()));
        args.addAll(java.util.List.of(options));
        return CapturedRun.onContext(args.toArray(String[]::new));
    }

    /** The console's batch 0 of window counts, {@code rows} its body. */
    private static String windows(String rows) {
        return CapturedRun.batch(0, """
                +-------------------+-------------------+-----+
                |       window_start|         window_end|count|
                +-------------------+-------------------+-----+
                """ + rows + """
                +-------------------+-------------------+-----+
                """);
    }

    @Test
    void windowAggClosesAndDropsAsSparksMicroBatches() throws Exception {
        Path late = tmp.resolve("late");
        CapturedRun run = windowAgg("--watermark-policy", "spark", "--late-output", late.toString());

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo(windows(SPARKS_WINDOWS) + "Late rows: 1 dropped behind the watermark, written to " + DisplayPath.of(late) + "\n");
        assertThat(linesOfVisibleFiles(late)).containsExactly("{\"event_time\":\"2025-07-15 10:00:15\","
                + "\"watermark\":\"2025-07-15 10:00:19.999\",\"row\":{\"event_time\":\"2025-07-15 10:00:15\"}}");
    }

    /** The same query in Flink SQL (TUMBLE over the view's rowtime): the same windows. */
    @Test
    void sqlWindowsCloseAndDropAsSparksMicroBatches() throws Exception {
        CapturedRun run = CapturedRun.onContext("sql", "--source", "events=" + files(WINDOW_FILES), "--watermark", "10s",
                "--watermark-policy", "spark", "--trigger", "available-now", "--output", tmp.resolve("out").toString(),
                "--query", "SELECT window_start, window_end, COUNT(*) AS `count` FROM TABLE(TUMBLE(TABLE events, "
                        + "DESCRIPTOR(`timestamp`), INTERVAL '10' SECONDS)) GROUP BY window_start, window_end");

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo(windows(SPARKS_WINDOWS));
    }

    @Test
    void sqlTakesOneSourceUnderTheSparkPolicy() throws Exception {
        CapturedRun.onContext("sql", "--source", "a=" + tmp, "--source", "b=" + tmp, "--watermark", "10s",
                        "--watermark-policy", "spark", "--trigger", "available-now", "--query", "SELECT * FROM a")
                .assertOneLineError("patterns sql: --watermark-policy spark takes one --source; got 2 (see 'patterns sql --help')");
    }

    /** The same files with Flink's watermark after every row: five rows late, and the end of input closes every window. */
    @Test
    void thePeriodicPolicyJudgesEachRowByTheNewestTimeBeforeIt() throws Exception {
        CapturedRun run = windowAgg("--watermark-every-event", "--parallelism", "1");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo(windows("""
                |2025-07-15 10:00:00|2025-07-15 10:00:10|    1|
                |2025-07-15 10:00:30|2025-07-15 10:00:40|    1|
                |2025-07-15 10:00:40|2025-07-15 10:00:50|    1|
                |2025-07-15 10:00:50|2025-07-15 10:01:00|    1|
                """) + "Late rows: 5 dropped behind the watermark (see them with --late-output DIR)\n");
    }

    /**
     * dropDuplicates with the time column: W_0 = W_1 = 10:00:20. Batch 1 is judged by W_-1: its 10:00:00 repeats a
     * key still in state and is dropped as a duplicate, 10:00:05 is new. Batch 2 is judged by W_0: 10:00:20 is late
     * (Spark drops a row at exactly the watermark) and so is 10:00:05; 10:00:25 is new.
     */
    @Test
    void dedupDropsAsSparksMicroBatches() throws Exception {
        Path late = tmp.resolve("late");
        Path input = files(
                new String[] {"2025-07-15T10:00:00,1,view", "2025-07-15T10:00:30,1,view"},
                new String[] {"2025-07-15T10:00:00,1,view", "2025-07-15T10:00:05,2,view"},
                new String[] {"2025-07-15T10:00:20,3,view", "2025-07-15T10:00:25,3,view", "2025-07-15T10:00:05,2,view"});
        CapturedRun run = CapturedRun.onContext("dedup", "--input", input.toString(), "--trigger", "available-now",
                "--watermark", "10s", "--watermark-policy", "spark", "--key", "timestamp,user_id,event",
                "--late-output", late.toString(), "--output", tmp.resolve("out").toString());

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo(CapturedRun.batch(0, """
                +-------------------+-------+-----+
                |          timestamp|user_id|event|
                +-------------------+-------+-----+
                |2025-07-15T10:00:00|      1| view|
                |2025-07-15T10:00:30|      1| view|
                |2025-07-15T10:00:05|      2| view|
                |2025-07-15T10:00:25|      3| view|
                +-------------------+-------+-----+
                """) + "Late rows: 2 dropped behind the watermark, written to " + DisplayPath.of(late) + "\n");
        assertThat(linesOfVisibleFiles(late)).containsExactlyInAnyOrder(
                "{\"event_time\":\"2025-07-15 10:00:20\",\"watermark\":\"2025-07-15 10:00:19.999\","
                        + "\"row\":{\"timestamp\":\"2025-07-15T10:00:20\",\"user_id\":3,\"event\":\"view\"}}",
                "{\"event_time\":\"2025-07-15 10:00:05\",\"watermark\":\"2025-07-15 10:00:19.999\","
                        + "\"row\":{\"timestamp\":\"2025-07-15T10:00:05\",\"user_id\":2,\"event\":\"view\"}}");
    }

    /**
     * Sessions with a 30 s timeout: W_0 = 10:00:50, W_1 = 10:01:30, W_2 = 10:02:00. User 1's timeout has passed W_0
     * (10:00:30) and W_1 (10:01:20) when its rows of batches 1 and 2 come, but Spark calls the function with a key's
     * data before it times keys out, so the rows move it: one session, closed by W_2. User 2's session (timeout
     * 10:00:40 < W_0) ends before batch 2, whose 10:01:15 starts another; its 10:00:50 there is at W_0: late. User
     * 3's timeout (10:02:40) is after W_2: open at the end, no row (Spark's no-data batch closes only up to W_2).
     */
    @Test
    void userSessionsEndAsSparksMicroBatches() throws Exception {
        Path late = tmp.resolve("late");
        Path input = files(SESSION_FILES);
        CapturedRun run = CapturedRun.onContext("user-sessions", "--input", input.toString(), "--trigger",
                "available-now", "--watermark", "10s", "--timeout", "30s", "--watermark-policy", "spark",
                "--truncate", "false", "--late-output", late.toString(), "--output", tmp.resolve("out").toString());

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo(CapturedRun.batch(0, """
                +-------+-------------------+-------------------+--------+----+------------------------+
                |user_id|session_start      |session_end        |duration|rows|events                  |
                +-------+-------------------+-------------------+--------+----+------------------------+
                |1      |2025-07-15 10:00:00|2025-07-15 10:01:25|0:01:25 |3   |click=1, login=1, view=1|
                |2      |2025-07-15 10:00:10|2025-07-15 10:00:10|0:00:00 |1   |view=1                  |
                |2      |2025-07-15 10:01:15|2025-07-15 10:01:15|0:00:00 |1   |view=1                  |
                +-------+-------------------+-------------------+--------+----+------------------------+
                """) + "Late rows: 1 dropped behind the watermark, written to " + DisplayPath.of(late) + "\n");
        assertThat(linesOfVisibleFiles(late)).containsExactly("{\"event_time\":\"2025-07-15 10:00:50\","
                + "\"watermark\":\"2025-07-15 10:00:49.999\",\"row\":{\"timestamp\":\"2025-07-15T10:00:50\","
                + "\"user_id\":2,\"event\":\"view\"}}");
    }

    /**
     * transformWithState's event-time timer on user-sessions' files, a 30 s gap: timers fire when {@code < W_{N-1}},
     * after batch N's rows moved them. Batch 1 fires user 2's 10:00:40 (< W_0 = 10:00:50); user 1's 10:00:30 moved to
     * 10:01:20 first. Batch 2 drops 10:00:50 (<= W_0), moves user 1's timer to 10:01:55 and gives user 2 one at
     * 10:01:45; none is < W_1 = 10:01:30. The no-data batch fires both (< W_2 = 10:02:00); user 3's 10:02:40 stays.
     * User 1 starts from the initial state's 10; the timer cleared user 2's list and map, not its count.
     */
    @Test
    void transformWithStateTimersFireAsSparksMicroBatches() throws Exception {
        Path input = files(SESSION_FILES);
        Path initial = writeLines(tmp, "initial-counts.csv", "user_id,count", "1,10");
        CapturedRun run = CapturedRun.onContext("transform-with-state", "--input", input.toString(), "--trigger",
                "available-now", "--watermark", "10s", "--gap", "30s", "--watermark-policy", "spark",
                "--initial-state", initial.toString(), "--truncate", "false", "--output", tmp.resolve("out").toString());

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo(CapturedRun.batch(0, """
                +-------+-------------------+------------+------------------------+------------------+
                |user_id|inactive_since     |total_events|session_events          |last_events       |
                +-------+-------------------+------------+------------------------+------------------+
                |2      |2025-07-15 10:00:10|1           |view=1                  |view              |
                |2      |2025-07-15 10:01:15|2           |view=1                  |view              |
                |1      |2025-07-15 10:01:25|13          |click=1, login=1, view=1|login, view, click|
                +-------+-------------------+------------+------------------------+------------------+
                """) + "Late rows: 1 dropped behind the watermark (see them with --late-output DIR)\n");
    }

    /** Two files a micro-batch: batch 0 is files 0 and 1 (W_0 = 10:00:30), batch 1 file 2, judged by W_-1: none late. */
    @Test
    void maxFilesPerTriggerMakesBatchesOfSeveralFiles() throws Exception {
        CapturedRun run = windowAgg("--max-files-per-trigger", "2", "--watermark-policy", "spark");

        assertThat(run.exitCode()).isZero();
        // Batch 1 closes up to W_0 = 10:00:30, the no-data batch up to W_1 = 10:00:40.
        assertThat(run.out()).isEqualTo(windows("""
                |2025-07-15 10:00:00|2025-07-15 10:00:10|    3|
                |2025-07-15 10:00:10|2025-07-15 10:00:20|    2|
                |2025-07-15 10:00:20|2025-07-15 10:00:30|    1|
                |2025-07-15 10:00:30|2025-07-15 10:00:40|    1|
                """));
    }

    /** Clicks and purchases, batch N of each side in file N, oldest first in each directory. */
    private Path joinFiles(String side, String header, String[]... files) throws Exception {
        Path input = tmp.resolve(side + "s");
        for (int i = 0; i < files.length; i++) {
            String[] lines = new String[files[i].length + 1];
            lines[0] = header;
            System.arraycopy(files[i], 0, lines, 1, files[i].length);
            Path file = writeLines(input, side + "_batch_" + i + ".csv", lines);
            Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T12:00:00Z").plusSeconds(i)));
        }
        return input;
    }

    /**
     * A full outer join, purchase_time BETWEEN click_time AND click_time + 20 s, watermarks of 10 s on both sides; the
     * query's watermark is the minimum of both sides'. W_0 = min(10:00:30, 10:00:05) - 10 s = 09:59:55. Batch 1 is
     * judged by W_-1 (none): c4 at 09:59:50 is on time and joins p1, still in state. W_1 = min(10:00:40, 10:00:45) -
     * 10 s = 10:00:30. Batch 2 is judged by W_0: c5 at 09:59:50 is late, p5 at 09:59:58 is not (and joins c4); p4 joins
     * c2 at exactly the upper bound. The end of batch 2 evicts by W_1: clicks before 10:00:10 (c7 unmatched: null-padded)
     * and purchases before 10:00:30 (p3 unmatched: null-padded). W_2 = W_1: c6 (unmatched) stays in state, never emitted.
     */
    @Test
    void intervalJoinJudgesAndEvictsAsSparksMicroBatches() throws Exception {
        Path clicks = joinFiles("click", "click_time,click_id,user_id,page",
                new String[] {"2026-01-01T10:00:00,c1,1,home", "2026-01-01T10:00:30,c2,2,cart", "2026-01-01T10:00:05,c7,5,home"},
                new String[] {"2026-01-01T10:00:40,c3,3,home", "2026-01-01T09:59:50,c4,1,search"},
                new String[] {"2026-01-01T09:59:50,c5,4,home", "2026-01-01T10:00:25,c6,2,cart"});
        Path purchases = joinFiles("purchase", "purchase_time,purchase_id,user_id,product_id,amount",
                new String[] {"2026-01-01T10:00:05,p1,1,p-001,10.00"},
                new String[] {"2026-01-01T10:00:45,p2,3,p-002,20.00", "2026-01-01T10:00:20,p3,9,p-003,30.00"},
                new String[] {"2026-01-01T10:00:50,p4,2,p-004,40.00", "2026-01-01T09:59:58,p5,1,p-005,50.00"});
        Path late = tmp.resolve("late");
        CapturedRun run = CapturedRun.onContext("interval-join", "--left-input", clicks.toString(), "--right-input",
                purchases.toString(), "--join", "full", "--watermark-policy", "spark", "--trigger", "available-now",
                "--left-watermark", "10s", "--right-watermark", "10s", "--within", "20s", "--late-output",
                late.toString(), "--output", tmp.resolve("out").toString());

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo(CapturedRun.batch(0, """
                +-------------------+--------+-------+------+-------------------+-----------+-----------------+----------+------+
                |         click_time|click_id|user_id|  page|      purchase_time|purchase_id|purchases_user_id|product_id|amount|
                +-------------------+--------+-------+------+-------------------+-----------+-----------------+----------+------+
                |2026-01-01 09:59:50|      c4|      1|search|2026-01-01 09:59:58|         p5|                1|     p-005|  50.0|
                |2026-01-01 09:59:50|      c4|      1|search|2026-01-01 10:00:05|         p1|                1|     p-001|  10.0|
                |2026-01-01 10:00:00|      c1|      1|  home|2026-01-01 10:00:05|         p1|                1|     p-001|  10.0|
                |2026-01-01 10:00:05|      c7|      5|  home|               null|       null|             null|      null|  null|
                |2026-01-01 10:00:30|      c2|      2|  cart|2026-01-01 10:00:50|         p4|                2|     p-004|  40.0|
                |2026-01-01 10:00:40|      c3|      3|  home|2026-01-01 10:00:45|         p2|                3|     p-002|  20.0|
                |               null|    null|   null|  null|2026-01-01 10:00:20|         p3|                9|     p-003|  30.0|
                +-------------------+--------+-------+------+-------------------+-----------+-----------------+----------+------+
                """) + "Late rows: 1 dropped behind the watermark, written to " + DisplayPath.of(late) + "\n");
        assertThat(linesOfVisibleFiles(late)).containsExactly("{\"event_time\":\"2026-01-01 09:59:50\","
                + "\"watermark\":\"2026-01-01 09:59:54.999\",\"row\":{\"click_time\":\"2026-01-01 09:59:50\","
                + "\"click_id\":\"c5\",\"user_id\":\"4\",\"page\":\"home\"}}");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--watermark-policy spark|--watermark-policy spark needs --trigger available-now: Spark's micro-batches over the files that exist when the job starts",
        "--watermark-policy spark --trigger available-now --watermark-every-event|--watermark-every-event is the periodic policy's; --watermark-policy spark moves the watermark between batches",
        "--watermark-policy spark --trigger available-now --api sql|--watermark-policy spark is for --api datastream",
        "--watermark-policy spark --trigger available-now --left-format parquet|--watermark-policy spark reads line formats (csv, json); not --left-format or --right-format parquet",
        "--trigger once --max-files-per-trigger 2|--max-files-per-trigger does not apply to --trigger once, which reads the files that exist now in one batch (as Spark's Trigger.Once); use --trigger available-now",
    })
    void intervalJoinRefusals(String options, String message) throws Exception {
        Files.createDirectories(tmp.resolve("clicks"));
        Files.createDirectories(tmp.resolve("purchases"));
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("interval-join", "--left-input",
                tmp.resolve("clicks").toString(), "--right-input", tmp.resolve("purchases").toString()));
        args.addAll(java.util.List.of(options.split(" ")));
        CapturedRun.onContext(args.toArray(String[]::new))
                .assertOneLineError("patterns interval-join: " + message + " (see 'patterns interval-join --help')");
    }

    @Test
    void anUnknownPolicyIsRefused() {
        CapturedRun.onContext("dedup", "--input", tmp.toString(), "--watermark", "10s", "--watermark-policy", "fast")
                .assertOneLineError("patterns dedup: Invalid value for option '--watermark-policy': 'fast' is not "
                        + "periodic or spark (see 'patterns dedup --help')");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "window-agg|--window 10s --watermark-policy spark --trigger available-now|--watermark-policy spark needs --watermark",
        "window-agg|--window 10s --watermark 10s --watermark-policy spark|--watermark-policy spark needs --trigger available-now: Spark's micro-batches over the files that exist when the job starts",
        "window-agg|--window 10s --watermark 10s --watermark-policy spark --trigger available-now --watermark-every-event|--watermark-every-event is the periodic policy's; --watermark-policy spark moves the watermark between batches",
        "window-agg|--window 10s --watermark 10s --watermark-policy spark --trigger available-now --api sql|--watermark-policy spark is for --api datastream",
        "dedup|--watermark 10s --watermark-policy spark --trigger available-now --api sql|--watermark-policy spark is for --api datastream",
        "user-sessions|--watermark 10s --watermark-policy spark --trigger available-now --api sql|--watermark-policy spark is for --api datastream",
        "user-sessions|--watermark 10s --watermark-policy spark --trigger available-now --timeout-kind processing|--watermark-policy spark needs --timeout-kind event: Spark's watermark moves only an event-time timeout",
        "transform-with-state|--watermark 10s --watermark-policy spark --trigger available-now --api sql|--watermark-policy spark is for --api datastream",
        "transform-with-state|--watermark-policy spark --trigger available-now --time-mode processing|--watermark-policy spark needs --time-mode event: Spark's watermark moves only event-time timers",
        "transform-with-state|--watermark-policy spark --trigger available-now --emit running-count|--watermark-policy spark needs --emit summary: a running count follows no watermark (as mapGroupsWithState without an event-time timeout)",
        "transform-with-state|--watermark-policy spark --trigger available-now|--watermark-policy spark needs --watermark",
        "dedup|--watermark 10s --trigger once --max-files-per-trigger 2|--max-files-per-trigger does not apply to --trigger once, which reads the files that exist now in one batch (as Spark's Trigger.Once); use --trigger available-now",
    })
    void refusals(String pattern, String options, String message) throws Exception {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(pattern, "--input", tmp.toString()));
        args.addAll(java.util.List.of(options.split(" ")));
        CapturedRun.onContext(args.toArray(String[]::new))
                .assertOneLineError("patterns " + pattern + ": " + message + " (see 'patterns " + pattern + " --help')");
    }
}
