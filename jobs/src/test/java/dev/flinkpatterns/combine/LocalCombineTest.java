package dev.flinkpatterns.combine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Rows are counted in memory and flushed at each point after which a partial would come too late or be lost. */
class LocalCombineTest {

    private static OneInputStreamOperatorTestHarness<String, Tuple2<String, Long>> harness(int maxKeys) throws Exception {
        var harness = new OneInputStreamOperatorTestHarness<>(
                new LocalCombine<>(new CountPerKey(), Duration.ofMillis(100), maxKeys));
        harness.setProcessingTime(0);
        harness.open();
        return harness;
    }

    /** The output in order: partials as "key=count", watermarks as "W<time>". */
    private static List<String> drain(OneInputStreamOperatorTestHarness<String, Tuple2<String, Long>> harness) {
        List<String> out = new ArrayList<>();
        for (Object element : harness.getOutput()) {
            if (element instanceof Watermark watermark) {
                out.add("W" + watermark.getTimestamp());
            } else {
                @SuppressWarnings("unchecked")
                Tuple2<String, Long> partial = ((StreamRecord<Tuple2<String, Long>>) element).getValue();
                out.add(partial.f0 + "=" + partial.f1);
            }
        }
        harness.getOutput().clear();
        return out;
    }

    private static void rows(OneInputStreamOperatorTestHarness<String, Tuple2<String, Long>> harness, String... keys)
            throws Exception {
        for (String key : keys) {
            harness.processElement(key, 0);
        }
    }

    @Test
    void partialsGoOutBeforeTheWatermarkThatFollowsTheirRows() throws Exception {
        var harness = harness(100);
        rows(harness, "view", "login", "view", "view");
        assertThat(drain(harness)).isEmpty();
        harness.processWatermark(new Watermark(1_000));
        assertThat(drain(harness)).containsExactlyInAnyOrder("view=3", "login=1", "W1000")
                .endsWith("W1000");
        rows(harness, "view");
        harness.processWatermark(new Watermark(2_000));
        assertThat(drain(harness)).containsExactly("view=1", "W2000");
    }

    @Test
    void aCheckpointBarrierFindsTheBufferEmpty() throws Exception {
        var harness = harness(100);
        rows(harness, "view", "view");
        harness.prepareSnapshotPreBarrier(1);
        assertThat(drain(harness)).containsExactly("view=2");
    }

    @Test
    void flushesOnTheIntervalOnAFullBufferAndAtTheEndOfInput() throws Exception {
        var harness = harness(2);
        rows(harness, "a", "a");
        harness.setProcessingTime(99);
        assertThat(drain(harness)).isEmpty();
        harness.setProcessingTime(100);
        assertThat(drain(harness)).containsExactly("a=2");

        rows(harness, "a", "b"); // two keys: the buffer is full
        assertThat(drain(harness)).containsExactlyInAnyOrder("a=1", "b=1");

        rows(harness, "c");
        harness.getOperator().finish();
        assertThat(drain(harness)).containsExactly("c=1");
    }
}
