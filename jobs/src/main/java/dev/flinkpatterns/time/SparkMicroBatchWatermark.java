package dev.flinkpatterns.time;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Spark's watermark under micro-batches (Spark 3.4+): after batch k the watermark is
 * {@code W_k = max event time of batches 0..k - delay}; batch N drops the rows late by {@code W_{N-2}} and then
 * closes the state up to {@code W_{N-1}}. Rows arrive tagged with their batch ({@link SparkMicroBatches}), one
 * reader in batch order; this operator (parallelism 1) gives them their event time and, when batch N starts,
 * emits {@code W_{N-2}} as Flink's watermark (minus 1 ms, as Flink's bounded out-of-orderness: windows with
 * {@code end <= W} close). So the late-row split after it judges batch N by {@code W_{N-2}}, and what closes at
 * its start is what Spark closed at the end of batch N-1. At the end of the input it closes what Spark's last
 * batch and the no-data batch after it close, never more: the watermark of the source's end of input is ignored,
 * and windows still open stay open, as in Spark.
 */
public final class SparkMicroBatchWatermark<T> extends AbstractStreamOperator<T>
        implements OneInputStreamOperator<T, T>, BoundedOneInput {

    private final SerializableTimestampAssigner<T> eventTime;
    /** Which input a row is of (Spark's several {@code withWatermark}s of one query), and each input's delay. */
    private final InputOf<T> inputOf;
    private final long[] delays;
    /**
     * Max event time over batches 0..k, by k and input: index {@code k * inputs + input} (Long.MIN_VALUE: no row
     * yet). One input: by k.
     */
    private transient List<Long> maxThroughBatch;
    private transient int batch;
    private transient long emitted;
    /** After a restore: the watermark emitted before, sent again before the next row (downstream starts without one). */
    private transient boolean resendWatermark;
    /** The checkpointed history: the max event time through each batch so far (its size: the current batch + 1). */
    private transient ListState<Long> checkpointed;

    /** Which of the query's inputs a row is of (0, 1, ...). */
    @FunctionalInterface
    public interface InputOf<T> extends java.io.Serializable {
        int of(T row);
    }

    public SparkMicroBatchWatermark(SerializableTimestampAssigner<T> eventTime, long delay) {
        this(eventTime, row -> 0, new long[] {delay});
    }

    /**
     * Rows of several inputs in one stream (a join's two sides, read by one reader): each input's watermark is its
     * own max event time minus its own delay, and the query's is the minimum of them (Spark's default
     * {@code multipleWatermarkPolicy}), none while an input has had no row.
     */
    public SparkMicroBatchWatermark(SerializableTimestampAssigner<T> eventTime, InputOf<T> inputOf, long[] delays) {
        this.eventTime = eventTime;
        this.inputOf = inputOf;
        this.delays = delays.clone();
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        checkpointed = context.getOperatorStateStore().getListState(
                new ListStateDescriptor<>("max-event-time-through-batch", Types.LONG));
        maxThroughBatch = new ArrayList<>();
        for (Long max : checkpointed.get()) {
            maxThroughBatch.add(max);
        }
        batch = maxThroughBatch.size() / delays.length - 1;
        emitted = batch >= 2 ? watermarkAfter(batch - 2) : Long.MIN_VALUE;
        resendWatermark = emitted != Long.MIN_VALUE;
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        checkpointed.update(maxThroughBatch);
    }

    @Override
    public void processElement(StreamRecord<T> element) {
        if (resendWatermark) {
            resendWatermark = false;
            output.emitWatermark(new Watermark(emitted));
        }
        if (!element.hasTimestamp()) {
            throw new IllegalStateException("a row without its micro-batch: the spark watermark policy reads files tagged by SparkMicroBatches");
        }
        int rowBatch = (int) element.getTimestamp();
        if (rowBatch > batch) {
            startBatch(rowBatch);
        }
        long time = eventTime.extractTimestamp(element.getValue(), element.getTimestamp());
        int index = batch * delays.length + inputOf.of(element.getValue());
        maxThroughBatch.set(index, Math.max(maxThroughBatch.get(index), time));
        output.collect(element.replace(element.getValue(), time));
    }

    /** Batch {@code next} starts (later rows of an earlier batch, impossible with one reader, count as this one). */
    private void startBatch(int next) {
        while (batch < next) {
            for (int input = 0; input < delays.length; input++) {
                maxThroughBatch.add(batch < 0 ? Long.MIN_VALUE : maxThroughBatch.get(batch * delays.length + input));
            }
            batch++;
        }
        int closedBy = batch - 2;
        if (closedBy >= 0) {
            long watermark = watermarkAfter(closedBy);
            if (watermark != Long.MIN_VALUE && watermark > emitted) {
                emitted = watermark;
                output.emitWatermark(new Watermark(watermark));
            }
        }
    }

    /**
     * Flink's watermark for Spark's after batch {@code k} (minus 1 ms): the minimum over the inputs of max event time
     * through k minus the input's delay; Long.MIN_VALUE while an input has had no row (Spark's 0, the epoch).
     */
    private long watermarkAfter(int k) {
        long watermark = Long.MAX_VALUE;
        for (int input = 0; input < delays.length; input++) {
            long max = maxThroughBatch.get(k * delays.length + input);
            if (max == Long.MIN_VALUE) {
                return Long.MIN_VALUE;
            }
            watermark = Math.min(watermark, max - delays[input] - 1);
        }
        return watermark;
    }

    /** Spark's watermark is not Flink's: the source's (and its end-of-input) watermark is not passed on. */
    @Override
    public void processWatermark(Watermark mark) {}

    /**
     * Spark's last batch K closes up to {@code W_{K-1}}; the no-data batch AvailableNow runs after it, up to
     * {@code W_K}. What is later stays open.
     */
    @Override
    public void endInput() {
        if (batch >= 0) {
            startBatch(batch + 2);
        }
    }
}
