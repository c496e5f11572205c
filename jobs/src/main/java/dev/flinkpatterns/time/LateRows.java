package dev.flinkpatterns.time;

import dev.flinkpatterns.parse.Timestamps;
import java.time.Duration;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Splits late rows off a stream before any state sees them. It runs where the rows are read (chained to the
 * source, before any shuffle) and judges each row by the watermark of that reader: a row behind it is late. A row
 * it lets through is never dropped further on, because a watermark only falls on its way through a shuffle (an
 * operator takes the minimum over its inputs) and the row travels ahead of the reader's next watermark. Every
 * late row is counted (metric and accumulator {@value #LATE_ROWS}) and sent to a side output, so nothing
 * disappears unseen.
 */
public final class LateRows<T> extends ProcessFunction<T, T> {

    /** Metric (per subtask, web UI and reporters) and accumulator (the run's total). */
    public static final String LATE_ROWS = "numLateRowsDropped";

    private final LatenessRule rule;
    private final long allowedLateness;
    private final OutputTag<LateRow> lateTag;
    private final RowDescriber<T> describer;
    private final Reporter reporter = new Reporter();

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

    /** As below, by the rule {@code rule} takes under {@code settings}' policy, with its allowed lateness. */
    public static <T> Split<T> split(
            DataStream<T> rows, LatenessRule rule, WatermarkSettings settings, RowDescriber<T> describer) {
        return split(rows, rule.under(settings), settings.allowedLateness(), describer, null);
    }

    /** The rows on time and the late ones. */
    public record Split<T>(DataStream<T> onTime, DataStream<LateRow> late) {}

    /** Splits {@code rows} (with timestamps and watermarks assigned) in place, at their parallelism. */
    public static <T> Split<T> split(
            DataStream<T> rows, LatenessRule rule, Duration allowedLateness, RowDescriber<T> describer) {
        return split(rows, rule, allowedLateness, describer, null);
    }

    /** As above, for one of several inputs of a job, each judged by its own watermark: {@code input} prefixes the uid. */
    public static <T> Split<T> split(DataStream<T> rows, LatenessRule rule, Duration allowedLateness,
            RowDescriber<T> describer, String input) {
        OutputTag<LateRow> tag = new OutputTag<>("late-rows", TypeInformation.of(LateRow.class));
        SingleOutputStreamOperator<T> onTime = rows.process(new LateRows<>(rule, allowedLateness, tag, describer), rows.getType())
                .setParallelism(rows.getParallelism())
                .name(input == null ? "split late rows" : "split late " + input)
                .uid(input == null ? "late-rows" : input + "-late-rows");
        return new Split<>(onTime, onTime.getSideOutput(tag));
    }
    @Override
    public void open(OpenContext openContext) {
        reporter.open(getRuntimeContext());
    }

    @Override
    public void processElement(T row, Context ctx, Collector<T> out) {
        long eventTime = ctx.timestamp();
        long watermark = ctx.timerService().currentWatermark();
        if (rule.lastTimestampOf(eventTime) + allowedLateness <= watermark) {
            ctx.output(lateTag, reporter.late(eventTime, watermark, describer.json(row)));
        } else {
            out.collect(row);
        }
    }

    /**
     * Counts late rows (metric and accumulator {@value #LATE_ROWS}) and describes them, for every operator that
     * judges lateness: this split, and a join by its own watermark.
     */
    public static final class Reporter implements java.io.Serializable {
        private transient Counter metric;
        private transient LongCounter total;

        public void open(RuntimeContext context) {
            metric = context.getMetricGroup().counter(LATE_ROWS);
            total = context.getLongCounter(LATE_ROWS);
        }

        /** Counts one late row and returns it as the late-rows output writes it. */
        public LateRow late(long eventTime, long watermark, String rowJson) {
            metric.inc();
            total.add(1);
            return new LateRow(Timestamps.display(eventTime), Timestamps.display(watermark), rowJson);
        }
    }

    /** A row dropped as late: its event time, the watermark that made it late, the row itself. */
    public record LateRow(String eventTime, String watermark, String row) {
        public String toJson() {
            return "{\"event_time\":\"" + eventTime + "\",\"watermark\":\"" + watermark + "\",\"row\":" + row + "}";
        }
    }
}
