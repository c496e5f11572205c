package dev.flinkpatterns.patterns.dedup;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Spark's {@code dropDuplicates}, on a keyed stream: the first row of each key goes through, later ones are
 * dropped. A key is remembered until the watermark passes the first row's event time plus {@code retention}, then
 * forgotten: state stays bounded on an endless stream. Rows must carry event-time timestamps.
 *
 * <p>The keys remembered live in memory, indexed by the time they expire; the keyed state (RocksDB) gets the
 * changes when a checkpoint is taken, not per row. Most keys of a stream with the time in the key come and go
 * between two checkpoints and never touch RocksDB, which is what makes this fast (a RocksDB read, write and delete
 * per row cost more than everything else the job does). A restored operator reads its keys back from the keyed
 * state, so checkpoints, restarts and rescaling work as with plain keyed state. Memory: one entry per key
 * remembered; without a watermark (kept forever, as Spark does) that grows with the number of distinct keys.
 */
public final class KeepFirst<K, T> extends AbstractStreamOperator<T> implements OneInputStreamOperator<T, T> {

    /** Never forget a key (no watermark: Spark keeps dedup state forever too). */
    public static final long KEEP_FOREVER = -1;

    /** Metric: keys remembered now, in this subtask. */
    public static final String KEYS_REMEMBERED = "dedupKeysRemembered";

    static final String STATE_NAME = "first-row-expiry";

    private final long retention;

    /** Checkpointed copy: per key, the watermark at which it is forgotten. */
    private transient ValueState<Long> savedExpiry;
    private transient Map<K, Memory> remembered;
    private transient TreeMap<Long, List<K>> byExpiry;
    /** Forgotten since the last checkpoint, still in the keyed state. */
    private transient Set<K> forgottenButSaved;

    /** When a key is forgotten, and whether the keyed state has it yet. */
    private static final class Memory {
        final long expiry;
        boolean saved;

        Memory(long expiry, boolean saved) {
            this.expiry = expiry;
            this.saved = saved;
        }
    }

    /** @param retention milliseconds after a key's first event time that it is still remembered, or {@link #KEEP_FOREVER} */
    public KeepFirst(long retention) {
        if (retention < 0 && retention != KEEP_FOREVER) {
            throw new IllegalArgumentException("retention must not be negative, got " + retention);
        }
        this.retention = retention;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        savedExpiry = context.getKeyedStateStore().getState(new ValueStateDescriptor<>(STATE_NAME, Types.LONG));
        remembered = new HashMap<>();
        byExpiry = new TreeMap<>();
        forgottenButSaved = new HashSet<>();
        if (context.isRestored()) {
            List<K> keys;
            try (Stream<K> saved = (Stream<K>) getKeyedStateBackend().getKeys(STATE_NAME, VoidNamespace.INSTANCE)) {
                keys = saved.toList();
            }
            for (K key : keys) {
                setCurrentKey(key);
                remember(key, savedExpiry.value(), true);
            }
        }
        getMetricGroup().gauge(KEYS_REMEMBERED, () -> remembered.size());
    }

    @Override
    @SuppressWarnings("unchecked")
    public void processElement(StreamRecord<T> element) {
        K key = (K) getCurrentKey();
        if (remembered.containsKey(key)) {
            return;
        }
        remember(key, retention == KEEP_FOREVER ? Long.MAX_VALUE : element.getTimestamp() + retention, false);
        output.collect(element);
    }

    private void remember(K key, long expiry, boolean saved) {
        remembered.put(key, new Memory(expiry, saved));
        if (expiry != Long.MAX_VALUE) {
            byExpiry.computeIfAbsent(expiry, time -> new ArrayList<>(1)).add(key);
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        // As an event-time timer at the expiry would: forgotten once the watermark reaches it.
        while (!byExpiry.isEmpty() && byExpiry.firstKey() <= mark.getTimestamp()) {
            for (K key : byExpiry.pollFirstEntry().getValue()) {
                if (remembered.remove(key).saved) {
                    forgottenButSaved.add(key);
                }
            }
        }
        super.processWatermark(mark);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        // Runs before the keyed state backend is snapshotted: the checkpoint holds exactly the keys remembered.
        for (Map.Entry<K, Memory> entry : remembered.entrySet()) {
            Memory memory = entry.getValue();
            if (!memory.saved) {
                setCurrentKey(entry.getKey());
                savedExpiry.update(memory.expiry);
                memory.saved = true;
            }
        }
        for (K key : forgottenButSaved) {
            setCurrentKey(key);
            savedExpiry.clear();
        }
        forgottenButSaved.clear();
        super.snapshotState(context);
    }
}
