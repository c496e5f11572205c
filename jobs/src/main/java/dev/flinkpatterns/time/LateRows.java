package dev.flinkpatterns.time;

import dev.flinkpatterns.parse.Timestamps;
import java.time.Duration;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Splits late rows off a keyed stream before its state sees them. It runs after the shuffle, where the
 * watermark is the minimum over all source splits (the one the window operator uses), so a row it lets
 * through is never dropped further on. Every late row is counted (metric and accumulator
 * {@value #LATE_ROWS}) and sent to a side output, so nothing disappears unseen.
 */
public final class LateRows<K, T> extends KeyedProcessFunction<K, T, T> {

    /** Metric (per subtask, web UI and reporters) and accumulator (the run's total). */
    public static final String LATE_ROWS = "numLateRowsDropped";

    private final LatenessRule rule;
    private final long allowedLateness;
    private final OutputTag<LateRow> lateTag;
    private final RowDescriber<T> describer;
    private transient Counter lateMetric;
    private transient LongCounter lateTotal;

    private LateRows(LatenessRule rule, Duration allowedLateness, OutputTag<LateRow> lateTag, RowDescriber<T> describer) {
        this.rule = rule;
        this.allowedLateness = allowedLateness.toMillis();
        this.lateTag = lateTag;
        this.describer = describer;
    }

    /** How a late row is written out: its fields as a JSON object. */
    @FunctionalInterface
    public interface RowDescriber<T> extends java.io.Serializable {
        String json(T row);
    }

    /** The rows on time, keyed as before (no second shuffle), and the late ones. */
    public record Split<K, T>(KeyedStream<T, K> onTime, DataStream<LateRow> late) {}

    public static <K, T> Split<K, T> split(
            KeyedStream<T, K> rows, LatenessRule rule, Duration allowedLateness, RowDescriber<T> describer) {
        OutputTag<LateRow> tag = new OutputTag<>("late-rows", TypeInformation.of(LateRow.class));
        SingleOutputStreamOperator<T> onTime = rows.process(new LateRows<>(rule, allowedLateness, tag, describer), rows.getType())
                .name("split late rows")
                .uid("late-rows");
        KeySelector<T, K> key = rows.getKeySelector();
        return new Split<>(DataStreamUtils.reinterpretAsKeyedStream(onTime, key, rows.getKeyType()), onTime.getSideOutput(tag));
    }

    @Override
    public void open(OpenContext openContext) {
        lateMetric = getRuntimeContext().getMetricGroup().counter(LATE_ROWS);
        lateTotal = getRuntimeContext().getLongCounter(LATE_ROWS);
    }

    @Override
    public void processElement(T row, Context ctx, Collector<T> out) {
        long eventTime = ctx.timestamp();
        long watermark = ctx.timerService().currentWatermark();
        if (rule.lastTimestampOf(eventTime) + allowedLateness <= watermark) {
            lateMetric.inc();
            lateTotal.add(1);
            ctx.output(lateTag, new LateRow(Timestamps.display(eventTime), Timestamps.display(watermark), describer.json(row)));
        } else {
            out.collect(row);
        }
    }

    /** A row dropped as late: its event time, the watermark that made it late, the row itself. */
    public record LateRow(String eventTime, String watermark, String row) {
        public String toJson() {
            return "{\"event_time\":\"" + eventTime + "\",\"watermark\":\"" + watermark + "\",\"row\":" + row + "}";
        }
    }
}
