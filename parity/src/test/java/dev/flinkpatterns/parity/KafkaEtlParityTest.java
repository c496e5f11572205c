package dev.flinkpatterns.parity;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.from_json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.junit.jupiter.api.Test;

/**
 * kafka-etl: the guide's Pattern 1 ({@code from_json(value, schema)}, {@code status == active},
 * {@code processed_time}). The records, with malformed ones, go to a Kafka broker started for the test; Flink's
 * {@code kafka-etl} reads the topic, Spark reads the same record values as JSON lines files
 * ({@code readStream.text(dir)}: its {@code value} column, as the Kafka source's). All columns compared but
 * {@code processed_time}, the time of the run on each side. They differ by one documented rule: a record that does
 * not fit the schema is a dead letter in Flink, while Spark's {@code from_json} (PERMISSIVE) keeps it with null in
 * each field that is missing or does not convert; so an active record with an amount {@code "lots"}, a timestamp
 * {@code yesterday} or no timestamp is a Spark row with nulls there. A value that is not a JSON object gives a row of
 * nulls, which the filter drops.
 */
class KafkaEtlParityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCHEMA = "timestamp TIMESTAMP, id BIGINT, user_id INT, status STRING, amount DOUBLE";

    @Test
    void activeRecordsAreTheSameButForTheDeadLetters() throws Exception {
        String port = String.valueOf(freePort());
        String bootstrap = "localhost:" + port;
        String brokerData = Patterns.freshDirectory("kafka-etl/broker");
        Patterns.run("kafka", "start", "--port", port, "--data-dir", brokerData);
        String output = Patterns.freshDirectory("kafka-etl/flink");
        String input = Patterns.freshDirectory("kafka-etl/input");
        Instant flinkStart;
        Instant flinkEnd;
        try {
            Patterns.run("generate", "kafka", "--kind", "status", "--topic", "raw_data", "--files", "3", "--rows", "10",
                    "--interval", "0s", "--seed", "7", "--malformed-fraction", "0.25", "--start-time",
                    "2025-07-15T23:59:59", "--bootstrap-servers", bootstrap);
            // The topic's values, as kafka-read shows them, become the lines of Spark's input file.
            String records = Patterns.freshDirectory("kafka-etl/records");
            Patterns.run("kafka-read", "--subscribe", "raw_data", "--starting-offsets", "earliest", "--trigger",
                    "available-now", "--sink", "json", "--output", records, "--bootstrap-servers", bootstrap);
            List<String> values = new ArrayList<>();
            Rows.cellsOfJsonLines(records + "/results").forEach(record -> values.add(record.get("value")));
            assertThat(values).hasSize(30);
            Files.write(Patterns.ROOT.resolve(input).resolve("raw_data.json"), values);

            flinkStart = Instant.now();
            Patterns.run("kafka-etl", "--subscribe", "raw_data", "--starting-offsets", "earliest", "--trigger",
                    "available-now", "--sink", "json", "--output", output, "--bootstrap-servers", bootstrap);
            flinkEnd = Instant.now();
        } finally {
            Patterns.attempt("kafka", "stop", "--port", port, "--data-dir", brokerData);
        }

        // The seed's query; the text source's value column in place of the Kafka source's.
        Dataset<Row> rawData = SparkSessions.get().readStream().text(Patterns.ROOT.resolve(input).toString());
        Dataset<Row> transformed = rawData
                .select(from_json(col("value").cast("string"), DataType.fromDDL(SCHEMA)).alias("data"))
                .select("data.*")
                .filter(col("status").equalTo("active"))
                .withColumn("processed_time", current_timestamp());
        Instant sparkStart = Instant.now();
        List<Map<String, String>> sparkRows = Rows.cellsOf(SparkSessions.appendedRows(transformed));
        Instant sparkEnd = Instant.now();

        List<Map<String, String>> flinkRows = Rows.cellsOfJsonLines(output + "/results");
        Rows.removeRunTime(flinkRows, "processed_time", flinkStart, flinkEnd);
        Rows.removeRunTime(sparkRows, "processed_time", sparkStart, sparkEnd);

        List<String> deadLetters = Rows.deadLetterRecords(output);
        assertThat(deadLetters).as("malformed records").hasSizeGreaterThanOrEqualTo(4);
        List<Map<String, String>> expected = new ArrayList<>(flinkRows);
        for (String record : deadLetters) {
            Map<String, String> row = permissiveRow(record);
            if ("active".equals(row.get("status"))) {
                expected.add(row);
            }
        }
        assertThat(expected).as("some active dead letters").hasSizeGreaterThan(flinkRows.size());
        ParityCases.differs("kafka-etl", Rows.texts(flinkRows), Rows.texts(sparkRows), Rows.texts(expected));
    }

    /** Spark's from_json of a record that does not fit, in PERMISSIVE mode: null where a field is missing or wrong. */
    private static Map<String, String> permissiveRow(String record) {
        Map<String, String> row = new TreeMap<>();
        JsonNode object;
        try {
            object = JSON.readTree(record);
        } catch (IOException notJson) {
            object = null;
        }
        if (object == null || !object.isObject()) {
            return row;
        }
        String timestamp = object.path("timestamp").asText("");
        row.put("timestamp", timestamp.matches("\\d{4}-\\d\\d-\\d\\dT[\\d:.]+")
                ? Rows.jsonCell(object.get("timestamp")) : "null");
        row.put("id", object.path("id").isIntegralNumber() ? Rows.jsonCell(object.get("id")) : "null");
        row.put("user_id", object.path("user_id").isIntegralNumber() ? Rows.jsonCell(object.get("user_id")) : "null");
        row.put("status", object.path("status").isTextual() ? object.get("status").asText() : "null");
        row.put("amount", object.path("amount").isNumber() ? Rows.jsonCell(object.get("amount")) : "null");
        return row;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
