package dev.flinkpatterns.table;

import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns a stream of row changes into Spark-style micro-batches of a result table, by output mode and
 * trigger. It runs with parallelism 1 on a single key (Spark's console sink also prints from one place),
 * keeps the table in keyed state so batch numbers and the table survive a restore, and flushes what is
 * pending when the input ends (the end-of-input watermark fires a timer at {@code Long.MAX_VALUE}).
 *
 * <p>In append mode a batch can hold millions of rows (a whole directory under {@code available-now}) while
 * the console shows its first few: with a {@code rowLimit} only the first rows of each batch (in key order) are
 * kept, in memory and in state, and a row that sorts after them costs a comparison, not a state write.
 */
public final class MicroBatcher extends KeyedProcessFunction<Integer, Change, ResultBatch> {

    /** The single key every change is routed to. */
    public static final int KEY = 0;

    private final OutputMode mode;
    private final List<String> columns;
    private final Trigger trigger;
    private final int rowLimit;

    /** Complete mode: the whole table. */
    private transient MapState<String, List<String>> table;
    /** Append and update mode: rows since the last batch. */
    private transient MapState<String, List<String>> pending;
    private transient ValueState<Boolean> changed;
    private transient ValueState<Long> nextBatchId;
    /** Whether a flush is scheduled, as in {@code changed}; null until read after a (re)start. */
    private transient Boolean flushScheduled;
    /** Append mode with a row limit: the pending rows, as in {@code pending}; null until read after a (re)start. */
    private transient TreeMap<String, List<String>> firstPending;
    /** Append mode: the last copy number given to a key with equal rows in this batch (empty after a restart). */
    private transient Map<String, Integer> lastCopy;

    /** Every row of every batch. */
    public MicroBatcher(OutputMode mode, List<String> columns, Trigger trigger) {
        this(mode, columns, trigger, Integer.MAX_VALUE);
    }

    /** Append-mode batches keep their first {@code rowLimit} rows only (the console asks for one more than it shows). */
    public MicroBatcher(OutputMode mode, List<String> columns, Trigger trigger, int rowLimit) {
        if (rowLimit < 1) {
            throw new IllegalArgumentException("rowLimit must be positive, got " + rowLimit);
        }
        this.mode = mode;
        this.columns = List.copyOf(columns);
        this.trigger = trigger;
        this.rowLimit = mode == OutputMode.APPEND ? rowLimit : Integer.MAX_VALUE;
    }

    @Override
    public void open(OpenContext openContext) {
        var rowType = Types.LIST(Types.STRING);
        table = getRuntimeContext().getMapState(new MapStateDescriptor<>("result-table", Types.STRING, rowType));
        pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending-rows", Types.STRING, rowType));
        changed = getRuntimeContext().getState(new ValueStateDescriptor<>("changed", Types.BOOLEAN));
        nextBatchId = getRuntimeContext().getState(new ValueStateDescriptor<>("next-batch-id", Types.LONG));
        lastCopy = new HashMap<>();
    }

    @Override
    public void processElement(Change change, Context ctx, Collector<ResultBatch> out) throws Exception {
        if (rowLimit != Integer.MAX_VALUE) {
            keepIfAmongFirst(change);
        } else {
            MapState<String, List<String>> rows = mode == OutputMode.COMPLETE ? table : pending;
            if (change.isDelete()) {
                // Complete mode drops the row from the table; update mode has no way to show a deletion (as Spark).
                rows.remove(change.key());
            } else {
                rows.put(mode == OutputMode.APPEND ? unique(change.key()) : change.key(), ShownValues.show(change.cells()));
            }
        }
        boolean alreadyScheduled = isFlushScheduled();
        if (!alreadyScheduled) {
            changed.update(true);
            flushScheduled = true;
        }
        // After the end of event time (a drained stop sends it while the last windows are on their way) no timer
        // fires any more: show the change now.
        if (trigger.kind() == Trigger.Kind.CONTINUOUS || ctx.timerService().currentWatermark() == Long.MAX_VALUE) {
            emit(out);
            return;
        }
        if (!alreadyScheduled) {
            // End of input (or a drained stop) flushes whatever is pending.
            ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
            if (!trigger.isBounded()) {
                ctx.timerService().registerProcessingTimeTimer(nextEmission(ctx.timerService().currentProcessingTime()));
            }
        }
    }

    private boolean isFlushScheduled() throws Exception {
        if (flushScheduled == null) {
            flushScheduled = Boolean.TRUE.equals(changed.value());
        }
        return flushScheduled;
    }

    /** Append rows never change or go away: a row is kept while fewer than {@code rowLimit} rows sort before it. */
    private void keepIfAmongFirst(Change change) throws Exception {
        TreeMap<String, List<String>> first = firstPendingRows();
        String key = change.key();
        if (change.isDelete()) {
            first.remove(key);
            pending.remove(key);
            return;
        }
        key = unique(key);
        if (first.size() >= rowLimit && key.compareTo(first.lastKey()) > 0) {
            return;
        }
        List<String> shown = ShownValues.show(change.cells());
        first.put(key, shown);
        pending.put(key, shown);
        if (first.size() > rowLimit) {
            pending.remove(first.pollLastEntry().getKey());
        }
    }

    /**
     * Every appended row is a row, equal ones too (a row read twice joins twice, as in Spark): a key already pending
     * gets a suffix, sorting right after it.
     */
    private String unique(String key) throws Exception {
        if (!pending.contains(key)) {
            return key;
        }
        // Starts after the last copy numbered in this batch, so many equal rows cost one lookup each, not a scan.
        int copy = lastCopy.getOrDefault(key, 0);
        String unique;
        do {
            unique = key + '\u0000' + ++copy;
        } while (pending.contains(unique));
        lastCopy.put(key, copy);
        return unique;
    }

    private TreeMap<String, List<String>> firstPendingRows() throws Exception {
        if (firstPending == null) {
            firstPending = new TreeMap<>();
            for (Map.Entry<String, List<String>> row : pending.entries()) {
                firstPending.put(row.getKey(), row.getValue());
            }
        }
        return firstPending;
    }

    private long nextEmission(long now) {
        long interval = trigger.interval().toMillis();
        if (trigger.kind() == Trigger.Kind.PROCESSING_TIME) {
            return (now / interval + 1) * interval; // aligned to the clock, as Spark's ProcessingTime trigger
        }
        return now + interval;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ResultBatch> out) throws Exception {
        if (isFlushScheduled()) {
            emit(out);
        }
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            ctx.timerService().deleteEventTimeTimer(Long.MAX_VALUE);
        }
    }

    private void emit(Collector<ResultBatch> out) throws Exception {
        MapState<String, List<String>> rows = mode == OutputMode.COMPLETE ? table : pending;
        Map<String, List<String>> sorted = new TreeMap<>();
        for (Map.Entry<String, List<String>> row : rows.entries()) {
            sorted.put(row.getKey(), row.getValue());
        }
        long batchId = nextBatchId.value() == null ? 0 : nextBatchId.value();
        out.collect(new ResultBatch(batchId, columns, new ArrayList<>(sorted.values())));
        nextBatchId.update(batchId + 1);
        pending.clear();
        changed.clear();
        flushScheduled = false;
        if (firstPending != null) {
            firstPending.clear();
        }
        lastCopy.clear();
    }
}
