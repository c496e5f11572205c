package dev.flinkpatterns.cli;

import dev.flinkpatterns.io.KafkaSettings;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --sink kafka}: Spark's {@code writeStream.format("kafka")} options. */
public final class KafkaSinkOptions {

    @Option(names = "--output-topic", paramLabel = "TOPIC", description = "The topic --sink kafka writes to (Spark's topic).")
    String topic;

    @Option(names = "--kafka-key", paramLabel = "COLUMN",
            description = "The column written as each record's key (Spark's CAST(col AS STRING) AS key). Default: no key.")
    String keyColumn;

    @Option(names = "--kafka-value", paramLabel = "COLUMN",
            description = "The column written as each record's value. Default: the whole row as JSON (Spark's to_json(struct(*))).")
    String valueColumn;

    @Option(names = "--transaction-timeout", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "Kafka transaction timeout of an exactly-once --sink kafka: above the checkpoint interval + "
                    + "the checkpoint timeout + the longest restart delay, at most the broker's "
                    + "transaction.max.timeout.ms. Default: 15m.")
    Duration transactionTimeout = KafkaSettings.DEFAULT_TRANSACTION_TIMEOUT;

    @Option(names = "--transactional-id-prefix", paramLabel = "PREFIX",
            description = "Prefix of the Kafka transactional ids of an exactly-once --sink kafka; no other running job "
                    + "may use it. Default: <pattern>-<topic>-<run>, the run part new for each run and derived from "
                    + "the checkpoint of a resumed one.")
    String transactionalIdPrefix;
}
