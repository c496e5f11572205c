package dev.flinkpatterns.patterns.joins;

import dev.flinkpatterns.table.Change;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.typeutils.TupleTypeInfo;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;

/**
 * A left, right or full outer interval join per key, as Spark runs one: every row is buffered with a matched flag
 * for as long as a row of the other side could still match it; a left row until the watermark passes its time
 * plus the upper bound, a right row until it passes its time minus the lower bound. Then an unmatched row of an
 * outer side is emitted with nulls for the other side, and the row leaves the state. The end of a bounded input
 * (the final watermark) flushes every outer row.
 */
public final class OuterIntervalJoin extends KeyedCoProcessFunction<String, Row, Row, Change> {

    private final JoinDataset dataset;
    private final JoinType type;
    private final long lower;
    private final long upper;
    /** Rows of a side by event time, each with whether it has matched. */
    private transient MapState<Long, List<Tuple2<Row, Boolean>>> leftRows;
    private transient MapState<Long, List<Tuple2<Row, Boolean>>> rightRows;

    public OuterIntervalJoin(JoinDataset dataset, JoinType type) {
        if (type == JoinType.INNER) {
            throw new IllegalArgumentException("an inner join keeps no unmatched rows: use DataStream#intervalJoin");
        }
        this.dataset = dataset;
        this.type = type;
        this.lower = dataset.lowerBound().toMillis();
        this.upper = dataset.upperBound().toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        leftRows = getRuntimeContext().getMapState(buffer("left-rows", dataset.left()));
        rightRows = getRuntimeContext().getMapState(buffer("right-rows", dataset.right()));
    }

    private static MapStateDescriptor<Long, List<Tuple2<Row, Boolean>>> buffer(String name, JoinSide side) {
        TypeInformation<Tuple2<Row, Boolean>> flagged = new TupleTypeInfo<>(side.schema().rowType(), Types.BOOLEAN);
        return new MapStateDescriptor<>(name, Types.LONG, Types.LIST(flagged));
    }

    @Override
    public void processElement1(Row left, Context ctx, Collector<Change> out) throws Exception {
        long time = ctx.timestamp();
        boolean matched = matchAgainst(rightRows, time + lower, time + upper, right -> dataset.toChange(left, right), out);
        add(leftRows, time, left, matched);
        ctx.timerService().registerEventTimeTimer(time + upper);
    }

    @Override
    public void processElement2(Row right, Context ctx, Collector<Change> out) throws Exception {
        long time = ctx.timestamp();
        boolean matched = matchAgainst(leftRows, time - upper, time - lower, left -> dataset.toChange(left, right), out);
        add(rightRows, time, right, matched);
        ctx.timerService().registerEventTimeTimer(time - lower);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Change> out) throws Exception {
        // A timer is the expiry of the left rows at timestamp - upper and of the right rows at timestamp + lower.
        expire(leftRows, timestamp - upper, type.keepsUnmatchedLeft(), left -> dataset.toChange(left, null), out);
        expire(rightRows, timestamp + lower, type.keepsUnmatchedRight(), right -> dataset.toChange(null, right), out);
    }

    private interface Joiner {
        Change with(Row other);
    }

    /** Emits a joined row for every buffered row of the other side in [from, to] and marks those matched. */
    private static boolean matchAgainst(MapState<Long, List<Tuple2<Row, Boolean>>> others, long from, long to,
            Joiner joiner, Collector<Change> out) throws Exception {
        List<Map.Entry<Long, List<Tuple2<Row, Boolean>>>> newlyMatched = new ArrayList<>();
        boolean matched = false;
        for (Map.Entry<Long, List<Tuple2<Row, Boolean>>> bucket : others.entries()) {
            if (bucket.getKey() < from || bucket.getKey() > to) {
                continue;
            }
            boolean flagged = false;
            for (Tuple2<Row, Boolean> other : bucket.getValue()) {
                out.collect(joiner.with(other.f0));
                matched = true;
                if (!other.f1) {
                    other.f1 = true;
                    flagged = true;
                }
            }
            if (flagged) {
                newlyMatched.add(Map.entry(bucket.getKey(), bucket.getValue()));
            }
        }
        // Written back after the iteration: state backends other than the heap copy what they return.
        for (Map.Entry<Long, List<Tuple2<Row, Boolean>>> bucket : newlyMatched) {
            others.put(bucket.getKey(), bucket.getValue());
        }
        return matched;
    }

    private static void add(MapState<Long, List<Tuple2<Row, Boolean>>> rows, long time, Row row, boolean matched)
            throws Exception {
        List<Tuple2<Row, Boolean>> bucket = rows.get(time);
        if (bucket == null) {
            bucket = new ArrayList<>();
        }
        bucket.add(Tuple2.of(row, matched));
        rows.put(time, bucket);
    }

    private static void expire(MapState<Long, List<Tuple2<Row, Boolean>>> rows, long time, boolean keepUnmatched,
            Joiner padded, Collector<Change> out) throws Exception {
        List<Tuple2<Row, Boolean>> bucket = rows.get(time);
        if (bucket == null) {
            return;
        }
        if (keepUnmatched) {
            for (Tuple2<Row, Boolean> row : bucket) {
                if (!row.f1) {
                    out.collect(padded.with(row.f0));
                }
            }
        }
        rows.remove(time);
    }
}
