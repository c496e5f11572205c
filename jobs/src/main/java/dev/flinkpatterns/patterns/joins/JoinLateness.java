package dev.flinkpatterns.patterns.joins;

import dev.flinkpatterns.time.LateRows;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The join's own lateness check, by the join's watermark (the minimum of both sides'). A row on time by its own
 * side can still be behind it: when a side was idle, the other side alone moved the join's watermark, and the rows
 * of the side that wakes may have partners that already left the join's state (and, in an outer join, came out
 * null-padded). Such a row, at or behind the join's watermark, is late: counted and sent to the late rows, never
 * joined nor null-padded. (A left row at time t matches right rows from t + lower on, which leave the state once
 * the watermark reaches t; a right row at r matches left rows from r - upper on, which leave at r: the bounds cancel.)
 *
 * <p>The check runs keyed by the join key; the DataStream joins read its outputs without a shuffle (each join
 * instance sees exactly this instance's watermark), the SQL join through the planner's own exchange.
 */
final class JoinLateness extends KeyedCoProcessFunction<String, Row, Row, Row> {

    private final JoinDataset dataset;
    private final OutputTag<Row> rightRows;
    private final OutputTag<LateRows.LateRow> lateRows;
    private final LateRows.Reporter reporter = new LateRows.Reporter();

    private JoinLateness(JoinDataset dataset, OutputTag<Row> rightRows, OutputTag<LateRows.LateRow> lateRows) {
        this.dataset = dataset;
        this.rightRows = rightRows;
        this.lateRows = lateRows;
    }

    /** Both sides' rows ahead of the join's watermark, keyed by the join key as the join needs them, and the late ones. */
    record Checked(KeyedStream<Row, String> left, KeyedStream<Row, String> right, DataStream<LateRows.LateRow> late) {}

    static Checked check(DataStream<Row> left, DataStream<Row> right, JoinDataset dataset) {
        JoinSide l = dataset.left();
        JoinSide r = dataset.right();
        OutputTag<Row> rightTag = new OutputTag<>("right-rows", r.schema().rowType());
        OutputTag<LateRows.LateRow> lateTag = new OutputTag<>("late-rows", TypeInformation.of(LateRows.LateRow.class));
        SingleOutputStreamOperator<Row> checked = left.keyBy(l::key, Types.STRING)
                .connect(right.keyBy(r::key, Types.STRING))
                .process(new JoinLateness(dataset, rightTag, lateTag), l.schema().rowType())
                .name("split rows late at the join " + l.table() + " " + r.table())
                .uid("join-late-rows");
        return new Checked(DataStreamUtils.reinterpretAsKeyedStream(checked, l::key, Types.STRING),
                DataStreamUtils.reinterpretAsKeyedStream(checked.getSideOutput(rightTag), r::key, Types.STRING),
                checked.getSideOutput(lateTag));
    }

    @Override
    public void open(OpenContext openContext) {
        reporter.open(getRuntimeContext());
    }

    @Override
    public void processElement1(Row left, Context ctx, Collector<Row> out) {
        if (isLate(ctx)) {
            ctx.output(lateRows, reporter.late(ctx.timestamp(), ctx.timerService().currentWatermark(),
                    dataset.left().schema().toJson(left)));
        } else {
            out.collect(left);
        }
    }

    @Override
    public void processElement2(Row right, Context ctx, Collector<Row> out) {
        if (isLate(ctx)) {
            ctx.output(lateRows, reporter.late(ctx.timestamp(), ctx.timerService().currentWatermark(),
                    dataset.right().schema().toJson(right)));
        } else {
            ctx.output(rightRows, right);
        }
    }

    private static boolean isLate(Context ctx) {
        return ctx.timestamp() <= ctx.timerService().currentWatermark();
    }
}
