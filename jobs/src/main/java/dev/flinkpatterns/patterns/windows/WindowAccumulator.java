package dev.flinkpatterns.patterns.windows;

import java.util.HashSet;
import java.util.Set;
import org.apache.flink.api.common.functions.AggregateFunction;

/** count, sum, min, max and the exact set of distinct values of one window and key (avg = sum / count). */
public final class WindowAccumulator {
    public long count;
    public double sum;
    public double min = Double.POSITIVE_INFINITY;
    public double max = Double.NEGATIVE_INFINITY;
    /** Exact, as Spark's {@code countDistinct} (not {@code approx_count_distinct}); null when not asked for. */
    public Set<String> distinct;

    public WindowAccumulator() {}

    public double average() {
        return count == 0 ? Double.NaN : sum / count;
    }

    /** Adds rows one by one; one instance serves every window. */
    public static final class Aggregate implements AggregateFunction<Measurement, WindowAccumulator, WindowAccumulator> {
        private final boolean hasValue;
        private final boolean hasDistinct;

        public Aggregate(WindowQuery query) {
            this.hasValue = query.hasValue();
            this.hasDistinct = query.hasDistinct();
        }

        @Override
        public WindowAccumulator createAccumulator() {
            WindowAccumulator acc = new WindowAccumulator();
            if (hasDistinct) {
                acc.distinct = new HashSet<>();
            }
            return acc;
        }

        @Override
        public WindowAccumulator add(Measurement row, WindowAccumulator acc) {
            acc.count++;
            if (hasValue) {
                acc.sum += row.value();
                acc.min = Math.min(acc.min, row.value());
                acc.max = Math.max(acc.max, row.value());
            }
            if (hasDistinct) {
                acc.distinct.add(row.distinct());
            }
            return acc;
        }

        @Override
        public WindowAccumulator getResult(WindowAccumulator acc) {
            return acc;
        }

        @Override
        public WindowAccumulator merge(WindowAccumulator a, WindowAccumulator b) {
            a.count += b.count;
            a.sum += b.sum;
            a.min = Math.min(a.min, b.min);
            a.max = Math.max(a.max, b.max);
            if (a.distinct != null && b.distinct != null) {
                a.distinct.addAll(b.distinct);
            }
            return a;
        }
    }
}
