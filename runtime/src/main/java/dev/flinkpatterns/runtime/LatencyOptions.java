package dev.flinkpatterns.runtime;

import dev.flinkpatterns.core.Durations;
import dev.flinkpatterns.core.UsageException;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import java.util.Locale;
import org.apache.flink.connector.base.DeliveryGuarantee;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The options of {@code ./patterns benchmark latency}; a bad one is a one-line {@link UsageException}. */
@Command(name = "benchmark latency")
public final class LatencyOptions {

    @Option(names = "--rate", description = "events produced per second (default 50000)")
    int rate = 50_000;

    @Option(names = "--seconds", description = "measured seconds, after the warm-up (default 30)")
    int seconds = 30;

    @Option(names = "--warm-up", description = "seconds produced first and left out of the figures (default 30)")
    int warmUpSeconds = 30;

    @Option(names = "--delivery", description = "at-least-once or exactly-once (default at-least-once)")
    String delivery = "at-least-once";

    @Option(names = "--checkpoint-interval", description = "default: the project's, execution.checkpointing.interval of"
            + " conf/config.yaml (10s)")
    String checkpointInterval;

    /** The project's checkpoint interval: what a pattern run with the project's configuration checkpoints at. */
    private Duration configuredCheckpointInterval;

    @Option(names = "--buffer-timeout", description = "how long Flink may hold a network buffer before sending it (default 10ms)")
    String bufferTimeout = "10ms";

    @Option(names = "--state-backend", description = "hashmap or rocksdb, for this job's 10,000 counts (default hashmap:"
            + " RocksDB's synchronous flush at every checkpoint holds the task up)")
    String stateBackend = "hashmap";

    @Option(names = "--parallelism", description = "default 2")
    int parallelism = 2;

    @Option(names = "--users", description = "distinct keys of the keyed state (default 10000)")
    int users = 10_000;

    @Option(names = "--web-ui-port", description = "default 8099")
    int webUiPort = 8099;

    /** Parses and checks the arguments that follow {@code benchmark latency}, with the project's configuration. */
    public static LatencyOptions parse(String... args) {
        return parse(GlobalConfiguration.loadConfiguration(System.getProperty("patterns.conf.dir", "conf")), args);
    }

    /** The same, with {@code projectConfiguration} in place of conf/config.yaml. */
    public static LatencyOptions parse(Configuration projectConfiguration, String... args) {
        LatencyOptions options = new LatencyOptions();
        options.configuredCheckpointInterval = projectConfiguration.get(CheckpointingOptions.CHECKPOINTING_INTERVAL);
        if (options.configuredCheckpointInterval == null) {
            throw new UsageException("the project's configuration has no execution.checkpointing.interval:"
                    + " give --checkpoint-interval");
        }
        try {
            new CommandLine(options).parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new UsageException(e.getMessage());
        }
        options.deliveryGuarantee();
        options.checkpointInterval();
        options.bufferTimeout();
        options.stateBackend();
        if (options.rate < 1 || options.seconds < 1 || options.warmUpSeconds < 0 || options.parallelism < 1 || options.users < 1) {
            throw new UsageException("--rate, --seconds, --parallelism and --users must be positive, --warm-up not negative");
        }
        return options;
    }

    public DeliveryGuarantee deliveryGuarantee() {
        return switch (delivery.toLowerCase(Locale.ROOT)) {
            case "at-least-once" -> DeliveryGuarantee.AT_LEAST_ONCE;
            case "exactly-once" -> DeliveryGuarantee.EXACTLY_ONCE;
            default -> throw new UsageException("--delivery " + delivery + " is not at-least-once or exactly-once");
        };
    }

    public String stateBackend() {
        String backend = stateBackend.toLowerCase(Locale.ROOT);
        if (!backend.equals("hashmap") && !backend.equals("rocksdb")) {
            throw new UsageException("--state-backend " + stateBackend + " is not hashmap or rocksdb");
        }
        return backend;
    }

    public Duration checkpointInterval() {
        return checkpointInterval == null ? configuredCheckpointInterval : duration("--checkpoint-interval", checkpointInterval);
    }

    public Duration bufferTimeout() {
        return duration("--buffer-timeout", bufferTimeout);
    }

    private static Duration duration(String option, String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException(option + " " + e.getMessage());
        }
    }
}
