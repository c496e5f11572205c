package dev.flinkpatterns.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinkpatterns.core.UsageException;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.junit.jupiter.api.Test;

/** Spark's startingOffsets and failOnDataLoss, as the connector's offsets initializers. */
class KafkaStartingOffsetsTest {

    @Test
    void committedOffsetsFailOrGoOnFromTheEarliestWhenTheyAreGone() {
        assertThat(Kafka.startingOffsets("committed", true).getAutoOffsetResetStrategy()).isEqualTo(OffsetResetStrategy.NONE);
        assertThat(Kafka.startingOffsets("committed", false).getAutoOffsetResetStrategy())
                .isEqualTo(OffsetResetStrategy.EARLIEST);
    }

    @Test
    void earliestLatestAndATimestamp() {
        assertThat(Kafka.startingOffsets("earliest", true).getAutoOffsetResetStrategy()).isEqualTo(OffsetResetStrategy.EARLIEST);
        assertThat(Kafka.startingOffsets("latest", true).getAutoOffsetResetStrategy()).isEqualTo(OffsetResetStrategy.LATEST);
        assertThat(Kafka.startingOffsets("timestamp:1752591600000", true).getClass().getSimpleName())
                .isEqualTo("TimestampOffsetsInitializer");
    }

    @Test
    void anythingElseIsRefusedWithTheChoices() {
        assertThatThrownBy(() -> Kafka.startingOffsets("timestamp:yesterday", true)).isInstanceOf(UsageException.class)
                .hasMessage("--starting-offsets timestamp:yesterday is not one of earliest, latest, committed or timestamp:EPOCH_MILLIS");
    }
}
