package dev.flinkpatterns.io;

import dev.flinkpatterns.core.Durations;
import dev.flinkpatterns.core.UsageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

/** The one place Kafka sources and sinks are built, with Spark's options mapped onto Flink's connector. */
public final class Kafka {

    /** What Spark's {@code startingOffsets} and ours accept. */
    public static final String STARTING_OFFSETS_HELP = "earliest, latest, committed or timestamp:EPOCH_MILLIS";

    private Kafka() {}

    /**
     * Spark's {@code readStream.format("kafka")}: every record with its key, value and position. Bounded (the
     * offsets that exist at start, then the source ends) for the available-now and once triggers.
     */
    public static KafkaSource<KafkaRecord> source(KafkaSettings settings, boolean bounded) {
        Properties consumer = settings.properties();
        // Only committed records: what an exactly-once writer (this project's, or another) aborted is never read.
        // Spark reads uncommitted by default; a properties file can still say isolation.level=read_uncommitted.
        consumer.putIfAbsent("isolation.level", "read_committed");
        KafkaSourceBuilder<KafkaRecord> builder = KafkaSource.<KafkaRecord>builder()
                .setBootstrapServers(settings.bootstrapServers())
                .setProperties(consumer)
                .setGroupId(settings.groupId())
                .setStartingOffsets(startingOffsets(settings.startingOffsets(), settings.failOnDataLoss()))
                .setDeserializer(new RecordWithPosition())
                // Offsets go back to Kafka on checkpoints (for --starting-offsets committed and lag monitoring).
                .setProperty("commit.offsets.on.checkpoint", "true");
        if (settings.topicPattern() != null) {
            builder.setTopicPattern(Pattern.compile(settings.topicPattern()));
        } else {
            builder.setTopics(settings.topics());
        }
        if (bounded) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    /** {@code startingOffsets}, and with {@code failOnDataLoss=false} where to go when committed offsets are gone. */
    public static OffsetsInitializer startingOffsets(String text, boolean failOnDataLoss) {
        String value = text.trim();
        OffsetResetStrategy whenGone = failOnDataLoss ? OffsetResetStrategy.NONE : OffsetResetStrategy.EARLIEST;
        switch (value) {
            case "earliest":
                return OffsetsInitializer.earliest();
            case "latest":
                return OffsetsInitializer.latest();
            case "committed":
                return OffsetsInitializer.committedOffsets(whenGone);
            default:
                if (value.startsWith("timestamp:")) {
                    try {
                        return OffsetsInitializer.timestamp(Long.parseLong(value.substring("timestamp:".length())));
                    } catch (NumberFormatException e) {
                        // fall through to the refusal
                    }
                }
                throw new UsageException("--starting-offsets " + text + " is not one of " + STARTING_OFFSETS_HELP);
        }
    }

    /**
     * Spark's {@code writeStream.format("kafka")}: {@code key} and {@code value} of each row as UTF-8. Exactly
     * once through Kafka transactions committed on checkpoints (readers need {@code isolation.level=read_committed});
     * at least once by flushing on checkpoints. The transactional id prefix must be unique per run and stable across
     * its restarts ({@link #transactionalIdPrefix}): a starting sink aborts the open transactions of its prefix.
     */
    public static <T> KafkaSink<T> sink(KafkaSettings settings, String topic, DeliveryGuarantee guarantee,
            String transactionalIdPrefix, KeyValue<T> keyValue) {
        Properties producer = settings.properties();
        producer.setProperty("transaction.timeout.ms", Long.toString(settings.transactionTimeout().toMillis()));
        var builder = KafkaSink.<T>builder()
                .setBootstrapServers(settings.bootstrapServers())
                .setKafkaProducerConfig(producer)
                .setDeliveryGuarantee(guarantee)
                .setRecordSerializer((KafkaRecordSerializationSchema<T>) (row, context, timestamp) -> {
                    String key = keyValue.key(row);
                    String value = keyValue.value(row);
                    return new ProducerRecord<>(topic, null, timestamp,
                            key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                            value == null ? null : value.getBytes(StandardCharsets.UTF_8));
                });
        if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
            builder.setTransactionalIdPrefix(transactionalIdPrefix);
        }
        return builder.build();
    }

    /** The key and value of a row as written to Kafka; a null key: none, a null value: a tombstone. */
    public interface KeyValue<T> extends java.io.Serializable {
        String key(T row);

        String value(T row);
    }

