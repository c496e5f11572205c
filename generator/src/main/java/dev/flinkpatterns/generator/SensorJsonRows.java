package dev.flinkpatterns.generator;

import static dev.flinkpatterns.generator.GeneratorSettings.requireAtLeastOne;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * {@code sensor_batch_N.json}: JSON lines of sensor readings with a nested location and a tag array, for
 * the JSON-source, schema and filter patterns. A sensor's device, building and floor are fixed by its number.
 */
public final class SensorJsonRows extends RowFormat {

    public static final int DEFAULT_SENSORS = 10;
    /** {@code floor-N} stands for the sensor's own floor. */
    public static final List<String> TAGS = List.of("hvac", "floor-N", "critical-line", "outdoor", "lab");
    private static final int MAX_TAGS = 3;
    private static final int DEVICES = 5;
    private static final int BUILDINGS = 3;
    private static final int FLOORS = 5;
    // tenths of a degree / of a percent: 60.0..110.0 and 20.0..80.0
    private static final int MIN_TEMPERATURE = 600;
    private static final int MAX_TEMPERATURE = 1100;
    private static final int MIN_HUMIDITY = 200;
    private static final int MAX_HUMIDITY = 800;

    private final int sensors;

    /** {@code sensor_id} is drawn from sensor-01..sensor-NN. */
    public SensorJsonRows(int sensors) {
        super("sensor_batch", "json", null);
        requireAtLeastOne("--sensors", sensors);
        this.sensors = sensors;
    }

    @Override
    public String row(long rowNumber, LocalDateTime timestamp, Random random) {
        int sensor = 1 + random.nextInt(sensors);
        int temperature = MIN_TEMPERATURE + random.nextInt(MAX_TEMPERATURE - MIN_TEMPERATURE + 1);
        int humidity = MIN_HUMIDITY + random.nextInt(MAX_HUMIDITY - MIN_HUMIDITY + 1);
        int floor = (sensor - 1) % FLOORS + 1;
        // every value is a plain id, number or timestamp: nothing needs JSON escaping
        return "{\"sensor_id\":\"" + String.format(Locale.ROOT, "sensor-%02d", sensor) + "\""
                + ",\"device_id\":\"device-" + ((sensor - 1) % DEVICES + 1) + "\""
                + ",\"location\":{\"building\":\"B" + ((sensor - 1) % BUILDINGS + 1) + "\",\"floor\":" + floor + "}"
                + ",\"timestamp\":\"" + EventTimeline.TIMESTAMP_FORMAT.format(timestamp) + "\""
                + ",\"temperature\":" + tenths(temperature)
                + ",\"humidity\":" + tenths(humidity)
                + ",\"tags\":[" + tags(random, floor) + "]}";
    }

    /** 0 to 3 distinct tags, in the order of {@link #TAGS}. */
    private static String tags(Random random, int floor) {
        int count = random.nextInt(MAX_TAGS + 1);
        List<Integer> order = IntStream.range(0, TAGS.size()).boxed().collect(Collectors.toCollection(ArrayList::new));
        Collections.shuffle(order, random);
        return order.subList(0, count).stream()
                .sorted()
                .map(i -> "\"" + TAGS.get(i).replace("N", String.valueOf(floor)) + "\"")
                .collect(Collectors.joining(","));
    }

    private static String tenths(int value) {
        return BigDecimal.valueOf(value, 1).toPlainString();
    }

    @Override
    public String corrupt(String goodRow, Random random) {
        return MalformedJson.corrupt(goodRow, random);
    }
}
