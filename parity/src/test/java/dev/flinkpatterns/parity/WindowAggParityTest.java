package dev.flinkpatterns.parity;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.session_window;
import static org.apache.spark.sql.functions.window;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * window-agg: the guide's {@code withWatermark("timestamp", "10 seconds").groupBy(window(...), col("event")).count()}
 * in append mode, Spark reading one file per micro-batch with {@code Trigger.AvailableNow}, Flink with
 * {@code --watermark-policy spark}: the same windows with the same counts, tumbling, sliding and session. Flink's
 * default (periodic) watermark drops more late rows: the docs (docs/watermarks.md) say by how many.
 */
class WindowAggParityTest {

    static final String SCHEMA = "timestamp TIMESTAMP, user_id INT, event STRING";

    static String input;

    @BeforeAll
    static void generate() {
        input = Patterns.lateEventFiles("window-agg/input", 5, 7);
    }

    @Test
    void tumblingWindowsAreTheSame() {
        List<String> spark = sparkTumbling();
        ParityCases.identical("window-agg-tumbling", flink("tumbling", "spark", "--window", "30s"), spark);
        // Flink's own watermark judges each row by the newest time before it: more rows are late, and the end of the
        // input closes every window. Spark's query over the rows Flink kept gives Flink's windows.
        String late = Patterns.freshDirectory("window-agg/tumbling-periodic-late");
        List<String> flink = flink("tumbling", "periodic", "--window", "30s", "--late-output", late);
        List<String> sparkOverFlinksRows = Rows.of(FlinkLateRows.kept(input, late, SCHEMA, "event")
                .groupBy(window(col("timestamp"), "30 seconds").as("window"), col("event")).count()
                .select(col("window.start").as("window_start"), col("window.end").as("window_end"), col("event"),
                        col("count")).collectAsList());
        ParityCases.differs("window-agg-tumbling-periodic", flink, spark, flink, sparkOverFlinksRows);
    }

    /** The same windows from {@code ./patterns sql}'s TUMBLE over the files, under the same policy. */
    @Test
    void sqlTumblingWindowsAreTheSame() {
        List<String> spark = sparkTumbling();
        Patterns.Run sql = Patterns.run("sql", "--source", "events=" + input, "--watermark", "10s",
                "--watermark-policy", "spark", "--trigger", "available-now", "--truncate", "false", "--num-rows",
                "1000", "--output", Patterns.freshDirectory("window-agg/sql-spark"), "--query",
                "SELECT window_start, window_end, event, COUNT(*) AS `count` FROM TABLE(TUMBLE(TABLE events, "
                        + "DESCRIPTOR(`timestamp`), INTERVAL '30' SECONDS)) GROUP BY window_start, window_end, event");
        ParityCases.identical("sql-tumbling", Rows.ofLastConsoleTable(sql.out()), spark);
    }

    /** Spark's maxFilesPerTrigger 2 and Flink's --max-files-per-trigger 2: micro-batches of two files. */
    @Test
    void batchesOfTwoFilesAreTheSame() {
        List<String> spark = spark(window(col("timestamp"), "30 seconds"), 2);
        ParityCases.identical("window-agg-two-files",
                flink("two-files", "spark", "--window", "30s", "--max-files-per-trigger", "2"), spark);
    }

    @Test
    void slidingWindowsAreTheSame() {
        assertSameWindows("sliding", window(col("timestamp"), "30 seconds", "10 seconds"), "--window", "30s",
                "--slide", "10s");
    }

    @Test
    void sessionWindowsAreTheSame() {
        assertSameWindows("session", session_window(col("timestamp"), "5 seconds"), "--session-gap", "5s");
    }

    /** Spark's windows, which Flink's spark policy gives too. */
    private static void assertSameWindows(String name, Column window, String... windowOptions) {
        ParityCases.identical("window-agg-" + name, flink(name, "spark", windowOptions), spark(window));
    }

    static List<String> flink(String name, String policy, String... windowOptions) {
        List<String> args = new ArrayList<>(List.of("window-agg", "--input", input, "--trigger", "available-now",
                "--watermark", "10s", "--watermark-policy", policy, "--group-by", "event", "--distinct", "none",
                "--truncate", "false", "--num-rows", "1000", "--output",
                Patterns.freshDirectory("window-agg/" + name + "-" + policy)));
        if (policy.equals("periodic")) {
            args.add("--watermark-every-event");
        }
        args.addAll(List.of(windowOptions));
        return Rows.ofLastConsoleTable(Patterns.run(args.toArray(String[]::new)).out());
    }

    /** Spark's tumbling windows of 30 s, for the tests that compare with them (one Spark run). */
    private static List<String> sparkTumbling;

    static synchronized List<String> sparkTumbling() {
        if (sparkTumbling == null) {
            sparkTumbling = spark(window(col("timestamp"), "30 seconds"));
        }
        return sparkTumbling;
    }

    static List<String> spark(Column window) {
        return spark(window, 1);
    }

    static List<String> spark(Column window, int maxFilesPerTrigger) {
        Dataset<Row> events = SparkSessions.get().readStream().schema(SCHEMA)
                .option("header", "true").option("maxFilesPerTrigger", maxFilesPerTrigger)
                .csv(Patterns.ROOT.resolve(input).toString());
        Dataset<Row> counts = events.withWatermark("timestamp", "10 seconds")
                .groupBy(window.as("window"), col("event")).count()
                .select(col("window.start").as("window_start"), col("window.end").as("window_end"), col("event"),
                        col("count"));
        return collectAppended(counts, Function.identity());
    }

    /** Every row a query appends, over all its micro-batches. */
    static List<String> collectAppended(Dataset<Row> rows, Function<Dataset<Row>, Dataset<Row>> shape) {
        List<Row> all = new ArrayList<>();
        try {
            StreamingQuery query = shape.apply(rows).writeStream().outputMode("append").trigger(Trigger.AvailableNow())
                    .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (batch, id) -> all.addAll(batch.collectAsList()))
                    .start();
            query.awaitTermination();
        } catch (Exception e) {
            throw new AssertionError("the Spark query failed", e);
        }
        return Rows.of(all);
    }
}
