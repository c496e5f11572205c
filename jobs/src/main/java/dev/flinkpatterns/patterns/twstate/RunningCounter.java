package dev.flinkpatterns.patterns.twstate;

import dev.flinkpatterns.patterns.csv.Event;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The seeds' {@code mapGroupsWithState} running count (guide example 06): one value state per user, and after every
 * event the user's count; it starts from the user's {@link InitialCounts}.
 */
public final class RunningCounter extends KeyedProcessFunction<Integer, Event, UserActivity.RunningCount> {

    private final InitialCounts initial;
    private transient ValueState<Long> count;

    public RunningCounter(InitialCounts initial) {
        this.initial = initial;
    }

    @Override
    public void open(OpenContext openContext) {
        count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
    }

    @Override
    public void processElement(Event event, Context ctx, Collector<UserActivity.RunningCount> out) throws Exception {
        Long current = count.value();
        long updated = (current == null ? initial.of(ctx.getCurrentKey()) : current) + 1;
        count.update(updated);
        out.collect(new UserActivity.RunningCount(ctx.getCurrentKey(), updated));
    }
}
