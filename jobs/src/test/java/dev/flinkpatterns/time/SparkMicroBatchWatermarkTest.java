package dev.flinkpatterns.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The operator alone: rows are event times (in ms), tagged with their batch as the record timestamp; a 10 ms delay.
 * What it emits: each row with its event time, and W_{N-2} - 1 when batch N starts.
 */
class SparkMicroBatchWatermarkTest {

    private static OneInputStreamOperatorTestHarness<Long, Long> harness(OperatorSubtaskState restoredFrom)
            throws Exception {
        var harness = new OneInputStreamOperatorTestHarness<>(
                new SparkMicroBatchWatermark<Long>((time, batch) -> time, 10));
        if (restoredFrom != null) {
            harness.initializeState(restoredFrom);
        }
        harness.open();
        return harness;
    }

    /** Rows as "time@timestamp", watermarks as "W time". */
    private static List<String> emitted(OneInputStreamOperatorTestHarness<Long, Long> harness) {
        List<String> out = new ArrayList<>();
        for (Object element : harness.getOutput()) {
            out.add(element instanceof Watermark mark ? "W " + mark.getTimestamp()
                    : ((StreamRecord<?>) element).getValue() + "@" + ((StreamRecord<?>) element).getTimestamp());
        }
        return out;
    }

    @Test
    void emitsTheWatermarkOfTwoBatchesBeforeAndIgnoresTheSourcesOwn() throws Exception {
        var harness = harness(null);
        harness.processElement(100L, 0);
        harness.processElement(50L, 0);
        harness.processElement(200L, 1);
        harness.processWatermark(new Watermark(Long.MAX_VALUE));
        harness.processElement(120L, 2);
        harness.processElement(300L, 3);
        harness.endInput();

        // Batch 2 starts: W_0 = 100 - 10; batch 3: W_1 = 190; the end: W_2 = 190 (no change), W_3 = 290.
        assertThat(emitted(harness)).containsExactly("100@100", "50@50", "200@200", "W 89", "120@120", "W 189",
                "300@300", "W 289");
    }

    @Test
    void aRestoredOperatorKeepsTheHistoryAndSendsItsWatermarkAgain() throws Exception {
        var before = harness(null);
        before.processElement(100L, 0);
        before.processElement(200L, 1);
        before.processElement(150L, 2);
        OperatorSubtaskState checkpoint = before.snapshot(1, 1);
        before.close();

        var after = harness(checkpoint);
        after.processElement(160L, 2);
        after.processElement(300L, 3);

        assertThat(emitted(after)).containsExactly("W 89", "160@160", "W 189", "300@300");
    }

    /**
     * Two inputs in one stream (a join's sides): a positive time is the left input's (delay 10), a negative one the
     * right's, at its absolute value (delay 20). The query's watermark is the minimum of both sides'; none while a side
     * has had no row; a side without rows in a batch keeps its max. Restored, it keeps both sides' histories.
     */
    @Test
    void severalInputsTakeTheMinimumOfTheirWatermarks() throws Exception {
        var before = new OneInputStreamOperatorTestHarness<>(new SparkMicroBatchWatermark<Long>(
                (time, batch) -> Math.abs(time), time -> time > 0 ? 0 : 1, new long[] {10, 20}));
        before.open();
        before.processElement(100L, 0);
        before.processElement(200L, 1);
        before.processElement(-150L, 1);
        before.processElement(300L, 2);
        before.processElement(-400L, 3);
        OperatorSubtaskState checkpoint = before.snapshot(1, 1);
        // Batch 2: W_0 has no right row yet: none. Batch 3: W_1 = min(200 - 10, 150 - 20) = 130.
        assertThat(emitted(before)).containsExactly("100@100", "200@200", "-150@150", "300@300", "W 129", "-400@400");
        before.close();

        var after = new OneInputStreamOperatorTestHarness<>(new SparkMicroBatchWatermark<Long>(
                (time, batch) -> Math.abs(time), time -> time > 0 ? 0 : 1, new long[] {10, 20}));
        after.initializeState(checkpoint);
        after.open();
        after.processElement(310L, 4);
        after.endInput();
        // The watermark sent before, again after the restore; batch 4: W_2 = min(290, 130) = 130, no change; the end
        // (the no-data batch): W_4 = min(300, 380) = 300.
        assertThat(emitted(after)).containsExactly("W 129", "310@310", "W 299");
    }
}
