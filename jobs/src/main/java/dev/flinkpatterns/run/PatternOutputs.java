package dev.flinkpatterns.run;

import dev.flinkpatterns.io.DeadLetter;
import dev.flinkpatterns.table.ResultBatch;
import org.apache.flink.streaming.api.datastream.DataStream;

/** What a pattern's topology produces: its result table's batches and, for parsed input, its dead letters. */
public record PatternOutputs(DataStream<ResultBatch> results, DataStream<DeadLetter> deadLetters) {

    public static PatternOutputs withoutDeadLetters(DataStream<ResultBatch> results) {
        return new PatternOutputs(results, null);
    }

    public boolean hasDeadLetters() {
        return deadLetters != null;
    }
}
