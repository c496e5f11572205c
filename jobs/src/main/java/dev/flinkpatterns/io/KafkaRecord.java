package dev.flinkpatterns.io;

/**
 * A record as read from Kafka, Spark's Kafka source columns: key and value (UTF-8 text; null when absent), topic,
 * partition, offset and the record's timestamp.
 */
public record KafkaRecord(String key, String value, String topic, int partition, long offset, long timestamp) {

    /** The value as a line with its position, for the parsers and dead letters every source shares. */
    public SourceLine asLine() {
        return new SourceLine("kafka:" + topic + "/" + partition, offset, value == null ? "" : value);
    }
}
