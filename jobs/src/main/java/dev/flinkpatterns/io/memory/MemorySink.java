package dev.flinkpatterns.io.memory;

import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.table.ResultTable;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Spark's {@code writeStream.format("memory").queryName("t")}: a result table kept in memory under a name, to query
 * with SQL ({@link MemoryTables#sql}) once the rows are in. For tests, docs and local runs only: the table lives in
 * the JVM that runs the sink's task, which is this JVM only when the job runs embedded (./patterns, a test's
 * MiniCluster). Under {@code flink run} it would fill a table inside a TaskManager that nobody can query.
 */
public final class MemorySink implements Sink<Change> {

    private final String queryName;
    private final java.util.List<String> columns;

    private MemorySink(String queryName, java.util.List<String> columns) {
        this.queryName = queryName;
        this.columns = java.util.List.copyOf(columns);
    }

    /**
     * Sends the table's changes to a new, empty memory table named {@code queryName} (one of an earlier run with the
     * name is replaced), with parallelism 1 so the changes of a key arrive in order.
     */
    public static MemoryTable attach(ResultTable table, String queryName) {
        MemoryTable memoryTable = MemoryTables.create(queryName, table.columns());
        table.changes().sinkTo(new MemorySink(queryName, table.columns()))
                .setParallelism(1)
                .name("memory table " + queryName)
                .uid("memory-" + queryName);
        return memoryTable;
    }

    @Override
    public SinkWriter<Change> createWriter(WriterInitContext context) {
        // After a restart the table keeps its rows: the job replays only the changes since the last checkpoint.
        MemoryTable table = MemoryTables.getOrCreate(queryName, columns);
        table.markFed();
        return new SinkWriter<>() {
            @Override
            public void write(Change change, Context context) {
                table.apply(change);
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}
