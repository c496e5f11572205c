package dev.flinkpatterns.patterns.sensors;

import java.util.List;

/**
 * One line of the sensor files, flattened: {@code location.building} and {@code location.floor} become
 * {@code building} and {@code floor}. {@code origin} is where the line was read ({@code SourceLine.orderKey()}),
 * so results can be listed in file order. {@code timestamp} is kept as written; {@code eventTime} is the same
 * instant in epoch milliseconds (UTC). Optional fields are null when absent; {@code tags} is empty then.
 *
 * <p>A record of POJO-able fields (boxed where nullable, a {@code List<String>}): Flink serializes it with its
 * POJO and list serializers, not Kryo.
 */
public record SensorReading(
        String origin,
        String sensorId,
        String deviceId,
        String building,
        Integer floor,
        String timestamp,
        long eventTime,
        double temperature,
        Double humidity,
        List<String> tags) {}
