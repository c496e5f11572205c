package dev.flinkpatterns.run;

import dev.flinkpatterns.io.DeadLetter;
import dev.flinkpatterns.table.ResultBatch;
import dev.flinkpatterns.time.LateRows;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * What a pattern's topology produces: its result table's batches and, where they exist, its dead letters
 * (input that could not be parsed) and its late rows (dropped by the watermark). Null means none.
 */
public record PatternOutputs(
        DataStream<ResultBatch> results, DataStream<DeadLetter> deadLetters, DataStream<LateRows.LateRow> lateRows) {

    public PatternOutputs(DataStream<ResultBatch> results, DataStream<DeadLetter> deadLetters) {
        this(results, deadLetters, null);
    }

    public static PatternOutputs withoutDeadLetters(DataStream<ResultBatch> results) {
        return new PatternOutputs(results, null, null);
    }

    public boolean hasDeadLetters() {
        return deadLetters != null;
    }

    public boolean hasLateRows() {
        return lateRows != null;
    }
}