    /**
     * Refuses, in one line, an exactly-once configuration that cannot start or can lose data: the transaction
     * timeout must leave room for the longest time a transaction can stay open ({@link #longestOpenTransaction}: a
     * transaction the broker aborts before its checkpoint's commit loses its rows), and must not exceed the broker's
     * {@code transaction.max.timeout.ms} (the producer would not start).
     *
     * @param jobConfiguration the job's effective configuration (checkpointing and restart strategy)
     */
    public static void checkTransactionTimeout(KafkaSettings settings, ReadableConfig jobConfiguration) {
        checkTransactionTimeoutCoversCheckpoints(settings.transactionTimeout(), jobConfiguration);
        Duration timeout = settings.transactionTimeout();
        Duration brokerMax = brokerTransactionMax(settings);
        if (timeout.compareTo(brokerMax) > 0) {
            throw new UsageException("--transaction-timeout " + timeout.toSeconds() + "s exceeds the broker's"
                    + " transaction.max.timeout.ms (" + brokerMax.toSeconds() + "s): the Kafka producer would not start;"
                    + " lower it or raise the broker's maximum");
        }
    }

    /** The part of {@link #checkTransactionTimeout} that needs no broker. */
    public static void checkTransactionTimeoutCoversCheckpoints(Duration timeout, ReadableConfig jobConfiguration) {
        OpenTransaction longest = longestOpenTransaction(jobConfiguration);
        if (timeout.compareTo(longest.total()) <= 0) {
            throw new UsageException("--transaction-timeout " + Durations.format(timeout) + " is too short: a"
                    + " transaction can stay open for a checkpoint interval (" + Durations.format(longest.interval())
                    + ") + the checkpoint timeout (" + Durations.format(longest.checkpointTimeout()) + ") + the longest"
                    + " restart delay (" + Durations.format(longest.restartDelay()) + ") = "
                    + Durations.format(longest.total()) + ", and one the broker aborts first loses its rows; give more,"
                    + " or lower execution.checkpointing.timeout or the restart-strategy delay");
        }
    }

