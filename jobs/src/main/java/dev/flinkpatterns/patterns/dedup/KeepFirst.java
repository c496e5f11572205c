package dev.flinkpatterns.patterns.dedup;

import java.util.stream.Stream;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Spark's {@code dropDuplicates}, on a keyed stream: the first row of each key goes through, later ones are
 * dropped. A key is remembered until the watermark passes the first row's event time plus {@code retention}, when
 * an event-time timer forgets it: state stays bounded on an endless stream. Rows must carry event-time timestamps.
 *
 * <p>The keys remembered are only in Flink's keyed state (a {@code ValueState} per key, in RocksDB) and its timers,
 * so a checkpoint always holds exactly what the operator knows: restarts, savepoints and rescaling need nothing
 * of their own. Without a watermark (kept forever, as Spark does) the state grows with the number of distinct keys.
 */
public final class KeepFirst<K, T> extends AbstractStreamOperator<T>
        implements OneInputStreamOperator<T, T>, Triggerable<K, VoidNamespace> {

    /** Never forget a key (no watermark: Spark keeps dedup state forever too). */
    public static final long KEEP_FOREVER = -1;

    /** Metric: keys remembered now, in this subtask. */
    public static final String KEYS_REMEMBERED = "dedupKeysRemembered";

    static final String STATE_NAME = "first-row-expiry";
    private static final String TIMERS_NAME = "first-row-expiry-timers";

    private final long retention;

    /** Per key, the watermark at which it is forgotten ({@link Long#MAX_VALUE}: never). */
    private transient ValueState<Long> expiry;
    private transient InternalTimerService<VoidNamespace> expiryTimers;
    /** For the gauge only: counted from the keyed state on restore, then kept up to date. */
    private transient long keysRemembered;

    /** @param retention milliseconds after a key's first event time that it is still remembered, or {@link #KEEP_FOREVER} */
    public KeepFirst(long retention) {
        if (retention < 0 && retention != KEEP_FOREVER) {
            throw new IllegalArgumentException("retention must not be negative, got " + retention);
        }
        this.retention = retention;
    }

    /** A key's state, also read by {@code ./patterns state show}; a new one each time, as it keeps its serializer. */
    public static ValueStateDescriptor<Long> expiryState() {
        return new ValueStateDescriptor<>(STATE_NAME, Types.LONG);
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        expiry = context.getKeyedStateStore().getState(expiryState());
        keysRemembered = 0;
        if (context.isRestored()) {
            try (Stream<Object> keys = getKeyedStateBackend().getKeys(STATE_NAME, VoidNamespace.INSTANCE)) {
                keysRemembered = keys.count();
            }
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        expiryTimers = getInternalTimerService(TIMERS_NAME, VoidNamespaceSerializer.INSTANCE, this);
        getMetricGroup().gauge(KEYS_REMEMBERED, () -> keysRemembered);
    }

    @Override
    public void processElement(StreamRecord<T> element) throws Exception {
        if (expiry.value() != null) {
            return;
        }
        if (retention == KEEP_FOREVER) {
            expiry.update(Long.MAX_VALUE);
        } else {
            long forgetAt = element.getTimestamp() + retention;
            expiry.update(forgetAt);
            expiryTimers.registerEventTimeTimer(VoidNamespace.INSTANCE, forgetAt);
        }
        keysRemembered++;
        output.collect(element);
    }

    @Override
    public void onEventTime(InternalTimer<K, VoidNamespace> timer) {
        // The timer service has set the timer's key as the current key.
        expiry.clear();
        keysRemembered--;
    }

    @Override
    public void onProcessingTime(InternalTimer<K, VoidNamespace> timer) {
        // No processing-time timers are registered.
    }
}
