package dev.flinkpatterns.patterns.twstate;

import org.apache.flink.table.annotation.ArgumentHint;
import org.apache.flink.table.annotation.ArgumentTrait;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.StateHint;
import org.apache.flink.table.functions.ProcessTableFunction;
import org.apache.flink.types.Row;

/** {@link RunningCounter} as a process table function: {@code user_id} (the partition key), then {@code count}. */
@DataTypeHint("ROW<`count` BIGINT>")
public class RunningCountFunction extends ProcessTableFunction<Row> {

    private final InitialCounts initial;

    public static class CountState {
        public Long count;
    }

    public RunningCountFunction(InitialCounts initial) {
        this.initial = initial;
    }

    public void eval(@StateHint(name = "count") CountState state,
            @ArgumentHint(name = "input", value = ArgumentTrait.SET_SEMANTIC_TABLE) Row input) {
        int userId = input.<Integer>getFieldAs("user_id");
        state.count = (state.count == null ? initial.of(userId) : state.count) + 1;
        collect(Row.of(state.count));
    }
}
