package dev.flinkpatterns.io.filetable;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.streaming.api.operators.TimestampedCollector;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;

/**
 * The stream side of {@link FileTable#join}: each row, keyed by its join key, meets the table version in broadcast
 * state at the time it arrives. A row that arrives before the first version waits in keyed state (checkpointed) and
 * is joined with the first version when it comes, so the result does not depend on which input was read first.
 * A new version replaces the whole table for the rows that arrive after it; rows already joined stay as they were.
 * Rows released from waiting keep their own record timestamps, and since the file's side holds the watermark back
 * until its first version (see {@link FileTable}), they are never late for event-time operators after the join.
 *
 * @param <T>   the stream's rows
 * @param <OUT> the joined rows
 */
public final class BroadcastJoin<T, OUT> extends KeyedBroadcastProcessFunction<String, T, TableSnapshot, OUT> {

    /** Metric: stream rows that found no table row (LEFT: joined with null; INNER: dropped). */
    public static final String UNMATCHED = "unmatchedRows";

    /** Broadcast state: the table's version number, under {@link #VERSION_KEY}. */
    public static final MapStateDescriptor<String, Long> VERSION =
            new MapStateDescriptor<>("table-version", Types.STRING, Types.LONG);
    static final String VERSION_KEY = "version";

    private final MapStateDescriptor<String, Row> rowsDescriptor;
    /** Orders waiting for the first version, with their record timestamps ({@code Long.MIN_VALUE}: none). */
    private final ListStateDescriptor<Tuple2<T, Long>> waitingDescriptor;
    private final FileTable.JoinType joinType;
    private final FileTable.Joiner<T, OUT> joiner;
    private transient ListState<Tuple2<T, Long>> waiting;
    private transient Counter unmatched;

    public BroadcastJoin(TypeInformation<Row> tableRowType, TypeInformation<T> streamType, FileTable.JoinType joinType,
            FileTable.Joiner<T, OUT> joiner) {
        this.rowsDescriptor = rows(tableRowType);
        this.waitingDescriptor = new ListStateDescriptor<>("waiting-for-first-version", Types.TUPLE(streamType, Types.LONG));
        this.joinType = joinType;
        this.joiner = joiner;
    }

    /** Broadcast state: the table's rows by key. */
    public static MapStateDescriptor<String, Row> rows(TypeInformation<Row> tableRowType) {
        return new MapStateDescriptor<>("table-rows", Types.STRING, tableRowType);
    }

    /** The broadcast states, for {@code stream.broadcast(...)} and test harnesses. */
    public MapStateDescriptor<?, ?>[] broadcastStates() {
        return new MapStateDescriptor<?, ?>[] {rowsDescriptor, VERSION};
    }

    @Override
    public void open(OpenContext openContext) {
        waiting = getRuntimeContext().getListState(waitingDescriptor);
        unmatched = getRuntimeContext().getMetricGroup().counter(UNMATCHED);
    }

    @Override
    public void processElement(T row, ReadOnlyContext ctx, Collector<OUT> out) throws Exception {
        if (ctx.getBroadcastState(VERSION).get(VERSION_KEY) == null) {
            Long timestamp = ctx.timestamp();
            waiting.add(Tuple2.of(row, timestamp == null ? Long.MIN_VALUE : timestamp));
            return;
        }
        join(row, ctx.getBroadcastState(rowsDescriptor).get(ctx.getCurrentKey()), out);
    }

    @Override
    public void processBroadcastElement(TableSnapshot snapshot, Context ctx, Collector<OUT> out) throws Exception {
        BroadcastState<String, Long> version = ctx.getBroadcastState(VERSION);
        Long current = version.get(VERSION_KEY);
        if (current != null && current >= snapshot.version()) {
            return; // a version this instance has (after a restore, the source may send it again)
        }
        BroadcastState<String, Row> rows = ctx.getBroadcastState(rowsDescriptor);
        rows.clear();
        rows.putAll(snapshot.rows());
        version.put(VERSION_KEY, snapshot.version());
        if (current == null) {
            ctx.applyToKeyedState(waitingDescriptor, (key, waitingRows) -> {
                Row match = snapshot.rows().get(key);
                List<Tuple2<T, Long>> released = new ArrayList<>();
                waitingRows.get().forEach(released::add);
                waitingRows.clear();
                for (Tuple2<T, Long> row : released) {
                    join(row.f0, match, withTimestamp(out, row.f1));
                }
            });
        }
    }

    /**
     * The output of an order that waited carries the order's own timestamp, as if it had been joined on arrival (not
     * the version's): event-time operators after the join see it as on time. The operator's collector is Flink's
     * {@link TimestampedCollector}; the function API has no other way to set an output's timestamp.
     */
    private static <OUT> Collector<OUT> withTimestamp(Collector<OUT> out, long timestamp) {
        if (out instanceof TimestampedCollector<OUT> timed) {
            if (timestamp == Long.MIN_VALUE) {
                timed.eraseTimestamp();
            } else {
                timed.setAbsoluteTimestamp(timestamp);
            }
        }
        return out;
    }

    private void join(T row, Row match, Collector<OUT> out) {
        if (match == null) {
            unmatched.inc();
            if (joinType == FileTable.JoinType.INNER) {
                return;
            }
        }
        out.collect(joiner.join(row, match));
    }
}
