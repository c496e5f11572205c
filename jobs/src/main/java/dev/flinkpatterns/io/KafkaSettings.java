package dev.flinkpatterns.io;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * How a job reads from and writes to Kafka, in Spark's terms. {@code clientProperties} carries what a properties
 * file or the environment gave (security: SASL/SSL); it goes to the Kafka clients only, never to the job's
 * configuration, the web UI or a log line.
 *
 * @param topics {@code subscribe}; empty when {@code topicPattern} is used
 * @param topicPattern {@code subscribePattern}; null when {@code topics} is used
 * @param startingOffsets {@code startingOffsets}: earliest, latest, committed or timestamp:MILLIS
 * @param failOnDataLoss {@code failOnDataLoss}: fail when committed offsets are gone, instead of resetting
 */
public record KafkaSettings(String bootstrapServers, List<String> topics, String topicPattern, String startingOffsets,
        String groupId, boolean failOnDataLoss, Properties clientProperties,
        Duration transactionTimeout) implements Serializable {

    /** The broker's default {@code transaction.max.timeout.ms}, 15 minutes: the longest a transaction may be open. */
    public static final Duration DEFAULT_TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

    public KafkaSettings {
        topics = List.copyOf(topics);
        Properties copy = new Properties();
        copy.putAll(clientProperties);
        clientProperties = copy;
    }

    /** For tests and the simplest runs: one topic, from the earliest offset, plain text connection. */
    public static KafkaSettings of(String bootstrapServers, String topic, String groupId) {
        return new KafkaSettings(bootstrapServers, List.of(topic), null, "earliest", groupId, true, new Properties(),
                DEFAULT_TRANSACTION_TIMEOUT);
    }

    /** The settings' client properties (a copy: the record stays immutable). */
    public Properties properties() {
        Properties copy = new Properties();
        copy.putAll(clientProperties);
        return copy;
    }

    @Override
    public String toString() {
        // Never print the client properties: they hold credentials.
        return "KafkaSettings[" + bootstrapServers + ", topics " + (topicPattern != null ? "/" + topicPattern + "/" : topics) + "]";
    }
}
