package dev.flinkpatterns.parity;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.explode_outer;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.udf;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

/**
 * sensor-alerts: the workshop's stateless transforms ({@code from_json}, {@code temperature > 75},
 * {@code temp_fahrenheit}, the UDF {@code classify_severity}, {@code explode_outer(tags)}, {@code processed_at}),
 * Spark and Flink on the same JSON lines files (with malformed lines). All columns compared but
 * {@code processed_at}, the time of the run on each side. They differ by two documented rules:
 * <ul>
 *   <li>{@code temp_fahrenheit}: Flink rounds {@code temperature * 9 / 5 + 32} to 2 decimals (half up), Spark keeps
 *       the double ({@code 207.32000000000002});</li>
 *   <li>a line that does not fit the schema is a dead letter in Flink, while Spark's {@code from_json} keeps it with
 *       null in each field that does not convert: a hot reading with the timestamp {@code yesterday} is a Spark row
 *       with a null timestamp; a line cut short is a row of nulls, which the filter drops.</li>
 * </ul>
 */
class SensorAlertsParityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCHEMA = "sensor_id STRING, device_id STRING, "
            + "location STRUCT<building: STRING, floor: INT>, timestamp TIMESTAMP, temperature DOUBLE, "
            + "humidity DOUBLE, tags ARRAY<STRING>";
    private static final List<String> COLUMNS = List.of("sensor_id", "device_id", "building", "timestamp",
            "temperature", "temp_fahrenheit", "severity", "tag");

    /** The seed's UDF, as the workshop writes it (the project's udfs/ClassifySeverity holds the same rule). */
    private static final UserDefinedFunction CLASSIFY_SEVERITY = udf((UDF1<Double, String>) temp -> {
        if (temp > 100) {
            return "Critical";
        } else if (temp > 80) {
            return "Warning";
        } else {
            return "Normal";
        }
    }, DataTypes.StringType);

    @Test
    void alertsAreTheSameButForRoundingAndTheDeadLetters() {
        String input = Patterns.freshDirectory("sensor-alerts/input");
        Patterns.generateFiles("sensors", input, 2, 10, "10s", 5, "2024-01-15T10:00:00", "0.2");
        String output = Patterns.freshDirectory("sensor-alerts/flink");
        Instant flinkStart = Instant.now();
        Patterns.run("sensor-alerts", "--input", input, "--trigger", "available-now", "--sink", "json",
                "--output", output);
        Instant flinkEnd = Instant.now();

        Dataset<Row> parsed = SparkSessions.get().readStream().option("maxFilesPerTrigger", 1)
                .text(Patterns.ROOT.resolve(input).toString())
                .select(from_json(col("value").cast("string"), DataType.fromDDL(SCHEMA)).alias("data"))
                .select("data.*")
                .filter(col("temperature").gt(75))
                .withColumn("temp_fahrenheit", col("temperature").multiply(9).divide(5).plus(32));
        Dataset<Row> enriched = parsed.withColumn("severity", CLASSIFY_SEVERITY.apply(col("temperature")))
                .withColumn("tag", explode_outer(col("tags")))
                .withColumn("processed_at", current_timestamp())
                .select(col("sensor_id"), col("device_id"), col("location.building").alias("building"),
                        col("timestamp"), col("temperature"), col("temp_fahrenheit"), col("severity"), col("tag"),
                        col("processed_at"));
        Instant sparkStart = Instant.now();
        List<Map<String, String>> sparkRows = Rows.cellsOf(SparkSessions.appendedRows(enriched));
        Instant sparkEnd = Instant.now();

        List<Map<String, String>> flinkRows = Rows.cellsOfJsonLines(output + "/results");
        // Flink's JSON sink leaves a null column out.
        flinkRows.forEach(row -> COLUMNS.forEach(column -> row.putIfAbsent(column, "null")));
        Rows.removeRunTime(flinkRows, "processed_at", flinkStart, flinkEnd);
        Rows.removeRunTime(sparkRows, "processed_at", sparkStart, sparkEnd);

        List<String> spark = Rows.texts(sparkRows);
        int unrounded = 0;
        for (Map<String, String> row : sparkRows) {
            String rounded = new BigDecimal(row.get("temp_fahrenheit")).setScale(2, RoundingMode.HALF_UP)
                    .stripTrailingZeros().toPlainString();
            unrounded += rounded.equals(row.get("temp_fahrenheit")) ? 0 : 1;
            row.put("temp_fahrenheit", rounded);
        }
        assertThat(unrounded).as("Spark's doubles with more than 2 decimals").isPositive();

        List<String> deadLetters = Rows.deadLetterRecords(output);
        assertThat(deadLetters).as("malformed lines").hasSizeGreaterThanOrEqualTo(2);
        List<Map<String, String>> expected = new ArrayList<>(flinkRows);
        deadLetters.forEach(record -> expected.addAll(permissiveAlerts(record)));
        assertThat(expected).as("hot readings among the dead letters").hasSizeGreaterThan(flinkRows.size());
        ParityCases.differs("sensor-alerts", Rows.texts(flinkRows), spark, Rows.texts(expected), Rows.texts(sparkRows));
    }

    /**
     * Spark's alerts of a line that does not fit: from_json (PERMISSIVE) keeps the fields that convert; the
     * generator's bad lines are cut short (all null) or have the timestamp {@code yesterday} (null).
     */
    private static List<Map<String, String>> permissiveAlerts(String record) {
        JsonNode reading;
        try {
            reading = JSON.readTree(record);
        } catch (IOException cutShort) {
            return List.of();
        }
        double temperature = reading.path("temperature").asDouble();
        if (!reading.path("temperature").isNumber() || temperature <= 75) {
            return List.of();
        }
        assertThat(reading.path("timestamp").asText()).as(record).isEqualTo("yesterday");
        List<Map<String, String>> alerts = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        reading.path("tags").forEach(tag -> tags.add(tag.asText()));
        if (tags.isEmpty()) {
            tags.add("null");
        }
        for (String tag : tags) {
            Map<String, String> alert = new TreeMap<>();
            alert.put("sensor_id", reading.get("sensor_id").asText());
            alert.put("device_id", reading.get("device_id").asText());
            alert.put("building", reading.path("location").path("building").asText("null"));
            alert.put("timestamp", "null");
            alert.put("temperature", Rows.jsonCell(reading.get("temperature")));
            alert.put("temp_fahrenheit", BigDecimal.valueOf(temperature * 9 / 5 + 32)
                    .setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString());
            alert.put("severity", temperature > 100 ? "Critical" : temperature > 80 ? "Warning" : "Normal");
            alert.put("tag", tag);
            alerts.add(alert);
        }
        return alerts;
    }
}
