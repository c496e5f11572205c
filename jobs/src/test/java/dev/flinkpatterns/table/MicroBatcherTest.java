package dev.flinkpatterns.table;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** When batches are emitted, and what they hold, per output mode and trigger; time is driven by hand. */
class MicroBatcherTest {

    private static final List<String> COLUMNS = List.of("event", "count");

    private static KeyedOneInputStreamOperatorTestHarness<Integer, Change, ResultBatch> harness(
            OutputMode mode, Trigger trigger) throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new MicroBatcher(mode, COLUMNS, trigger)), change -> MicroBatcher.KEY, Types.INT);
        harness.open();
        return harness;
    }

    private static List<ResultBatch> emitted(KeyedOneInputStreamOperatorTestHarness<Integer, Change, ResultBatch> harness) {
        List<ResultBatch> batches = harness.extractOutputValues();
        harness.getOutput().clear();
        return batches;
    }

    private static ResultBatch batch(long id, List<List<String>> rows) {
        return new ResultBatch(id, COLUMNS, rows);
    }

    @Test
    void completeModeEmitsTheWholeSortedTableOncePerIntervalAndOnlyWhenItChanged() throws Exception {
        var harness = harness(OutputMode.COMPLETE, Trigger.processingTime(Duration.ofSeconds(10)));
        harness.setProcessingTime(1_000);
        harness.processElement(Change.of("view", "view", 1), 0);
        harness.processElement(Change.of("login", "login", 1), 0);
        harness.processElement(Change.of("view", "view", 2), 0);
        assertThat(emitted(harness)).isEmpty();
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);

        harness.setProcessingTime(10_000); // aligned to the interval, as Spark's ProcessingTime trigger
        assertThat(emitted(harness)).containsExactly(batch(0, List.of(List.of("login", "1"), List.of("view", "2"))));

        harness.setProcessingTime(20_000); // nothing changed: no batch
        assertThat(emitted(harness)).isEmpty();

        harness.processElement(Change.of("logout", "logout", 1), 0);
        harness.setProcessingTime(30_000);
        assertThat(emitted(harness)).containsExactly(
                batch(1, List.of(List.of("login", "1"), List.of("logout", "1"), List.of("view", "2"))));
    }

    @Test
    void updateModeEmitsOnlyTheRowsThatChanged() throws Exception {
        var harness = harness(OutputMode.UPDATE, Trigger.processingTime(Duration.ofSeconds(1)));
        harness.processElement(Change.of("view", "view", 1), 0);
        harness.processElement(Change.of("login", "login", 1), 0);
        harness.setProcessingTime(1_000);
        assertThat(emitted(harness)).containsExactly(batch(0, List.of(List.of("login", "1"), List.of("view", "1"))));

        harness.processElement(Change.of("view", "view", 2), 0);
        harness.setProcessingTime(2_000);
        assertThat(emitted(harness)).containsExactly(batch(1, List.of(List.of("view", "2"))));
    }

    @Test
    void appendModeEmitsNewRowsOnceInKeyOrder() throws Exception {
        var harness = harness(OutputMode.APPEND, Trigger.DEFAULT);
        harness.processElement(Change.of("b.csv:2", "x", 2), 0);
        harness.processElement(Change.of("a.csv:2", "y", 1), 0);
        harness.setProcessingTime(Trigger.DEFAULT_GATHERING.toMillis());
        assertThat(emitted(harness)).containsExactly(batch(0, List.of(List.of("y", "1"), List.of("x", "2"))));

        harness.processElement(Change.of("c.csv:2", "z", 3), 0);
        harness.setProcessingTime(Trigger.DEFAULT_GATHERING.toMillis() * 2);
        assertThat(emitted(harness)).containsExactly(batch(1, List.of(List.of("z", "3"))));
    }

    @Test
    void boundedTriggersEmitOneFinalBatchWhenTheInputEnds() throws Exception {
        var harness = harness(OutputMode.COMPLETE, Trigger.AVAILABLE_NOW);
        harness.processElement(Change.of("view", "view", 1), 0);
        harness.processElement(Change.of("view", "view", 2), 0);
        harness.setProcessingTime(1_000_000);
        assertThat(emitted(harness)).isEmpty();
        assertThat(harness.numProcessingTimeTimers()).isZero();

        harness.processWatermark(Watermark.MAX_WATERMARK); // what the end of a bounded input sends
        assertThat(emitted(harness)).containsExactly(batch(0, List.of(List.of("view", "2"))));
    }

    @Test
    void changesAfterTheEndOfEventTimeAreEmittedAtOnce() throws Exception {
        // A drained stop (stop --drain) sends the end-of-input watermark while the last windows are still on their
        // way: a timer at the end of time registered then would never fire.
        var harness = harness(OutputMode.APPEND, Trigger.DEFAULT);
        harness.processElement(Change.of("w1", "w1", 1), 0);
        harness.setProcessingTime(Trigger.DEFAULT_GATHERING.toMillis());
        assertThat(emitted(harness)).containsExactly(batch(0, List.of(List.of("w1", "1"))));

        harness.processWatermark(Watermark.MAX_WATERMARK);
        harness.processElement(Change.of("w2", "w2", 1), 0);
        assertThat(emitted(harness)).containsExactly(batch(1, List.of(List.of("w2", "1"))));
    }

    @Test
    void continuousEmitsEveryChangeAtOnce() throws Exception {
        var harness = harness(OutputMode.COMPLETE, Trigger.CONTINUOUS);
        harness.processElement(Change.of("view", "view", 1), 0);
        harness.processElement(Change.of("login", "login", 1), 0);
        assertThat(emitted(harness)).containsExactly(
                batch(0, List.of(List.of("view", "1"))),
                batch(1, List.of(List.of("login", "1"), List.of("view", "1"))));
    }

    @Test
    void theTableAndBatchNumbersSurviveARestore() throws Exception {
        var harness = harness(OutputMode.COMPLETE, Trigger.processingTime(Duration.ofSeconds(1)));
        harness.processElement(Change.of("view", "view", 1), 0);
        harness.setProcessingTime(1_000);
        assertThat(emitted(harness)).hasSize(1);
        harness.processElement(Change.of("login", "login", 1), 0);
        OperatorSubtaskState snapshot = harness.snapshot(1, 1_500);
        harness.close();

        var restored = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new MicroBatcher(OutputMode.COMPLETE, COLUMNS, Trigger.processingTime(Duration.ofSeconds(1)))),
                change -> MicroBatcher.KEY, Types.INT);
        restored.initializeState(snapshot);
        restored.open();
        restored.setProcessingTime(2_000); // the timer registered before the snapshot fires after the restore
        assertThat(emitted(restored)).containsExactly(batch(1, List.of(List.of("login", "1"), List.of("view", "1"))));
    }

    @Test
    void appendModeWithARowLimitKeepsTheFirstRowsOfEachBatchAcrossARestore() throws Exception {
        Trigger everySecond = Trigger.processingTime(Duration.ofSeconds(1));
        var harness = limited(everySecond, null);
        for (String key : List.of("e", "b", "d", "a", "f")) {
            harness.processElement(Change.of(key, key, 1), 0);
        }
        OperatorSubtaskState snapshot = harness.snapshot(1, 500);
        harness.close();

        var restored = limited(everySecond, snapshot);
        restored.processElement(Change.of("c", "c", 1), 0); // among the first three: pushes d out
        restored.processElement(Change.of("g", "g", 1), 0);
        restored.setProcessingTime(1_000);
        assertThat(emitted(restored)).containsExactly(batch(0, List.of(List.of("a", "1"), List.of("b", "1"), List.of("c", "1"))));

        restored.processElement(Change.of("z", "z", 1), 0); // a new batch starts empty
        restored.setProcessingTime(2_000);
        assertThat(emitted(restored)).containsExactly(batch(1, List.of(List.of("z", "1"))));
    }

    private static KeyedOneInputStreamOperatorTestHarness<Integer, Change, ResultBatch> limited(
            Trigger trigger, OperatorSubtaskState restoredFrom) throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new MicroBatcher(OutputMode.APPEND, COLUMNS, trigger, 3)),
                change -> MicroBatcher.KEY, Types.INT);
        if (restoredFrom != null) {
            harness.initializeState(restoredFrom);
        }
        harness.open();
        return harness;
    }
}
