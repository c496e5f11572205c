package dev.flinkpatterns.parity;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.window;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * {@code ./patterns sql} in complete mode differs from Spark by one documented rule: its window table functions are
 * Flink SQL's, which drop a row whose window the watermark has closed in every output mode, where Spark's complete
 * mode counts it (window-agg in complete mode, with the same files, is identical: WindowAggCompleteParityTest).
 * Flink's table is Spark's query, as a batch, over the rows that were not late by the per-row watermark.
 */
class SqlCompleteParityTest {

    private static final Duration DELAY = Duration.ofSeconds(10);
    private static final Duration WINDOW = Duration.ofMinutes(1);

    @Test
    void sqlWindowsDropLateRowsInCompleteMode() throws Exception {
        String input = Patterns.freshDirectory("sql-complete/input");
        WindowAggCompleteParityTest.writeFilesOldestFirst(Patterns.ROOT.resolve(input));
        Patterns.Run flink = Patterns.run("sql", "--source", "events=" + input, "--watermark", "10s",
                "--watermark-every-event", "--output-mode", "complete", "--trigger", "available-now", "--truncate",
                "false", "--query", "SELECT window_start, window_end, event, COUNT(*) AS `count` FROM TABLE(TUMBLE("
                        + "TABLE events, DESCRIPTOR(`timestamp`), INTERVAL '1' MINUTES)) GROUP BY window_start, "
                        + "window_end, event");
        List<String> flinkRows = Rows.ofLastConsoleTable(flink.out());
        List<String> spark = Rows.of(WindowAggCompleteParityTest.spark(input, "complete"));

        List<Row> notLate = new ArrayList<>();
        Instant newest = Instant.MIN;
        int late = 0;
        for (List<String> file : WindowAggCompleteParityTest.FILES) {
            for (String line : file) {
                String[] fields = line.split(",");
                Instant time = LocalDateTime.parse(fields[0]).toInstant(ZoneOffset.UTC);
                newest = time.isAfter(newest) ? time : newest;
                Instant windowEnd = Instant.ofEpochMilli(time.toEpochMilli() - time.toEpochMilli() % WINDOW.toMillis())
                        .plus(WINDOW);
                if (windowEnd.isAfter(newest.minus(DELAY))) {
                    notLate.add(RowFactory.create(time, Integer.parseInt(fields[1]), fields[2]));
                } else {
                    late++;
                }
            }
        }
        assertThat(late).as("rows behind the per-row watermark").isEqualTo(3);
        List<String> sparkOverTheRowsNotLate = Rows.of(SparkSessions.get()
                .createDataFrame(notLate, StructType.fromDDL(WindowAggParityTest.SCHEMA))
                .groupBy(window(col("timestamp"), "1 minute").as("window"), col("event")).count()
                .select(col("window.start").as("window_start"), col("window.end").as("window_end"), col("event"),
                        col("count"))
                .collectAsList());
        ParityCases.differs("sql-complete", flinkRows, spark, flinkRows, sparkOverTheRowsNotLate);
    }
}
