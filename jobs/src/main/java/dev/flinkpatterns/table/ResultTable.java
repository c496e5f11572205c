package dev.flinkpatterns.table;

import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import java.util.List;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * A pattern's result table as the stream of its row changes, with the output mode and trigger it is shown by.
 * Sinks that present batches (the console) turn it into micro-batches; others take the changes as they come.
 */
public record ResultTable(DataStream<Change> changes, List<String> columns, OutputMode mode, Trigger trigger) {

    public ResultTable {
        columns = List.copyOf(columns);
    }

    /** Spark-style micro-batches of the table (see {@link MicroBatcher}), every row; call once per job. */
    public DataStream<ResultBatch> microBatches() {
        return microBatches(Integer.MAX_VALUE);
    }

    /** Micro-batches whose append-mode batches keep their first {@code rowLimit} rows; call once per job. */
    public DataStream<ResultBatch> microBatches(int rowLimit) {
        return ResultTables.microBatches(changes, columns, mode, trigger, rowLimit);
    }
}
