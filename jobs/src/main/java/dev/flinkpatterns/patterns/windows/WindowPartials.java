package dev.flinkpatterns.patterns.windows;

import dev.flinkpatterns.combine.Combiner;
import dev.flinkpatterns.combine.LocalCombine;
import dev.flinkpatterns.core.Trigger;
import java.math.BigInteger;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The rows of a window aggregation as partial aggregates, which the window operator merges. Tumbling and sliding
 * windows are pre-aggregated where the rows are read, per key and pane (the window size, or the greatest common
 * divisor of size and slide: every window is a whole number of panes), so the shuffle and the window state see one
 * partial per key and pane per flush instead of every row. A partial carries the last millisecond of its pane as
 * its timestamp, which the window assigner places in exactly the windows that contain the pane. Session windows
 * (they merge by the rows' own times), the continuous trigger (every row at once) and an aggregation without
 * window (a running aggregate shows every row) get one partial per row.
 */
final class WindowPartials {

    static final TypeInformation<Partial> TYPE = TypeInformation.of(Partial.class);

    private WindowPartials() {}

    /** The aggregate of some rows of one key: of a pane, or of a single row. */
    public record Partial(String key, WindowAccumulator accumulator) {}

    static DataStream<Partial> of(DataStream<Measurement> rows, WindowQuery query, Trigger trigger) {
        WindowAccumulator.Aggregate aggregate = new WindowAccumulator.Aggregate(query);
        WindowSpec window = query.window();
        if (window == null || window.kind() == WindowSpec.Kind.SESSION || trigger.kind() == Trigger.Kind.CONTINUOUS) {
            return rows.map(row -> new Partial(row.key(), aggregate.add(row, aggregate.createAccumulator())))
                    .returns(TYPE)
                    .setParallelism(rows.getParallelism())
                    .name("rows as partials")
                    .uid("window-partials");
        }
        return LocalCombine.combine(rows, new PaneCombiner(aggregate, paneMillis(window)), TYPE,
                "pre-aggregate per " + window.kind().name().toLowerCase() + " window pane", "window-partials");
    }

    static long paneMillis(WindowSpec window) {
        return BigInteger.valueOf(window.size().toMillis()).gcd(BigInteger.valueOf(window.slide().toMillis())).longValueExact();
    }

    /** Merges partials into the window's accumulator. */
    static final class MergePartials implements AggregateFunction<Partial, WindowAccumulator, WindowAccumulator> {
        private final WindowAccumulator.Aggregate aggregate;

        MergePartials(WindowQuery query) {
            this.aggregate = new WindowAccumulator.Aggregate(query);
        }

        @Override
        public WindowAccumulator createAccumulator() {
            return aggregate.createAccumulator();
        }

        @Override
        public WindowAccumulator add(Partial partial, WindowAccumulator accumulator) {
            return aggregate.merge(accumulator, partial.accumulator());
        }

        @Override
        public WindowAccumulator getResult(WindowAccumulator accumulator) {
            return accumulator;
        }

        @Override
        public WindowAccumulator merge(WindowAccumulator a, WindowAccumulator b) {
            return aggregate.merge(a, b);
        }
    }

    /** A key and the end of a pane. */
    record PaneKey(String key, long paneEnd) {}

    private static final class PaneCombiner implements Combiner<Measurement, PaneKey, WindowAccumulator, Partial> {
        private final WindowAccumulator.Aggregate aggregate;
        private final long paneMillis;

        PaneCombiner(WindowAccumulator.Aggregate aggregate, long paneMillis) {
            this.aggregate = aggregate;
            this.paneMillis = paneMillis;
        }

        @Override
        public PaneKey key(Measurement row) {
            return new PaneKey(row.key(), Math.floorDiv(row.eventTime(), paneMillis) * paneMillis + paneMillis);
        }

        @Override
        public WindowAccumulator create(PaneKey key) {
            return aggregate.createAccumulator();
        }

        @Override
        public WindowAccumulator add(WindowAccumulator accumulator, Measurement row) {
            return aggregate.add(row, accumulator);
        }

        @Override
        public Partial partial(PaneKey key, WindowAccumulator accumulator) {
            return new Partial(key.key(), accumulator);
        }

        @Override
        public long timestamp(PaneKey key) {
            return key.paneEnd() - 1;
        }
    }
}
