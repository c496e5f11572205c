package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.Kafka;
import dev.flinkpatterns.io.KafkaRecord;
import dev.flinkpatterns.io.KafkaSettings;
import dev.flinkpatterns.io.Throttle;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Option;

/** Spark's Kafka source options: {@code subscribe}, {@code subscribePattern}, {@code startingOffsets}, ... */
public final class KafkaSourceOptions {

    @Option(names = "--subscribe", paramLabel = "TOPIC[,TOPIC...]", split = ",", description = "Topics to read (Spark's subscribe).")
    List<String> topics = List.of();

    @Option(names = "--subscribe-pattern", paramLabel = "REGEX", description = "Read every topic matching (Spark's subscribePattern).")
    String topicPattern;

    @Option(names = "--starting-offsets", paramLabel = "WHERE",
            description = "Where a new query starts: " + Kafka.STARTING_OFFSETS_HELP + " (Spark's startingOffsets). "
                    + "A restored job resumes from its checkpoint instead. Default: ${DEFAULT-VALUE}.")
    String startingOffsets = "latest";

    @Option(names = "--group-id", paramLabel = "ID", description = "Consumer group (offsets are committed on checkpoints). Default: the pattern's name.")
    String groupId;

    @Option(names = "--fail-on-data-loss", paramLabel = "BOOL", arity = "1",
            description = "Fail when committed offsets are gone (deleted by retention) instead of going on from the "
                    + "earliest offset (Spark's failOnDataLoss). Default: ${DEFAULT-VALUE}.")
    boolean failOnDataLoss = true;

    @Option(names = "--max-rows-per-second", paramLabel = "N",
            description = "Read at most N records per second (Spark's maxOffsetsPerTrigger, as a rate). Default: no limit.")
    long maxRowsPerSecond;

    /**
     * Refuses an unreachable Kafka (or, with a bounded trigger, a missing topic) in one line. Called before the job's
     * environment starts, after an embedded broker (--kafka embedded) is up.
     */
    void checkReachable(KafkaConnectionOptions connection, String patternName, Trigger trigger) {
        Kafka.checkReachable(settings(connection, patternName), trigger.isBounded());
    }

    /**
     * The records of the subscribed topics, bounded for the once and available-now triggers, at most
     * {@code --max-rows-per-second}.
     */
    DataStream<KafkaRecord> records(StreamExecutionEnvironment env, KafkaConnectionOptions connection, String patternName,
            Trigger trigger) {
        return records(env, connection, patternName, trigger, null);
    }

    /** As above, for one of several inputs of a job: {@code input} (or null) prefixes the source's uid. */
    DataStream<KafkaRecord> records(StreamExecutionEnvironment env, KafkaConnectionOptions connection, String patternName,
            Trigger trigger, String input) {
        KafkaSettings settings = settings(connection, patternName);
        DataStream<KafkaRecord> records = env.fromSource(Kafka.source(settings, trigger.isBounded()),
                        WatermarkStrategy.noWatermarks(), "kafka " + settings)
                .uid(input == null ? "kafka-source" : input + "-kafka-source");
        return Throttle.perSecond(records, maxRowsPerSecond, input);
    }

    /** These options over one topic instead of --subscribe's. */
    KafkaSourceOptions forTopic(String topic) {
        KafkaSourceOptions other = new KafkaSourceOptions();
        other.topics = List.of(topic);
        other.startingOffsets = startingOffsets;
        other.groupId = groupId;
        other.failOnDataLoss = failOnDataLoss;
        other.maxRowsPerSecond = maxRowsPerSecond;
        return other;
    }

    private KafkaSettings settings(KafkaConnectionOptions connection, String patternName) {
        return new KafkaSettings(connection.bootstrapServers(), topics, topicPattern, startingOffsets,
                groupId == null ? patternName : groupId, failOnDataLoss, connection.clientProperties(),
                KafkaSettings.DEFAULT_TRANSACTION_TIMEOUT);
    }

    void validate() {
        if (topics.isEmpty() == (topicPattern == null)) {
            throw new UsageException("give exactly one of --subscribe TOPICS and --subscribe-pattern REGEX");
        }
        if (maxRowsPerSecond < 0) {
            throw new UsageException("--max-rows-per-second must not be negative, got " + maxRowsPerSecond);
        }
        Kafka.startingOffsets(startingOffsets, failOnDataLoss); // refuses a bad value before anything starts
    }
}
