package dev.flinkpatterns.patterns.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.patterns.csv.Event;
import dev.flinkpatterns.time.WatermarkSettings;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The first row of a key passes, later ones do not, and the key is forgotten when the watermark passes it. */
class KeepFirstTest {

    /** Rows are "key,n"; the key is the part before the comma. */
    private static KeyedOneInputStreamOperatorTestHarness<String, String, String> harness(long retention) throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new KeepFirst<String, String>(retention)), row -> row.split(",")[0], Types.STRING);
        harness.open();
        return harness;
    }

    private static List<String> emitted(KeyedOneInputStreamOperatorTestHarness<String, String, String> harness) {
        List<String> rows = harness.extractOutputValues();
        harness.getOutput().clear();
        return rows;
    }

    @Test
    void keepsTheFirstRowPerKeyAndReleasesEachKeyOnceTheWatermarkPassesIt() throws Exception {
        var harness = harness(0);
        harness.processElement("a,1", 1_000);
        harness.processElement("b,1", 1_000);
        harness.processElement("a,2", 1_500);
        harness.processElement("c,1", 3_000);
        harness.processElement("b,2", 900);
        assertThat(emitted(harness)).containsExactly("a,1", "b,1", "c,1");
        assertThat(harness.numKeyedStateEntries()).isEqualTo(3);
        assertThat(harness.numEventTimeTimers()).isEqualTo(3);

        harness.processWatermark(999); // not yet at a and b
        assertThat(harness.numKeyedStateEntries()).isEqualTo(3);

        harness.processWatermark(1_000);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        harness.processElement("a,3", 2_000); // forgotten: a new first row
        harness.processElement("c,2", 3_000);
        assertThat(emitted(harness)).containsExactly("a,3");
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);

        harness.processWatermark(3_000);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(emitted(harness)).isEmpty();
    }

    @Test
    void aRetentionKeepsTheKeyThatMuchLonger() throws Exception {
        var harness = harness(500);
        harness.processElement("a,1", 1_000);
        harness.processWatermark(1_499);
        harness.processElement("a,2", 1_600);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

        harness.processWatermark(1_500);
        harness.processElement("a,3", 1_700);
        assertThat(emitted(harness)).containsExactly("a,1", "a,3");
    }

    @Test
    void withoutAWatermarkEveryKeyIsKeptForever() throws Exception {
        var harness = harness(KeepFirst.KEEP_FOREVER);
        harness.processElement("a,1", 1_000);
        harness.processElement("b,1", 2_000);
        harness.processWatermark(Long.MAX_VALUE);
        harness.processElement("a,2", 3_000);
        assertThat(emitted(harness)).containsExactly("a,1", "b,1");
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void retentionIsZeroWithTheTimeInTheKeyAndTheDelayWithout() {
        var watermark = WatermarkSettings.of(Duration.ofMinutes(10));
        assertThat(Deduplication.retention(DedupKey.parse("timestamp,user_id"), watermark)).isZero();
        assertThat(Deduplication.retention(DedupKey.parse("user_id,event"), watermark)).isEqualTo(600_000);
        assertThat(Deduplication.retention(DedupKey.parse("event"), watermark.withAllowedLateness(Duration.ofSeconds(5))))
                .isEqualTo(605_000);
        assertThat(Deduplication.retention(DedupKey.parse("event"), WatermarkSettings.NONE)).isEqualTo(KeepFirst.KEEP_FOREVER);
    }

    @Test
    void theKeyJoinsTheChosenColumnsInTheirOrder() {
        Event event = new Event("2025-07-15T10:00:00", 7, "view", 0);
        assertThat(DedupKey.parse("event, user_id").of(event)).isEqualTo("view\u001f7");
        assertThat(DedupKey.parse("timestamp").of(event)).isEqualTo("2025-07-15T10:00:00");
    }
}
