package dev.flinkpatterns.parity;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.window;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;

/**
 * window-agg in complete mode: {@code withWatermark("timestamp", "10 seconds").groupBy(window("timestamp",
 * "1 minute"), "event").count()}, Spark and Flink on the same files, with rows behind the watermark. Spark keeps
 * every window in complete mode, so a late row still counts in its window; so does Flink. The same query in append
 * mode shows the rows were late in Spark's run: there it drops them.
 */
class WindowAggCompleteParityTest {

    /**
     * One file a Spark batch, oldest first. The second moves the watermark to 10:02:20; Spark judges late rows by the
     * watermark of the batch before (its late-event watermark), so the fourth file's rows are the late ones.
     */
    static final List<List<String>> FILES = List.of(
            List.of("2024-01-15T10:00:05,1,view", "2024-01-15T10:00:30,2,view", "2024-01-15T10:00:50,1,login"),
            List.of("2024-01-15T10:02:30,3,view", "2024-01-15T10:01:40,2,login"),
            List.of("2024-01-15T10:02:35,6,view"),
            List.of("2024-01-15T10:00:20,4,view", "2024-01-15T10:01:10,5,view"), // late for their windows
            List.of("2024-01-15T10:03:30,1,view"));

    @Test
    void lateRowsCountInTheirWindowsAsInSpark() throws Exception {
        String input = Patterns.freshDirectory("window-agg-complete/input");
        writeFilesOldestFirst(Patterns.ROOT.resolve(input));
        Patterns.Run flink = Patterns.run("window-agg", "--input", input, "--window", "1m", "--watermark", "10s",
                "--distinct", "none", "--output-mode", "complete", "--trigger", "available-now", "--truncate", "false",
                "--output", Patterns.freshDirectory("window-agg-complete/flink"));

        List<String> complete = Rows.of(spark(input, "complete"));
        ParityCases.identical("window-agg-complete", Rows.ofLastConsoleTable(flink.out()), complete);
        assertThat(complete).containsExactly(
                "{count=1, event=login, window_end=2024-01-15 10:01:00, window_start=2024-01-15 10:00:00}",
                "{count=1, event=login, window_end=2024-01-15 10:02:00, window_start=2024-01-15 10:01:00}",
                "{count=1, event=view, window_end=2024-01-15 10:02:00, window_start=2024-01-15 10:01:00}",
                "{count=1, event=view, window_end=2024-01-15 10:04:00, window_start=2024-01-15 10:03:00}",
                "{count=2, event=view, window_end=2024-01-15 10:03:00, window_start=2024-01-15 10:02:00}",
                "{count=3, event=view, window_end=2024-01-15 10:01:00, window_start=2024-01-15 10:00:00}");
        assertThat(Rows.of(spark(input, "append"))).as("Spark in append mode drops the fourth file's rows")
                .doesNotContain("{count=3, event=view, window_end=2024-01-15 10:01:00, window_start=2024-01-15 10:00:00}",
                        "{count=1, event=view, window_end=2024-01-15 10:02:00, window_start=2024-01-15 10:01:00}")
                .contains("{count=2, event=view, window_end=2024-01-15 10:01:00, window_start=2024-01-15 10:00:00}");
    }

    /** The seed's query on the files; the result table at the end (complete) or every row emitted (append). */
    static List<Row> spark(String input, String outputMode) throws Exception {
        SparkSession spark = SparkSessions.get();
        Dataset<Row> events = spark.readStream().schema("timestamp TIMESTAMP, user_id INT, event STRING")
                .option("header", "true").option("maxFilesPerTrigger", 1)
                .csv(Patterns.ROOT.resolve(input).toString());
        List<Row> rows = new ArrayList<>();
        StreamingQuery query = events.withWatermark("timestamp", "10 seconds")
                .groupBy(window(col("timestamp"), "1 minute"), col("event")).count()
                .select(col("window.start").as("window_start"), col("window.end").as("window_end"), col("event"),
                        col("count"))
                .writeStream().outputMode(outputMode).trigger(Trigger.AvailableNow())
                .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (batch, id) -> {
                    if (outputMode.equals("complete")) {
                        rows.clear();
                    }
                    rows.addAll(batch.collectAsList());
                }).start();
        query.awaitTermination();
        return rows;
    }

    /** Spark's file source takes files by modification time: one a minute apart, in list order. */
    static void writeFilesOldestFirst(Path directory) throws IOException {
        long minute = 60_000;
        long first = System.currentTimeMillis() - FILES.size() * minute;
        for (int i = 0; i < FILES.size(); i++) {
            List<String> lines = new ArrayList<>(List.of("timestamp,user_id,event"));
            lines.addAll(FILES.get(i));
            Path file = Files.write(directory.resolve("events-" + i + ".csv"), lines);
            Files.setLastModifiedTime(file, FileTime.fromMillis(first + i * minute));
        }
    }
}
