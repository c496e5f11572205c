package dev.flinkpatterns.patterns.sensors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinkpatterns.io.SourceLine;
import dev.flinkpatterns.parse.LineParser;
import dev.flinkpatterns.parse.JsonObjects;
import dev.flinkpatterns.parse.MalformedRecordException;
import dev.flinkpatterns.parse.Timestamps;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Spark's {@code from_json(value, schema)} on one JSON object per line, with the schema applied strictly.
 *
 * <p>Spark's default (PERMISSIVE) turns a line that does not fit into a row of nulls, which the
 * {@code temperature > 75} filter would then drop without a trace. Here such a line is a dead letter with the
 * reason: not JSON, not an object, a required field ({@code sensor_id}, {@code device_id}, {@code timestamp},
 * {@code temperature}) missing or null, a field of the wrong type, a timestamp that is not a date-time.
 * {@code location}, {@code humidity} and {@code tags} may be absent or null. Fields not in the schema are
 * ignored, as Spark does.
 */
public final class SensorJsonParser implements LineParser<SensorReading> {

    /** Thread-safe once configured; shared by every parser instance of a TaskManager. */

    @Override
    public Optional<SensorReading> parse(SourceLine line) throws MalformedRecordException {
        if (line.text().isBlank()) {
            return Optional.empty(); // no row, as in Spark's JSON reader
        }
        JsonNode root = JsonObjects.read(line.text());
        String sensorId = requiredString(root, "sensor_id");
        String deviceId = requiredString(root, "device_id");
        String timestamp = requiredString(root, "timestamp");
        long eventTime = Timestamps.parseMillis(timestamp);
        JsonNode temperature = root.get("temperature");
        if (isAbsent(temperature)) {
            throw missing("temperature");
        }
        JsonNode location = root.get("location");
        String building = null;
        Integer floor = null;
        if (!isAbsent(location)) {
            if (!location.isObject()) {
                throw wrongType("location", "an object", location);
            }
            building = optionalString(location, "building", "location.building");
            JsonNode floorNode = location.get("floor");
            if (!isAbsent(floorNode)) {
                if (!floorNode.isIntegralNumber() || !floorNode.canConvertToInt()) {
                    throw wrongType("location.floor", "an integer", floorNode);
                }
                floor = floorNode.asInt();
            }
        }
        JsonNode humidity = root.get("humidity");
        return Optional.of(new SensorReading(line.orderKey(), sensorId, deviceId, building, floor, timestamp, eventTime,
                number("temperature", temperature), isAbsent(humidity) ? null : number("humidity", humidity),
                tags(root.get("tags"))));
    }

    private static List<String> tags(JsonNode tags) throws MalformedRecordException {
        if (isAbsent(tags)) {
            return List.of();
        }
        if (!tags.isArray()) {
            throw wrongType("tags", "an array of strings", tags);
        }
        List<String> values = new ArrayList<>(tags.size());
        for (int i = 0; i < tags.size(); i++) {
            if (!tags.get(i).isTextual()) {
                throw wrongType("tags[" + i + "]", "a string", tags.get(i));
            }
            values.add(tags.get(i).textValue());
        }
        return List.copyOf(values);
    }

    private static String requiredString(JsonNode object, String field) throws MalformedRecordException {
        String value = optionalString(object, field, field);
        if (value == null) {
            throw missing(field);
        }
        return value;
    }

    private static String optionalString(JsonNode object, String field, String path) throws MalformedRecordException {
        JsonNode node = object.get(field);
        if (isAbsent(node)) {
            return null;
        }
        if (!node.isTextual()) {
            throw wrongType(path, "a string", node);
        }
        return node.textValue();
    }

    private static double number(String field, JsonNode node) throws MalformedRecordException {
        if (!node.isNumber()) {
            throw wrongType(field, "a number", node);
        }
        return node.doubleValue();
    }

    private static boolean isAbsent(JsonNode node) {
        return node == null || node.isNull();
    }

    private static MalformedRecordException missing(String field) {
        return new MalformedRecordException("missing required field " + field);
    }

    private static MalformedRecordException wrongType(String what, String expected, JsonNode actual) {
        return new MalformedRecordException(what + " is not " + expected + ": " + actual);
    }
}
