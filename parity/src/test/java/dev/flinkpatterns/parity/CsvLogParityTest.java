package dev.flinkpatterns.parity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * csv-log: the tutorial's rows as they arrive (append mode, no state), Spark's {@code readStream.csv(dir)} in its
 * default PERMISSIVE mode and Flink on the same files (with malformed lines). They differ by one documented rule: a
 * malformed line is a dead letter in Flink, while Spark keeps it as a row whose fields that do not convert, or are
 * missing, are null (a missing last field, a timestamp {@code yesterday}, a user id {@code user5}; an extra field is
 * dropped). Blank lines are no row on either side.
 */
class CsvLogParityTest {

    private static final String SCHEMA = "timestamp TIMESTAMP, user_id INT, event STRING";

    @Test
    void rowsAreTheSameButForTheDeadLetters() {
        String input = Patterns.freshDirectory("csv-log/input");
        Patterns.generateFiles("csv", input, 3, 20, "10s", 11, "2025-07-15T10:00:00", "0.15");
        String output = Patterns.freshDirectory("csv-log/flink");
        Patterns.run("csv-log", "--input", input, "--trigger", "available-now", "--sink", "json", "--output", output);

        // The seed's reader, in Spark's default mode (PERMISSIVE).
        Dataset<Row> events = SparkSessions.get().readStream()
                .schema(SCHEMA)
                .option("header", "true").option("maxFilesPerTrigger", 1)
                .csv(Patterns.ROOT.resolve(input).toString());
        List<String> spark = Rows.of(SparkSessions.appendedRows(events));

        List<String> deadLetters = Rows.deadLetterRecords(output);
        assertThat(deadLetters).as("malformed lines of every kind but the blank one").hasSizeGreaterThanOrEqualTo(3);
        List<String> flink = Rows.ofJsonLines(output + "/results");
        List<String> expected = new ArrayList<>(flink);
        deadLetters.forEach(record -> expected.add(Rows.permissiveCsvRow(record, SCHEMA).toString()));
        expected.sort(null);
        assertThat(spark).hasSize(60 - Rows.blankLines(input));
        ParityCases.differs("csv-log", flink, spark, expected);
    }
}
