package dev.flinkpatterns.parity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
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

    @Test
    void rowsAreTheSameButForTheDeadLetters() {
        String input = Patterns.freshDirectory("csv-log/input");
        Patterns.run("generate", "csv", "--out", input, "--files", "3", "--rows", "20", "--interval", "0s",
                "--time-per-file", "10s", "--seed", "11", "--start-time", "2025-07-15T10:00:00",
                "--malformed-fraction", "0.15");
        String output = Patterns.freshDirectory("csv-log/flink");
        Patterns.run("csv-log", "--input", input, "--trigger", "available-now", "--sink", "json", "--output", output);

        // The seed's reader, in Spark's default mode (PERMISSIVE).
        Dataset<Row> events = SparkSessions.get().readStream()
                .schema("timestamp TIMESTAMP, user_id INT, event STRING")
                .option("header", "true").option("maxFilesPerTrigger", 1)
                .csv(Patterns.ROOT.resolve(input).toString());
        List<String> spark = Rows.of(SparkSessions.appendedRows(events));

        List<String> deadLetters = Rows.deadLetterRecords(output);
        assertThat(deadLetters).as("malformed lines of every kind but the blank one").hasSizeGreaterThanOrEqualTo(3);
        List<String> expected = new ArrayList<>(Rows.ofJsonLines(output + "/results"));
        deadLetters.forEach(record -> expected.add(permissiveRow(record)));
        expected.sort(null);
        assertThat(spark).isEqualTo(expected).hasSize(60 - blankLines(input));
    }

    private static int blankLines(String directory) {
        try (Stream<Path> files = Files.list(Patterns.ROOT.resolve(directory))) {
            int blank = 0;
            for (Path file : files.toList()) {
                blank += (int) Files.readAllLines(file).stream().filter(String::isBlank).count();
            }
            return blank;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Spark's PERMISSIVE row of a malformed line: each field that does not convert, or is missing, null. */
    private static String permissiveRow(String line) {
        String[] fields = line.split(",", -1);
        Map<String, String> row = new TreeMap<>();
        String timestamp = fields[0].replace('T', ' ');
        row.put("timestamp", timestamp.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(\\.\\d+)?")
                ? timestamp.replaceAll("\\.?0+$", "") : "null");
        row.put("user_id", fields.length > 1 && fields[1].matches("\\d+") ? fields[1] : "null");
        row.put("event", fields.length > 2 ? fields[2] : "null");
        return row.toString();
    }
}
