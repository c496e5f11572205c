package dev.flinkpatterns.patterns.dedup;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Spark's {@code dropDuplicates}: the first row of each key goes through, later ones are dropped. The key is
 * remembered until the watermark passes the first row's event time plus {@code retention}, when an event-time
 * timer forgets it: state stays bounded on an endless stream. Rows must carry event-time timestamps.
 */
public final class KeepFirst<K, T> extends KeyedProcessFunction<K, T, T> {

    /** Never forget a key (no watermark: Spark keeps dedup state forever too). */
    public static final long KEEP_FOREVER = -1;

    private final long retention;
    private transient ValueState<Boolean> seen;

    /** @param retention milliseconds after a key's first event time that it is still remembered, or {@link #KEEP_FOREVER} */
    public KeepFirst(long retention) {
        if (retention < 0 && retention != KEEP_FOREVER) {
            throw new IllegalArgumentException("retention must not be negative, got " + retention);
        }
        this.retention = retention;
    }

    @Override
    public void open(OpenContext openContext) {
        seen = getRuntimeContext().getState(new ValueStateDescriptor<>("seen", Types.BOOLEAN));
    }

    @Override
    public void processElement(T row, Context ctx, Collector<T> out) throws Exception {
        if (seen.value() != null) {
            return;
        }
        seen.update(true);
        out.collect(row);
        if (retention != KEEP_FOREVER) {
            ctx.timerService().registerEventTimeTimer(ctx.timestamp() + retention);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<T> out) {
        seen.clear();
    }
}
