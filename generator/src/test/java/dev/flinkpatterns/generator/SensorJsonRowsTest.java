package dev.flinkpatterns.generator;

import static dev.flinkpatterns.generator.FixedRuns.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flinkpatterns.generator.MalformedJson.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SensorJsonRowsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FIELDS =
            List.of("sensor_id", "device_id", "location", "timestamp", "temperature", "humidity", "tags");
    private static final String GOOD_LINE = "{\"sensor_id\":\"sensor-07\",\"device_id\":\"device-2\","
            + "\"location\":{\"building\":\"B1\",\"floor\":2},\"timestamp\":\"2024-01-15T10:00:03.000000\","
            + "\"temperature\":82.4,\"humidity\":41.5,\"tags\":[\"hvac\",\"floor-2\"]}";

    private static GeneratorSettings settings(Path dir, int files, long seed, double malformedFraction) {
        return new GeneratorSettings(dir, files, 10, Duration.ofSeconds(3), seed, START, malformedFraction);
    }

    @Test
    void firstLineForSeed7IsExact(@TempDir Path dir) throws Exception {
        List<Path> files = FixedRuns.run(settings(dir, 1, 7, 0), new SensorJsonRows(10));

        assertThat(Files.readAllLines(files.get(0)).get(0)).isEqualTo("{\"sensor_id\":\"sensor-07\","
                + "\"device_id\":\"device-2\",\"location\":{\"building\":\"B1\",\"floor\":2},"
                + "\"timestamp\":\"2024-01-15T10:00:00.000000\",\"temperature\":74.0,\"humidity\":76.5,\"tags\":[]}");
    }

    @Test
    void everyLineIsAReadingOfTheSchema(@TempDir Path dir) throws Exception {
        List<Path> files = FixedRuns.run(settings(dir, 10, 11, 0), new SensorJsonRows(10));
        List<String> lines = FixedRuns.lines(files, false);

        assertThat(FixedRuns.namesIn(dir)).hasSize(10).allMatch(name -> name.matches("sensor_batch_\\d\\.json"));
        assertThat(lines).hasSize(100);
        Set<String> sensorsSeen = new HashSet<>();
        List<Double> temperatures = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            JsonNode reading = JSON.readTree(lines.get(i));
            assertThat(fieldNames(reading)).containsExactlyElementsOf(FIELDS);
            int sensor = Integer.parseInt(reading.get("sensor_id").asText().substring("sensor-".length()));
            assertThat(reading.get("sensor_id").asText()).matches("sensor-(0[1-9]|10)");
            sensorsSeen.add(reading.get("sensor_id").asText());
            // a sensor's device, building and floor are fixed by its number
            assertThat(reading.get("device_id").asText()).isEqualTo("device-" + ((sensor - 1) % 5 + 1));
            assertThat(reading.get("location").get("building").asText()).isEqualTo("B" + ((sensor - 1) % 3 + 1));
            int floor = reading.get("location").get("floor").asInt();
            assertThat(floor).isEqualTo((sensor - 1) % 5 + 1);
            assertThat(LocalDateTime.parse(reading.get("timestamp").asText(), EventTimeline.TIMESTAMP_FORMAT))
                    .isEqualTo(START.plus(Duration.ofMillis(300L * i)));
            assertThat(reading.get("temperature").isNumber()).isTrue();
            assertThat(reading.get("temperature").asText()).matches("\\d{2,3}\\.\\d");
            temperatures.add(reading.get("temperature").asDouble());
            assertThat(reading.get("humidity").asText()).matches("\\d{2}\\.\\d");
            assertThat(reading.get("humidity").asDouble()).isBetween(20.0, 80.0);
            List<String> tags = StreamSupport.stream(reading.get("tags").spliterator(), false).map(JsonNode::asText).toList();
            assertThat(tags).hasSizeLessThanOrEqualTo(3).doesNotHaveDuplicates()
                    .isSubsetOf("hvac", "floor-" + floor, "critical-line", "outdoor", "lab");
        }
        assertThat(sensorsSeen).hasSize(10);
        assertThat(temperatures).allMatch(t -> t >= 60.0 && t <= 110.0)
                .anyMatch(t -> t > 75 && t <= 80).anyMatch(t -> t > 80 && t <= 100).anyMatch(t -> t > 100);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void sameSeedSameFilesAndNumberingContinues(@TempDir Path first, @TempDir Path second) throws Exception {
        Files.writeString(second.resolve("sensor_batch_4.json"), "old\n");
        Files.writeString(second.resolve("event_batch_9.csv"), "another kind\n");

        List<Path> a = FixedRuns.run(settings(first, 2, 5, 0.2), new SensorJsonRows(10));
        List<Path> b = FixedRuns.run(settings(second, 2, 5, 0.2), new SensorJsonRows(10));

        assertThat(b).containsExactly(second.resolve("sensor_batch_5.json"), second.resolve("sensor_batch_6.json"));
        assertThat(FixedRuns.lines(b, false)).isEqualTo(FixedRuns.lines(a, false));
        // no hidden temp file is left behind
        assertThat(FixedRuns.namesIn(second))
                .containsExactly("event_batch_9.csv", "sensor_batch_4.json", "sensor_batch_5.json", "sensor_batch_6.json");
    }

    @Test
    void eachMalformedKindGivesItsExactLine() throws Exception {
        Map<Kind, String> expected = new EnumMap<>(Kind.class);
        expected.put(Kind.TRUNCATED_OBJECT, GOOD_LINE.substring(0, GOOD_LINE.length() / 2));
        expected.put(Kind.NOT_JSON, "sensor offline");
        expected.put(Kind.WRONG_TYPE, GOOD_LINE.replace("\"temperature\":82.4", "\"temperature\":\"hot\""));
        expected.put(Kind.MISSING_FIELD, GOOD_LINE.replace("\"timestamp\":\"2024-01-15T10:00:03.000000\",", ""));
        expected.put(Kind.BAD_TIMESTAMP, GOOD_LINE.replace("2024-01-15T10:00:03.000000", "yesterday"));
        assertThat(expected.keySet()).isEqualTo(EnumSet.allOf(Kind.class)); // a new Kind needs an expectation

        for (Kind kind : Kind.values()) {
            assertThat(MalformedJson.corrupt(GOOD_LINE, kind)).as(kind.name())
                    .isEqualTo(expected.get(kind)).isNotEqualTo(GOOD_LINE);
        }
        assertThat(JSON.readTree(GOOD_LINE).get("temperature").asDouble()).isEqualTo(82.4);
    }

    @Test
    void fullMalformedFractionWritesEveryKindAndNoGoodReading(@TempDir Path dir) throws Exception {
        List<String> lines = FixedRuns.lines(FixedRuns.run(settings(dir, 10, 11, 1.0), new SensorJsonRows(10)), false);

        EnumSet<Kind> seen = EnumSet.noneOf(Kind.class);
        for (String line : lines) {
            seen.add(kindOf(line));
        }
        assertThat(lines).hasSize(100);
        assertThat(seen).isEqualTo(EnumSet.allOf(Kind.class));
    }

    /** Which kind of malformed line this is, judged from the outside, as a reader would. */
    private static Kind kindOf(String line) {
        JsonNode reading;
        try {
            reading = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return line.startsWith("{") ? Kind.TRUNCATED_OBJECT : Kind.NOT_JSON;
        }
        if (!reading.has("timestamp")) {
            return Kind.MISSING_FIELD;
        }
        if (reading.get("timestamp").asText().equals("yesterday")) {
            return Kind.BAD_TIMESTAMP;
        }
        assertThat(reading.get("temperature").isTextual()).as("malformed kind of %s", line).isTrue();
        return Kind.WRONG_TYPE;
    }

    @Test
    void atLeastOneSensor() {
        assertThatThrownBy(() -> new SensorJsonRows(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--sensors must be at least 1, got 0");
    }
}
