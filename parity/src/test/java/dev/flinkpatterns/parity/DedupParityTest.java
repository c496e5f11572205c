package dev.flinkpatterns.parity;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * dedup: the guide's {@code withWatermark("timestamp", "10 seconds").dropDuplicates(...)}, with the time column in
 * the key and without it ({@code dropDuplicatesWithinWatermark}), Spark reading one file per micro-batch with
 * {@code Trigger.AvailableNow}, Flink with {@code --watermark-policy spark}: the same first rows.
 */
class DedupParityTest {

    static String input;

    /** Two users: many duplicates. */
    @BeforeAll
    static void generate() {
        input = Patterns.lateEventFiles("dedup/input", 2, 3);
    }

    @Test
    void dropDuplicatesWithTheTimeColumnKeepsTheSameRows() {
        List<String> spark = spark(events -> events.dropDuplicates("timestamp", "user_id", "event"));
        ParityCases.identical("dedup-with-time", flink("with-time", "spark", "timestamp,user_id,event"), spark);
        // Flink's own watermark drops other rows as late; Spark's dropDuplicates over the rows Flink kept gives
        // Flink's rows.
        String late = Patterns.freshDirectory("dedup/with-time-periodic-late");
        List<String> flink = flink("with-time", "periodic", "timestamp,user_id,event", "--late-output", late);
        List<String> sparkOverFlinksRows = Rows.of(FlinkLateRows.kept(input, late, WindowAggParityTest.SCHEMA,
                "user_id", "event").dropDuplicates("timestamp", "user_id", "event").collectAsList());
        ParityCases.differs("dedup-with-time-periodic", flink, spark, flink, sparkOverFlinksRows);
    }

    @Test
    void dropDuplicatesWithinWatermarkKeepsTheSameRows() {
        List<String> spark = spark(events -> events.dropDuplicatesWithinWatermark("user_id", "event"));
        ParityCases.identical("dedup-within-watermark", flink("within-watermark", "spark", "user_id,event"), spark);
    }

    /**
     * Three small files (jobs' WatermarkPolicyCliTest works them out by hand): in batch 2, judged by W_0 = 10:00:20,
     * Spark drops the row at exactly 10:00:20; the periodic policy's rule (late before the watermark) keeps it.
     */
    @Test
    void aRowAtExactlyTheWatermarkIsLate() throws Exception {
        String small = Patterns.freshDirectory("dedup/at-watermark");
        String[][] files = {
            {"2025-07-15T10:00:00,1,view", "2025-07-15T10:00:30,1,view"},
            {"2025-07-15T10:00:00,1,view", "2025-07-15T10:00:05,2,view"},
            {"2025-07-15T10:00:20,3,view", "2025-07-15T10:00:25,3,view", "2025-07-15T10:00:05,2,view"},
        };
        for (int i = 0; i < files.length; i++) {
            java.nio.file.Path file = Patterns.ROOT.resolve(small).resolve("event_batch_" + i + ".csv");
            java.nio.file.Files.writeString(file, "timestamp,user_id,event\n" + String.join("\n", files[i]) + "\n");
            java.nio.file.Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(
                    java.time.Instant.parse("2025-07-15T12:00:00Z").plusSeconds(i)));
        }
        String previous = input;
        input = small;
        try {
            List<String> spark = spark(events -> events.dropDuplicates("timestamp", "user_id", "event"));
            assertThat(spark).containsExactly("{event=view, timestamp=2025-07-15 10:00:00, user_id=1}",
                    "{event=view, timestamp=2025-07-15 10:00:05, user_id=2}",
                    "{event=view, timestamp=2025-07-15 10:00:25, user_id=3}",
                    "{event=view, timestamp=2025-07-15 10:00:30, user_id=1}");
            ParityCases.identical("dedup-at-watermark", flink("at-watermark", "spark", "timestamp,user_id,event"), spark);
        } finally {
            input = previous;
        }
    }

    private static List<String> flink(String name, String policy, String key, String... options) {
        List<String> args = new ArrayList<>(List.of("dedup", "--input", input, "--trigger", "available-now",
                "--watermark", "10s", "--watermark-policy", policy, "--key", key, "--truncate", "false",
                "--num-rows", "1000", "--output", Patterns.freshDirectory("dedup/" + name + "-" + policy)));
        if (policy.equals("periodic")) {
            args.add("--watermark-every-event");
        }
        args.addAll(List.of(options));
        return Rows.ofLastConsoleTable(Patterns.run(args.toArray(String[]::new)).out());
    }

    private static List<String> spark(Function<Dataset<Row>, Dataset<Row>> dedup) {
        Dataset<Row> events = SparkSessions.get().readStream().schema("timestamp TIMESTAMP, user_id INT, event STRING")
                .option("header", "true").option("maxFilesPerTrigger", 1)
                .csv(Patterns.ROOT.resolve(input).toString());
        return WindowAggParityTest.collectAppended(dedup.apply(events.withWatermark("timestamp", "10 seconds")),
                rows -> rows.select(col("timestamp"), col("user_id"), col("event")));
    }
}
