package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.io.Kafka;
import java.util.List;
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

    void validate() {
        if (topics.isEmpty() == (topicPattern == null)) {
            throw new UsageException("give exactly one of --subscribe TOPICS and --subscribe-pattern REGEX");
        }
        if (maxRowsPerSecond < 0) {
            throw new UsageException("--max-rows-per-second must not be negative, got " + maxRowsPerSecond);
        }
    }
}
