package dev.flinkpatterns.run;

import dev.flinkpatterns.io.DeadLetter;
import dev.flinkpatterns.table.ResultBatch;
import dev.flinkpatterns.table.ResultTable;
import dev.flinkpatterns.time.LateRows;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * What a pattern's topology produces: its result table and, where they exist, its dead letters (input that
 * could not be parsed) and its late rows (dropped by the watermark). Null means none; a job without a result table
 * writes its output itself (a stage of a pipeline writing files for the next).
 */
public record PatternOutputs(
        ResultTable table, DataStream<DeadLetter> deadLetters, DataStream<LateRows.LateRow> lateRows) {

    public PatternOutputs(ResultTable table, DataStream<DeadLetter> deadLetters) {
        this(table, deadLetters, null);
    }

    public static PatternOutputs withoutDeadLetters(ResultTable table) {
        return new PatternOutputs(table, null, null);
    }

    /** The result table as micro-batches, as the console shows them; call once per job. */
    public DataStream<ResultBatch> results() {
        if (table == null) {
            throw new IllegalStateException("this job has no result table");
        }
        return table.microBatches();
    }

    public boolean hasTable() {
        return table != null;
    }

    public boolean hasDeadLetters() {
        return deadLetters != null;
    }

    public boolean hasLateRows() {
        return lateRows != null;
    }
}
