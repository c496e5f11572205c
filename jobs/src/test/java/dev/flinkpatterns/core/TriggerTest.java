package dev.flinkpatterns.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TriggerTest {

    @Test
    void readsSparksTriggers() {
        assertThat(Trigger.parse("available-now")).isEqualTo(Trigger.AVAILABLE_NOW);
        assertThat(Trigger.parse("availableNow")).isEqualTo(Trigger.AVAILABLE_NOW);
        assertThat(Trigger.parse("once")).isEqualTo(Trigger.ONCE);
        assertThat(Trigger.parse("continuous")).isEqualTo(Trigger.CONTINUOUS);
        assertThat(Trigger.parse("default")).isEqualTo(Trigger.DEFAULT);
        assertThat(Trigger.parse("5s")).isEqualTo(Trigger.processingTime(Duration.ofSeconds(5)));
        assertThat(Trigger.parse("30 seconds")).isEqualTo(Trigger.processingTime(Duration.ofSeconds(30)));
        assertThat(Trigger.parse("500ms")).isEqualTo(Trigger.processingTime(Duration.ofMillis(500)));
        assertThat(Trigger.parse("1 minute")).isEqualTo(Trigger.processingTime(Duration.ofMinutes(1)));
    }

    @Test
    void onlyOnceAndAvailableNowAreBounded() {
        assertThat(Trigger.ONCE.isBounded()).isTrue();
        assertThat(Trigger.AVAILABLE_NOW.isBounded()).isTrue();
        assertThat(Trigger.DEFAULT.isBounded()).isFalse();
        assertThat(Trigger.CONTINUOUS.isBounded()).isFalse();
        assertThat(Trigger.parse("5s").isBounded()).isFalse();
    }

    @Test
    void printsAsWritten() {
        assertThat(Trigger.parse("10 seconds")).hasToString("10s");
        assertThat(Trigger.parse("1500ms")).hasToString("1500ms");
        assertThat(Trigger.parse("2m")).hasToString("2m");
        assertThat(Trigger.AVAILABLE_NOW).hasToString("available-now");
    }

    @Test
    void refusesWhatIsNotATrigger() {
        assertThatThrownBy(() -> Trigger.parse("fast"))
                .hasMessage("'fast' is not a trigger (available-now, once, continuous, default, or an interval like 5s)");
        assertThatThrownBy(() -> Trigger.parse("0s")).hasMessageContaining("'0s' is not a trigger");
    }
}
