package dev.flinkpatterns.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinkpatterns.core.UsageException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/** How long an exactly-once Kafka transaction may stay open, from a job's configuration; and its prefix. */
class KafkaTransactionTimeoutTest {

    private static Configuration settings(Map<String, String> settings) {
        return Configuration.fromMap(settings);
    }

    @Test
    void aTransactionMayStayOpenForAnIntervalTheCheckpointTimeoutAndTheLongestRestartDelay() {
        assertThat(Kafka.longestOpenTransaction(settings(Map.of("execution.checkpointing.interval", "10s",
                "execution.checkpointing.timeout", "5min", "restart-strategy.type", "fixed-delay",
                "restart-strategy.fixed-delay.delay", "20s"))).total()).isEqualTo(Duration.ofSeconds(330));
        assertThat(Kafka.longestOpenTransaction(settings(Map.of("execution.checkpointing.interval", "10s",
                "execution.checkpointing.timeout", "5min", "restart-strategy.type", "failure-rate",
                "restart-strategy.failure-rate.delay", "3s"))).total()).isEqualTo(Duration.ofSeconds(313));
        // No strategy configured and checkpointing on: Flink's exponential delay, 1 min at most, plus 10 % jitter
        assertThat(Kafka.longestOpenTransaction(settings(Map.of("execution.checkpointing.interval", "10s")))
                .total()).isEqualTo(Duration.ofSeconds(10 + 600 + 66));
        assertThat(Kafka.longestOpenTransaction(settings(Map.of("execution.checkpointing.interval", "1s",
                "execution.checkpointing.timeout", "1min", "restart-strategy.type", "none"))).total())
                .isEqualTo(Duration.ofSeconds(61));
    }

    @Test
    void aTimeoutNotAboveItIsRefusedInOneLine() {
        Configuration job = settings(Map.of("execution.checkpointing.interval", "10s",
                "execution.checkpointing.timeout", "2min", "restart-strategy.type", "fixed-delay",
                "restart-strategy.fixed-delay.delay", "30s"));

        assertThatThrownBy(() -> Kafka.checkTransactionTimeoutCoversCheckpoints(Duration.ofSeconds(160), job))
                .isInstanceOf(UsageException.class)
                .hasMessage("--transaction-timeout 160s is too short: a transaction can stay open for a checkpoint"
                        + " interval (10s) + the checkpoint timeout (2m) + the longest restart delay (30s) = 160s, and"
                        + " one the broker aborts first loses its rows; give more, or lower"
                        + " execution.checkpointing.timeout or the restart-strategy delay");
        Kafka.checkTransactionTimeoutCoversCheckpoints(Duration.ofSeconds(161), job);
    }

    @Test
    void eachNewRunGetsItsOwnPrefixAndARestoreOfOneCheckpointAlwaysTheSame() {
        String first = Kafka.transactionalIdPrefix("kafka-read-out", Optional.empty());
        String second = Kafka.transactionalIdPrefix("kafka-read-out", Optional.empty());
        assertThat(first).startsWith("kafka-read-out-").isNotEqualTo(second);

        String restored = Kafka.transactionalIdPrefix("kafka-read-out", Optional.of("file:/c/job/chk-5/"));
        assertThat(Kafka.transactionalIdPrefix("kafka-read-out", Optional.of("file:/c/job/chk-5/_metadata")))
                .isEqualTo(restored);
        assertThat(Kafka.transactionalIdPrefix("kafka-read-out", Optional.of("file:/c/job/chk-6/")))
                .isNotEqualTo(restored);
    }
}