    /**
     * The longest a transaction of an exactly-once sink may have to stay open: it is opened at one checkpoint
     * barrier, pre-committed at the next (a checkpoint interval later), and committed when that checkpoint completes
     * (at most the checkpoint timeout later); after a failure in between, the restarted job commits it once the
     * restart delay has passed.
     */
    public static OpenTransaction longestOpenTransaction(ReadableConfig jobConfiguration) {
        Duration interval = jobConfiguration.getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL)
                .filter(value -> !value.isZero() && !value.isNegative()).orElse(Duration.ZERO);
        boolean checkpointing = !interval.isZero();
        Duration checkpointTimeout = jobConfiguration.get(CheckpointingOptions.CHECKPOINTING_TIMEOUT);
        return new OpenTransaction(interval, checkpointTimeout, longestRestartDelay(jobConfiguration, checkpointing));
    }

    /** The parts of {@link #longestOpenTransaction}. */
    public record OpenTransaction(Duration interval, Duration checkpointTimeout, Duration restartDelay) {
        public Duration total() {
            return interval.plus(checkpointTimeout).plus(restartDelay);
        }
    }

    /** The longest pause before a restart, as Flink chooses the strategy (exponential delay when checkpointing). */
    private static Duration longestRestartDelay(ReadableConfig configuration, boolean checkpointing) {
        String type = configuration.getOptional(RestartStrategyOptions.RESTART_STRATEGY)
                .orElse(checkpointing ? "exponential-delay" : "none");
        RestartStrategyOptions.RestartStrategyType strategy;
        try {
            strategy = RestartStrategyOptions.RestartStrategyType.of(type.toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("restart-strategy.type " + type + " is not one of none, fixed-delay, failure-rate,"
                    + " exponential-delay");
        }
        return switch (strategy) {
            case NO_RESTART_STRATEGY -> Duration.ZERO;
            case FIXED_DELAY -> configuration.get(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY);
            case FAILURE_RATE -> configuration.get(RestartStrategyOptions.RESTART_STRATEGY_FAILURE_RATE_DELAY);
            case EXPONENTIAL_DELAY -> {
                // The jitter can lengthen the longest backoff by its factor.
                Duration maxBackoff = configuration.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF);
                double jitter = configuration.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR);
                yield Duration.ofMillis((long) Math.ceil(maxBackoff.toMillis() * (1 + jitter)));
            }
        };
    }

    /**
     * The transactional-id prefix of an exactly-once sink's run: {@code <name>-<run>}. Kafka fences every earlier
     * producer of a transactional id, and a starting sink aborts the transactions of its prefix, so two runs must
     * never share one: a new run gets a random run part. A run restored from a checkpoint or savepoint gets a part
     * derived from that path: it differs from the run that wrote the checkpoint (whose lingering transactions the
     * connector aborts anyway: its writer state names their prefix), and it is the same each time the same
     * checkpoint is restored, so a restore aborts what an earlier failed restore of it left open.
     *
     * @param restoredFrom the checkpoint or savepoint the run restores (execution.state-recovery.path), if any
     */
    public static String transactionalIdPrefix(String name, java.util.Optional<String> restoredFrom) {
        String run = restoredFrom
                .map(path -> path.replaceAll("/+_metadata$", "").replaceAll("/+$", ""))
                .map(path -> java.util.UUID.nameUUIDFromBytes(path.getBytes(StandardCharsets.UTF_8)))
                .orElseGet(java.util.UUID::randomUUID)
                .toString().substring(0, 8);
        return name + "-" + run;
    }

    /**
     * Refuses, in one line, to start a job against a Kafka that cannot be reached, or (reading what exists now, the
     * available-now and once triggers) against topics that do not exist: the job would only fail later, or wait.
     */
    public static void checkReachable(KafkaSettings settings, boolean topicsMustExist) {
        try (Admin admin = admin(settings)) {
            java.util.Set<String> existing = admin.listTopics().names().get(15, TimeUnit.SECONDS);
            if (topicsMustExist) {
                for (String topic : settings.topics()) {
                    if (!existing.contains(topic)) {
                        throw new UsageException("topic " + topic + " does not exist on " + settings.bootstrapServers());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UsageException("interrupted while asking Kafka at " + settings.bootstrapServers() + " for its topics");
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw unreachable(settings, e);
        } catch (org.apache.kafka.common.KafkaException e) {
            // No client at all: a host name that does not resolve (ConfigException, wrapped or not).
            throw unreachable(settings, e.getCause() instanceof Exception cause ? cause : e);
        }
    }

    private static UsageException unreachable(KafkaSettings settings, Exception e) {
        // The admin client's own timeout arrives wrapped, ours not: name the timeout either way.
        Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
        return new UsageException("cannot reach Kafka at " + settings.bootstrapServers() + " ("
                + cause.getClass().getSimpleName() + "); start one with ./patterns kafka start, or use --kafka embedded");
    }

    private static Admin admin(KafkaSettings settings) {
        Properties properties = settings.properties();
        properties.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        return admin(properties);
    }

    /** An admin client with {@code client}'s settings (bootstrap servers, security) and the project's timeouts. */
    private static Admin admin(Properties client) {
        Properties properties = new Properties();
        properties.putAll(client);
        properties.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        properties.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        return Admin.create(properties);
    }

    /** {@link #createTopicsIfMissing(Properties, List)} with no client settings but the bootstrap servers. */
    public static void createTopicsIfMissing(String bootstrapServers, List<NewTopic> topics) throws IOException {
        Properties client = new Properties();
        client.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        createTopicsIfMissing(client, topics);
    }

    /**
     * Creates each of {@code topics} that does not exist yet, through a client with {@code client}'s settings
     * (bootstrap servers included). Writing to a topic that the producer's first metadata request creates can wait
     * out the whole delivery timeout (2 min) and fail: create it first.
     */
    public static void createTopicsIfMissing(Properties client, List<NewTopic> topics) throws IOException {
        String where = " at " + client.getProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
        try (Admin admin = admin(client)) {
            for (var created : admin.createTopics(topics).values().entrySet()) {
                try {
                    created.getValue().get(TOPIC_CREATION_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IOException("cannot create topic " + created.getKey() + where + ": "
                                + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while creating topics" + where, e);
        } catch (TimeoutException e) {
            throw new IOException("cannot create topics" + where + " within " + TOPIC_CREATION_TIMEOUT.toSeconds()
                    + " s", e);
        }
    }

    private static final Duration TOPIC_CREATION_TIMEOUT = Duration.ofSeconds(15);

    private static Duration brokerTransactionMax(KafkaSettings settings) {
        try (Admin admin = admin(settings)) {
            Collection<org.apache.kafka.common.Node> nodes = admin.describeCluster().nodes().get(15, TimeUnit.SECONDS);
            String brokerId = Integer.toString(nodes.iterator().next().id());
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, brokerId);
            Config config = admin.describeConfigs(java.util.List.of(broker)).all().get(15, TimeUnit.SECONDS).get(broker);
            return Duration.ofMillis(Long.parseLong(config.get("transaction.max.timeout.ms").value()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UsageException("interrupted while asking Kafka at " + settings.bootstrapServers() + " for its settings");
        } catch (Exception e) {
            throw unreachable(settings, e);
        }
    }

    /** Keeps key, value and position; bytes that are not UTF-8 text stay recoverable (see {@link KafkaRecord#text}). */
    private static final class RecordWithPosition implements KafkaRecordDeserializationSchema<KafkaRecord> {
        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<KafkaRecord> out) {
            out.collect(new KafkaRecord(text(record.key()), text(record.value()), record.topic(), record.partition(),
                    record.offset(), record.timestamp()));
        }

        private static String text(byte[] bytes) {
            return bytes == null ? null : KafkaRecord.text(bytes);
        }

        @Override
        public TypeInformation<KafkaRecord> getProducedType() {
            return TypeInformation.of(KafkaRecord.class);
        }
    }
}
