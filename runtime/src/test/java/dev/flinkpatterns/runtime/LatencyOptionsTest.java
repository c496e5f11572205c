package dev.flinkpatterns.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinkpatterns.core.UsageException;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;

/** The arguments of ./patterns benchmark latency (the benchmark itself prints figures and is never run by tests). */
class LatencyOptionsTest {

    /** conf/config.yaml: its checkpoint interval is the benchmark's default. */
    private static final Configuration PROJECT = GlobalConfiguration.loadConfiguration(
            Path.of(System.getProperty("patterns.conf.dir", "../conf")).toString());

    @Test
    void defaultsAreFiftyThousandEventsASecondAtLeastOnceWithTheProjectsCheckpointInterval() {
        LatencyOptions options = LatencyOptions.parse(PROJECT);
        assertThat(options.rate).isEqualTo(50_000);
        assertThat(options.seconds).isEqualTo(30);
        assertThat(options.warmUpSeconds).isEqualTo(30);
        assertThat(options.deliveryGuarantee()).isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
        assertThat(options.checkpointInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(options.bufferTimeout()).isEqualTo(Duration.ofMillis(10));
        assertThat(LatencyBenchmark.jobSettings(options).toMap())
                .containsEntry("state.backend.type", "hashmap")
                .containsEntry("execution.checkpointing.mode", "AT_LEAST_ONCE");
    }

    @Test
    void everyOptionIsRead() {
        LatencyOptions options = LatencyOptions.parse(PROJECT, "--rate", "1000", "--seconds", "5", "--warm-up", "2",
                "--delivery", "exactly-once", "--checkpoint-interval", "500ms", "--buffer-timeout", "100ms",
                "--parallelism", "1", "--users", "7", "--web-ui-port", "18999", "--state-backend", "rocksdb");
        assertThat(options.rate).isEqualTo(1000);
        assertThat(options.seconds).isEqualTo(5);
        assertThat(options.warmUpSeconds).isEqualTo(2);
        assertThat(options.deliveryGuarantee()).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(options.checkpointInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(options.bufferTimeout()).isEqualTo(Duration.ofMillis(100));
        assertThat(options.parallelism).isEqualTo(1);
        assertThat(options.users).isEqualTo(7);
        assertThat(options.webUiPort).isEqualTo(18999);
        assertThat(LatencyBenchmark.jobSettings(options).toMap())
                .containsEntry("execution.checkpointing.interval", "500 ms")
                .containsEntry("execution.checkpointing.min-pause", "0 ms")
                .containsEntry("execution.buffer-timeout.interval", "100 ms")
                .containsEntry("rest.port", "18999")
                .containsEntry("state.backend.type", "rocksdb")
                .containsEntry("execution.checkpointing.mode", "EXACTLY_ONCE");
    }

    @Test
    void badArgumentsAreOneLineUsageErrors() {
        assertThatThrownBy(() -> LatencyOptions.parse(PROJECT, "--delivery", "at-most-once"))
                .isInstanceOf(UsageException.class)
                .hasMessage("--delivery at-most-once is not at-least-once or exactly-once");
        assertThatThrownBy(() -> LatencyOptions.parse(PROJECT, "--checkpoint-interval", "soon"))
                .isInstanceOf(UsageException.class)
                .hasMessage("--checkpoint-interval 'soon' is not a duration (examples: 500ms, 5s, 10 seconds, 2m, 1h)");
        assertThatThrownBy(() -> LatencyOptions.parse(PROJECT, "--state-backend", "memory"))
                .isInstanceOf(UsageException.class)
                .hasMessage("--state-backend memory is not hashmap or rocksdb");
        assertThatThrownBy(() -> LatencyOptions.parse(PROJECT, "--rate", "0"))
                .isInstanceOf(UsageException.class)
                .hasMessage("--rate, --seconds, --parallelism and --users must be positive, --warm-up not negative");
        assertThatThrownBy(() -> LatencyOptions.parse(PROJECT, "--rate", "fast"))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith("Invalid value for option '--rate': 'fast' is not an int");
    }

    @Test
    void quantilesAreNearestRankInMilliseconds() {
        long[] sortedNanos = {1_000_000, 2_000_000, 3_000_000, 4_000_000, 100_000_000};
        assertThat(LatencyBenchmark.millis(sortedNanos, 0.5)).isEqualTo("3.0");
        assertThat(LatencyBenchmark.millis(sortedNanos, 0.99)).isEqualTo("100.0");
        assertThat(LatencyBenchmark.millis(sortedNanos, 1.0)).isEqualTo("100.0");
        assertThat(LatencyBenchmark.millis(new long[0], 0.5)).isEqualTo("-");
    }
}
