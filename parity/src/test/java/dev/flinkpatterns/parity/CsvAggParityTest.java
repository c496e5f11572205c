package dev.flinkpatterns.parity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;

/**
 * csv-agg: the guide's {@code groupBy("event").count()} in complete mode, Spark and Flink on the same files (with
 * malformed lines). They differ by one documented rule: a line whose field does not convert (a timestamp
 * {@code yesterday}, a user id {@code user5}) is a dead letter in Flink, while Spark's CSV reader makes the field
 * null and keeps the row, even in DROPMALFORMED mode (which drops lines of the wrong number of fields only).
 */
class CsvAggParityTest {

    @Test
    void eventCountsAreTheSame() throws Exception {
        String input = Patterns.freshDirectory("csv-agg/input");
        Patterns.run("generate", "csv", "--out", input, "--files", "3", "--rows", "50", "--interval", "0s",
                "--seed", "11", "--start-time", "2025-07-15T10:00:00", "--malformed-fraction", "0.1");
        String output = Patterns.freshDirectory("csv-agg/flink");
        Patterns.Run flink = Patterns.run("csv-agg", "--input", input, "--trigger", "available-now", "--truncate",
                "false", "--output", output);

        SparkSession spark = SparkSessions.get();
        // The seed's reader; DROPMALFORMED: Flink sends malformed lines to the dead letters, it does not count them.
        Dataset<Row> events = spark.readStream().schema("timestamp TIMESTAMP, user_id INT, event STRING")
                .option("header", "true").option("mode", "DROPMALFORMED").option("maxFilesPerTrigger", 1)
                .csv(Patterns.ROOT.resolve(input).toString());
        List<Row> last = new ArrayList<>();
        StreamingQuery query = events.groupBy("event").count().writeStream().outputMode("complete")
                .trigger(Trigger.AvailableNow())
                .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (batch, id) -> {
                    last.clear();
                    last.addAll(batch.collectAsList());
                }).start();
        query.awaitTermination();

        // Flink's counts plus its dead letters of three fields (Spark's null-filled rows) are Spark's counts.
        Map<String, Long> flinkCounts = new TreeMap<>();
        for (String row : Rows.ofLastConsoleTable(flink.out())) {
            Matcher cells = Pattern.compile("\\{count=(\\d+), event=(\\w+)}").matcher(row);
            assertThat(cells.matches()).as(row).isTrue();
            flinkCounts.put(cells.group(2), Long.parseLong(cells.group(1)));
        }
        List<String> flinkRows = ParityCases.countRows("event", flinkCounts);
        List<String> deadLetters = Rows.deadLetterRecords(output);
        List<String> nullFilled = deadLetters.stream().filter(record -> record.split(",", -1).length == 3).toList();
        assertThat(nullFilled).as("lines with a field that does not convert").isNotEmpty();
        assertThat(deadLetters).as("lines of the wrong number of fields too").hasSizeGreaterThan(nullFilled.size());
        nullFilled.forEach(record -> flinkCounts.merge(record.split(",")[2], 1L, Long::sum));
        Map<String, Long> sparkCounts = new TreeMap<>();
        last.forEach(row -> sparkCounts.put(row.getString(0), row.getLong(1)));
        assertThat(sparkCounts).hasSize(4);
        ParityCases.differs("csv-agg", flinkRows, ParityCases.countRows("event", sparkCounts),
                ParityCases.countRows("event", flinkCounts));
    }
}
