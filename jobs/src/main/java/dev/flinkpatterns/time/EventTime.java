package dev.flinkpatterns.time;

import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Event time on a stream: timestamps from the records and the watermark of {@link WatermarkSettings}. Applied
 * where the records are parsed, at the source's parallelism, so each source split has its own watermark and
 * the operators downstream take the minimum, as Spark's default multi-watermark policy does.
 */
public final class EventTime {

    private EventTime() {}

    public static <T> DataStream<T> assign(
            DataStream<T> records, SerializableTimestampAssigner<T> timestamps, WatermarkSettings settings) {
        return assign(records, timestamps, settings, null);
    }

    /** As above, for one of several inputs of a job (each with its own watermark): {@code input} prefixes the uid. */
    public static <T> DataStream<T> assign(DataStream<T> records, SerializableTimestampAssigner<T> timestamps,
            WatermarkSettings settings, String input) {
        if (settings.sparkPolicy()) {
            if (records.getParallelism() != 1) {
                throw new IllegalStateException("the spark watermark policy needs the files read by one reader, in order");
            }
            String name = "event time, spark micro-batch watermark " + settings.delay();
            return records.transform(input == null ? name : input + " " + name, records.getType(),
                            new SparkMicroBatchWatermark<>(timestamps, settings.delay().toMillis()))
                    .setParallelism(1)
                    .uid(input == null ? "event-time" : input + "-event-time");
        }
        String name = settings.hasWatermark() ? "event time, watermark " + settings.delay() : "event time, no watermark";
        return records.assignTimestampsAndWatermarks(strategy(timestamps, settings))
                .setParallelism(records.getParallelism())
                .name(input == null ? name : input + " " + name)
                .uid(input == null ? "event-time" : input + "-event-time");
    }

    /**
     * Spark's micro-batch watermark over the rows of several inputs in one stream, read by one reader in batch order
     * (a join's two sides): each input's rows timed by {@code timestamps}, its watermark by its own {@code settings}
     * delay, the query's the minimum of them. {@code name} names the operator and prefixes its uid.
     */
    public static <T> DataStream<T> assignInMicroBatches(DataStream<T> records,
            SerializableTimestampAssigner<T> timestamps, SparkMicroBatchWatermark.InputOf<T> inputOf,
            java.util.List<WatermarkSettings> settings, String name) {
        if (records.getParallelism() != 1) {
            throw new IllegalStateException("the spark watermark policy needs the files read by one reader, in order");
        }
        long[] delays = settings.stream().mapToLong(input -> input.delay().toMillis()).toArray();
        return records.transform(name + " event time, spark micro-batch watermarks " + settings.stream()
                                .map(input -> input.delay().toString()).toList(), records.getType(),
                        new SparkMicroBatchWatermark<>(timestamps, inputOf, delays))
                .setParallelism(1)
                .uid(name + "-event-time");
    }

    /**
     * The stateful operators' output, for the console's last batch: with the spark policy the end of the input did
     * not close the state (as in Spark), so the end of event time is sent on here, after it.
     */
    public static <T> DataStream<T> afterState(DataStream<T> results, WatermarkSettings settings) {
        if (!settings.sparkPolicy()) {
            return results;
        }
        return results.transform("end of input", results.getType(), new EndOfInputWatermark<T>())
                .setParallelism(results.getParallelism())
                .uid("end-of-input");
    }

    static <T> WatermarkStrategy<T> strategy(SerializableTimestampAssigner<T> timestamps, WatermarkSettings settings) {
        WatermarkStrategy<T> strategy;
        if (!settings.hasWatermark()) {
            strategy = WatermarkStrategy.noWatermarks();
        } else if (settings.everyEvent()) {
            long delay = settings.delay().toMillis();
            strategy = context -> new EveryEventBoundedOutOfOrderness<>(delay);
        } else {
            strategy = WatermarkStrategy.forBoundedOutOfOrderness(settings.delay());
        }
        strategy = strategy.withTimestampAssigner(timestamps);
        if (settings.hasWatermark() && settings.idleTimeout() != null) {
            strategy = strategy.withIdleness(settings.idleTimeout());
        }
        return strategy;
    }

    /**
     * Flink's bounded out-of-orderness watermark ({@code max - delay - 1}: a row at exactly the watermark is late,
     * as in Spark where rows older than {@code max - delay} are), emitted after every event.
     */
    static final class EveryEventBoundedOutOfOrderness<T> implements WatermarkGenerator<T> {
        private final long delay;
        private long maxTimestamp = Long.MIN_VALUE;

        EveryEventBoundedOutOfOrderness(long delay) {
            this.delay = delay;
        }

        @Override
        public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
            if (eventTimestamp > maxTimestamp) {
                maxTimestamp = eventTimestamp;
                output.emitWatermark(new Watermark(maxTimestamp - delay - 1));
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {}
    }
}
