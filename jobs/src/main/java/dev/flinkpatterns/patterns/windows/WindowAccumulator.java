package dev.flinkpatterns.patterns.windows;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * The state of one window and key: the row count, and per output of the query ({@link WindowQuery#outputs()}, by
 * position) what its aggregate needs: a sum, a minimum or a maximum, the exact set of distinct values
 * ({@code count(DISTINCT)}), or a HyperLogLog sketch ({@code approx_count_distinct}). avg = sum / count.
 */
public final class WindowAccumulator {
    public long count;
    public double[] numbers;
    /** Per output: the distinct values, or null when the output is no count(DISTINCT). */
    public List<Set<String>> distinct;
    /** Per output: the sketch, or null when the output is no approx_count_distinct. */
    public List<HyperLogLog> sketches;

    public WindowAccumulator() {}

    /** The value of output {@code i} of {@code query}, typed as the result column. */
    Object result(WindowQuery query, int i) {
        WindowQuery.Output output = query.outputs().get(i);
        return switch (output.aggregate()) {
            case COUNT -> count;
            case SUM, MIN, MAX -> count == 0 ? null : Cells.number(numbers[i], output.integral());
            case AVG -> count == 0 ? null : Cells.decimal(numbers[i] / count);
            case COUNT_DISTINCT -> (long) distinct.get(i).size();
            case APPROX_COUNT_DISTINCT -> sketches.get(i).estimate();
        };
    }

    /** Adds rows one by one; one instance serves every window. */
    public static final class Aggregate implements AggregateFunction<Measurement, WindowAccumulator, WindowAccumulator> {
        private final WindowQuery.Aggregate[] aggregates;
        private final int[] inputs;

        public Aggregate(WindowQuery query) {
            List<WindowQuery.Output> outputs = query.outputs();
            this.aggregates = outputs.stream().map(WindowQuery.Output::aggregate).toArray(WindowQuery.Aggregate[]::new);
            this.inputs = outputs.stream().mapToInt(query::inputIndex).toArray();
        }

        @Override
        public WindowAccumulator createAccumulator() {
            WindowAccumulator acc = new WindowAccumulator();
            acc.numbers = new double[aggregates.length];
            acc.distinct = new ArrayList<>();
            acc.sketches = new ArrayList<>();
            for (int i = 0; i < aggregates.length; i++) {
                acc.numbers[i] = switch (aggregates[i]) {
                    case MIN -> Double.POSITIVE_INFINITY;
                    case MAX -> Double.NEGATIVE_INFINITY;
                    default -> 0;
                };
                acc.distinct.add(aggregates[i] == WindowQuery.Aggregate.COUNT_DISTINCT ? new HashSet<>() : null);
                acc.sketches.add(aggregates[i] == WindowQuery.Aggregate.APPROX_COUNT_DISTINCT ? new HyperLogLog() : null);
            }
            return acc;
        }

        @Override
        public WindowAccumulator add(Measurement row, WindowAccumulator acc) {
            acc.count++;
            for (int i = 0; i < aggregates.length; i++) {
                switch (aggregates[i]) {
                    case SUM, AVG -> acc.numbers[i] += row.numbers()[inputs[i]];
                    case MIN -> acc.numbers[i] = Math.min(acc.numbers[i], row.numbers()[inputs[i]]);
                    case MAX -> acc.numbers[i] = Math.max(acc.numbers[i], row.numbers()[inputs[i]]);
                    case COUNT_DISTINCT -> acc.distinct.get(i).add(row.texts()[inputs[i]]);
                    case APPROX_COUNT_DISTINCT -> acc.sketches.get(i).add(row.texts()[inputs[i]]);
                    case COUNT -> { }
                }
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
            for (int i = 0; i < aggregates.length; i++) {
                switch (aggregates[i]) {
                    case SUM, AVG -> a.numbers[i] += b.numbers[i];
                    case MIN -> a.numbers[i] = Math.min(a.numbers[i], b.numbers[i]);
                    case MAX -> a.numbers[i] = Math.max(a.numbers[i], b.numbers[i]);
                    case COUNT_DISTINCT -> a.distinct.get(i).addAll(b.distinct.get(i));
                    case APPROX_COUNT_DISTINCT -> a.sketches.get(i).merge(b.sketches.get(i));
                    case COUNT -> { }
                }
            }
            return a;
        }
    }
}
