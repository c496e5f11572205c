package dev.flinkpatterns.patterns.sensors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.ProcessingClock;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.DeadLetter;
import dev.flinkpatterns.io.SourceLine;
import dev.flinkpatterns.run.PatternOutputs;
import dev.flinkpatterns.table.ResultBatch;
import dev.flinkpatterns.testing.FlinkTests;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** sensor-alerts in both APIs on the same hand-written lines: the same rows, the same dead letters. */
class SensorAlertsTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    private static final String FILE = "file:/in/sensor_batch_0.json";

    private static final List<String> LINES = List.of(
            "{\"sensor_id\":\"sensor-07\",\"device_id\":\"device-2\",\"location\":{\"building\":\"B1\",\"floor\":2},"
                    + "\"timestamp\":\"2024-01-15T10:00:03.000000\",\"temperature\":82.4,\"humidity\":41.5,"
                    + "\"tags\":[\"hvac\",\"floor-2\"]}",
            "{\"sensor_id\":\"sensor-01\",\"device_id\":\"device-1\",\"location\":{\"building\":\"B1\",\"floor\":1},"
                    + "\"timestamp\":\"2024-01-15T10:00:04.000000\",\"temperature\":21.5,\"humidity\":40.0,\"tags\":[\"lab\"]}",
            "{\"sensor_id\":\"sensor-02\",\"device_id\":\"device-1\",\"location\":{\"building\":\"B2\",\"floor\":0},"
                    + "\"timestamp\":\"2024-01-15T10:00:04.500000\",\"temperature\":75.0,\"tags\":[\"boiler\"]}",
            "not json",
            "{\"sensor_id\":\"sensor-03\",\"device_id\":\"device-3\",\"timestamp\":\"2024-01-15T10:00:05.250000\","
                    + "\"temperature\":101.3}",
            "{\"sensor_id\":\"sensor-04\",\"device_id\":\"device-3\",\"location\":{\"building\":\"B2\",\"floor\":0},"
                    + "\"timestamp\":\"2024-01-15T10:00:06.000000\",\"temperature\":76.125,\"humidity\":null,\"tags\":[]}",
            "{\"sensor_id\":\"sensor-05\",\"device_id\":\"device-4\",\"location\":{\"building\":\"B3\"},"
                    + "\"timestamp\":\"2024-01-15T10:00:07.000000\",\"temperature\":100,\"tags\":[\"roof\"]}",
            "",
            "{\"device_id\":\"device-4\",\"timestamp\":\"2024-01-15T10:00:08.000000\",\"temperature\":90.0}",
            "{\"sensor_id\":\"sensor-06\",\"device_id\":\"device-4\",\"timestamp\":\"2024-01-15T10:00:09.000000\","
                    + "\"temperature\":\"hot\"}",
            "{\"sensor_id\":\"sensor-06\",\"device_id\":\"device-4\",\"timestamp\":\"10:00:10\",\"temperature\":90.0}",
            "{\"sensor_id\":\"sensor-07\",\"device_id\":\"device-2\",\"timestamp\":\"2024-01-15T10:00:11.000000\",\"temperature\":9",
            "[1,2]",
            "{\"sensor_id\":\"sensor-07\",\"device_id\":\"device-2\",\"timestamp\":\"2024-01-15T10:00:12.000000\","
                    + "\"temperature\":88.0,\"tags\":[\"hvac\",7]}",
            "{\"sensor_id\":\"sensor-07\",\"device_id\":\"device-2\",\"timestamp\":\"2024-01-15T10:00:13.000000\","
                    + "\"temperature\":88.0,\"location\":{\"floor\":\"2\"}}");

    /** Above 75 only, one row per tag, a reading without tags kept with tag null (explode_outer). */
    private static final List<List<String>> EXPECTED_WITHOUT_PROCESSED_AT = List.of(
            List.of("sensor-07", "device-2", "B1", "2024-01-15T10:00:03.000000", "82.4", "180.32", "Warning", "hvac"),
            List.of("sensor-07", "device-2", "B1", "2024-01-15T10:00:03.000000", "82.4", "180.32", "Warning", "floor-2"),
            List.of("sensor-03", "device-3", "null", "2024-01-15T10:00:05.250000", "101.3", "214.34", "Critical", "null"),
            List.of("sensor-04", "device-3", "B2", "2024-01-15T10:00:06.000000", "76.125", "169.03", "Normal", "null"),
            List.of("sensor-05", "device-4", "B3", "2024-01-15T10:00:07.000000", "100.0", "212.0", "Warning", "roof"));

    private static final List<String> EXPECTED_DEAD_LETTERS = List.of(
            "4|not valid JSON at column 4: Unrecognized token 'not': was expecting (JSON String, Number, Array, Object"
                    + " or token 'null', 'true' or 'false')",
            "9|missing required field sensor_id",
            "10|temperature is not a number: \"hot\"",
            "11|timestamp is not an ISO-8601 date-time: '10:00:10'",
            "12|not valid JSON: the line ends inside a value",
            "13|the line is not a JSON object: [1,2]",
            "14|tags[1] is not a string: 7",
            "15|location.floor is not an integer: \"2\"");

    private record Result(List<ResultBatch> batches, List<DeadLetter> deadLetters) {}

    private static Result run(Function<DataStream<SourceLine>, PatternOutputs> topology) throws Exception {
        StreamExecutionEnvironment env = FlinkTests.environment();
        DataStream<SourceLine> lines = env.fromData(IntStream.range(0, LINES.size())
                .mapToObj(i -> new SourceLine(FILE, i + 1, LINES.get(i))).toList());
        PatternOutputs outputs = topology.apply(lines);
        CloseableIterator<ResultBatch> batches = outputs.results().collectAsync();
        CloseableIterator<DeadLetter> deadLetters = outputs.deadLetters().collectAsync();
        env.execute("sensor-alerts");
        List<ResultBatch> batchList = new ArrayList<>();
        batches.forEachRemaining(batchList::add);
        List<DeadLetter> letters = new ArrayList<>();
        deadLetters.forEachRemaining(letters::add);
        return new Result(batchList, letters);
    }

    private static void assertDeadLetters(List<DeadLetter> letters) {
        assertThat(letters).extracting(l -> l.line() + "|" + l.reason()).containsExactlyInAnyOrderElementsOf(EXPECTED_DEAD_LETTERS);
        assertThat(letters).allSatisfy(l -> {
            assertThat(l.source()).isEqualTo(FILE);
            assertThat(l.record()).isEqualTo(LINES.get((int) l.line() - 1));
        });
    }

    @Test
    void dataStreamRowsWithAFixedProcessingTime() throws Exception {
        long now = Instant.parse("2024-01-15T10:05:00Z").toEpochMilli();

        Result result = run(lines -> SensorAlerts.dataStream(
                lines, OutputMode.APPEND, Trigger.AVAILABLE_NOW, ProcessingClock.fixed(now)));

        assertThat(result.batches()).hasSize(1);
        ResultBatch batch = result.batches().get(0);
        assertThat(batch.columns()).containsExactly("sensor_id", "device_id", "building", "timestamp", "temperature",
                "temp_fahrenheit", "severity", "tag", "processed_at");
        assertThat(batch.rows()).isEqualTo(EXPECTED_WITHOUT_PROCESSED_AT.stream().map(row -> {
            List<String> withTime = new ArrayList<>(row);
            withTime.add("2024-01-15 10:05:00");
            return withTime;
        }).toList());
        assertDeadLetters(result.deadLetters());
    }

    @Test
    void sqlGivesTheSameRowsWithCurrentTimestamp() throws Exception {
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);

        Result result = run(lines -> SensorAlerts.sql(lines, OutputMode.APPEND, Trigger.AVAILABLE_NOW));

        Instant end = Instant.now();
        assertThat(result.batches()).hasSize(1);
        List<List<String>> rows = result.batches().get(0).rows();
        assertThat(rows).extracting(row -> row.subList(0, 8)).isEqualTo(EXPECTED_WITHOUT_PROCESSED_AT);
        DateTimeFormatter display = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSS]");
        assertThat(rows).extracting(row -> LocalDateTime.parse(row.get(8), display).toInstant(ZoneOffset.UTC))
                .allSatisfy(processedAt -> assertThat(processedAt).isBetween(start, end));
        assertThat(rows.get(0).get(8)).as("the two tag rows of one reading").isEqualTo(rows.get(1).get(8));
        assertDeadLetters(result.deadLetters());
    }
}
