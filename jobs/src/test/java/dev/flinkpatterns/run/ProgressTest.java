package dev.flinkpatterns.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void namesRecordsReadTheirRateLateRowsAndDeadLetters() {
        Map<String, Object> accumulators = Map.of("numRecordsRead", 12_000L, "numLateRowsDropped", 3L, "deadLetterRecords", 1L);
        assertThat(Progress.line(accumulators, 5_000, Duration.ofSeconds(10)))
                .isEqualTo("progress: 12000 records read (500 records/s), 3 late rows dropped, 1 dead letter");
    }

    @Test
    void leavesOutWhatTheJobDoesNotCount() {
        assertThat(Progress.line(Map.of(), 0, Duration.ofSeconds(10))).isEqualTo("progress: 0 dead letters");
        assertThat(Progress.line(Map.of("numRecordsRead", 1L), 1, Duration.ZERO))
                .isEqualTo("progress: 1 records read (0 records/s), 0 dead letters");
    }
}
