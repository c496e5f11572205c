package dev.flinkpatterns.table;

import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.RowSchema;
import java.util.List;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * A pattern's result table as the stream of its row changes, with the types of its columns and the output mode
 * and trigger it is shown by. Sinks that present batches (the console) turn it into micro-batches; others take
 * the changes as they come, and map the column types to their own once.
 */
public record ResultTable(DataStream<Change> changes, RowSchema schema, OutputMode mode, Trigger trigger) {

    /** The column names. */
    public List<String> columns() {
        return schema.names();
    }

    /** Spark-style micro-batches of the table (see {@link MicroBatcher}), every row; call once per job. */
    public DataStream<ResultBatch> microBatches() {
        return microBatches(Integer.MAX_VALUE);
    }

    /** Micro-batches whose append-mode batches keep their first {@code rowLimit} rows; call once per job. */
    public DataStream<ResultBatch> microBatches(int rowLimit) {
        return ResultTables.microBatches(changes, columns(), mode, trigger, rowLimit);
    }
}
