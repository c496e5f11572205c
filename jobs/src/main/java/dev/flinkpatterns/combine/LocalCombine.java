package dev.flinkpatterns.combine;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Local pre-aggregation (what Flink SQL calls the local phase of a two-phase aggregation, and Spark's partial
 * aggregation before an exchange): rows are combined per key in memory, in the subtask that reads them, and
 * only partial results cross the shuffle. The buffer is flushed every {@code flushInterval} of processing
 * time, when it holds {@code maxKeys} keys, before every watermark it forwards (so partials always precede the
 * watermark that could close their window), before every checkpoint barrier (so it holds nothing a checkpoint
 * would have to store) and at the end of the input. The results equal those without it.
 */
public final class LocalCombine<IN, K, ACC, OUT> extends AbstractStreamOperator<OUT>
        implements OneInputStreamOperator<IN, OUT> {

    /** Flush period under the default and interval triggers: well below their 200 ms gathering of a batch. */
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofMillis(100);
    public static final int DEFAULT_MAX_KEYS = 10_000;

    private final Combiner<IN, K, ACC, OUT> combiner;
    private final long flushIntervalMillis;
    private final int maxKeys;
    private transient Map<K, ACC> buffer;
    private transient StreamRecord<OUT> reusable;

    /** Flushes every {@code flushInterval} of processing time and whenever {@code maxKeys} keys are buffered. */
    public LocalCombine(Combiner<IN, K, ACC, OUT> combiner, Duration flushInterval, int maxKeys) {
        if (flushInterval.isZero() || flushInterval.isNegative() || maxKeys < 1) {
            throw new IllegalArgumentException("flush interval and key limit must be positive");
        }
        this.combiner = combiner;
        this.flushIntervalMillis = flushInterval.toMillis();
        this.maxKeys = maxKeys;
    }

    /** The partials of {@code rows}, combined in the subtasks that produce them (chained, no shuffle). */
    public static <IN, K, ACC, OUT> SingleOutputStreamOperator<OUT> combine(DataStream<IN> rows,
            Combiner<IN, K, ACC, OUT> combiner, TypeInformation<OUT> partialType, String name, String uid) {
        // Operators chain by default (ChainingStrategy.ALWAYS): the partials leave the reading subtask only.
        return rows.transform(name, partialType, new LocalCombine<>(combiner, DEFAULT_FLUSH_INTERVAL, DEFAULT_MAX_KEYS))
                .setParallelism(rows.getParallelism())
                .uid(uid);
    }

    @Override
    public void open() throws Exception {
        super.open();
        buffer = new HashMap<>();
        reusable = new StreamRecord<>(null);
        scheduleFlush();
    }

    private void scheduleFlush() {
        long now = getProcessingTimeService().getCurrentProcessingTime();
        getProcessingTimeService().registerTimer(now + flushIntervalMillis, time -> {
            flush();
            scheduleFlush();
        });
    }

    @Override
    public void processElement(StreamRecord<IN> element) {
        IN row = element.getValue();
        K key = combiner.key(row);
        ACC accumulator = buffer.get(key);
        ACC updated = combiner.add(accumulator == null ? combiner.create(key) : accumulator, row);
        if (updated != accumulator) {
            buffer.put(key, updated);
        }
        if (buffer.size() >= maxKeys) {
            flush();
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        flush();
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }

    private void flush() {
        if (buffer.isEmpty()) {
            return;
        }
        for (Map.Entry<K, ACC> entry : buffer.entrySet()) {
            K key = entry.getKey();
            OUT partial = combiner.partial(key, entry.getValue());
            long timestamp = combiner.timestamp(key);
            if (timestamp == Long.MIN_VALUE) {
                reusable.replace(partial);
                reusable.eraseTimestamp();
            } else {
                reusable.replace(partial, timestamp);
            }
            output.collect(reusable);
        }
        buffer.clear();
    }
}
