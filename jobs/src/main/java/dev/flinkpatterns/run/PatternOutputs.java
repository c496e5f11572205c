package dev.flinkpatterns.run;

import dev.flinkpatterns.io.DeadLetter;
import dev.flinkpatterns.table.ResultBatch;
import dev.flinkpatterns.table.ResultTable;
import dev.flinkpatterns.time.LateRows;
import java.util.List;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * What a pattern's topology produces: its result table and, where they exist, its dead letters (input that
 * could not be parsed) and its late rows (dropped by the watermark). Null means none. A pattern that writes
 * several outputs itself (fan-out's routes, a medallion stage's files) has no result table: its sinks are
 * attached already, and {@code ownResultDirs} names the directories they write.
 */
public record PatternOutputs(ResultTable table, DataStream<DeadLetter> deadLetters,
        DataStream<LateRows.LateRow> lateRows, List<String> ownResultDirs) {

    public PatternOutputs {
        ownResultDirs = List.copyOf(ownResultDirs);
    }

    public PatternOutputs(ResultTable table, DataStream<DeadLetter> deadLetters, DataStream<LateRows.LateRow> lateRows) {
        this(table, deadLetters, lateRows, List.of());
    }

    public PatternOutputs(ResultTable table, DataStream<DeadLetter> deadLetters) {
        this(table, deadLetters, null);
    }

    public static PatternOutputs withoutDeadLetters(ResultTable table) {
        return new PatternOutputs(table, null, null);
    }

    /** The pattern attached its own sinks, which write under {@code resultDirs}; no result table. */
    public static PatternOutputs ownSinks(List<String> resultDirs, DataStream<DeadLetter> deadLetters,
            DataStream<LateRows.LateRow> lateRows) {
        return new PatternOutputs(null, deadLetters, lateRows, resultDirs);
    }

    /** The result table as micro-batches, as the console shows them; call once per job. */
    public DataStream<ResultBatch> results() {
        if (table == null) {
            throw new IllegalStateException("this job has no result table");
        }
        return table.microBatches();
    }

    public boolean hasResultTable() {
        return table != null;
    }

    public boolean hasDeadLetters() {
        return deadLetters != null;
    }

    public boolean hasLateRows() {
        return lateRows != null;
    }
}
