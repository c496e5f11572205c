package dev.flinkpatterns.io.memory;

import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.table.ResultTable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.StringValue;

/**
 * Spark's {@code writeStream.format("memory").queryName("t")}: a result table kept in memory under a name, to query
 * with SQL ({@link MemoryTables#sql}) once the rows are in. For tests, docs and local runs only: the table lives in
 * the JVM that runs the sink's task, which is this JVM only when the job runs embedded (./patterns, a test's
 * MiniCluster). Under {@code flink run} it would fill a table inside a TaskManager that nobody can query.
 *
 * <p>The table's rows are the writer's checkpointed state: a job restarted from a checkpoint or resumed from a
 * savepoint (a new JVM) starts with the table of that checkpoint, and the source replays what came after it. The
 * whole table is copied at every checkpoint, which suits the small tables this sink is for.
 */
public final class MemorySink implements Sink<Change>, SupportsWriterState<Change, Map<String, List<String>>> {

    private final String queryName;
    private final RowSchema schema;

    private MemorySink(String queryName, RowSchema schema) {
        this.queryName = queryName;
        this.schema = schema;
    }

    /**
     * Sends the table's changes to a new, empty memory table named {@code queryName} (one of an earlier run with the
     * name is replaced), with parallelism 1 so the changes of a key arrive in order.
     */
    public static MemoryTable attach(ResultTable table, String queryName) {
        MemoryTable memoryTable = MemoryTables.create(queryName, table.schema());
        table.changes().sinkTo(new MemorySink(queryName, table.schema()))
                .setParallelism(1)
                .name("memory table " + queryName)
                .uid("memory-" + queryName);
        return memoryTable;
    }

    @Override
    public StatefulSinkWriter<Change, Map<String, List<String>>> createWriter(WriterInitContext context) {
        return restoreWriter(context, List.of());
    }

    @Override
    public StatefulSinkWriter<Change, Map<String, List<String>>> restoreWriter(
            WriterInitContext context, Collection<Map<String, List<String>>> recoveredState) {
        MemoryTable table = MemoryTables.getOrCreate(queryName, schema);
        // Rows a failed attempt applied after the checkpoint go: the source replays their changes.
        Map<String, List<String>> rows = new TreeMap<>();
        recoveredState.forEach(rows::putAll);
        table.replaceRows(rows);
        table.markFed();
        return new StatefulSinkWriter<>() {
            @Override
            public void write(Change change, Context context) {
                table.apply(change);
            }

            @Override
            public List<Map<String, List<String>>> snapshotState(long checkpointId) {
                return List.of(table.rowsByKey());
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }

    @Override
    public SimpleVersionedSerializer<Map<String, List<String>>> getWriterStateSerializer() {
        return new RowsSerializer();
    }

    /** The rows by key: the number of rows, then per row its key, its number of cells and the cells. */
    static final class RowsSerializer implements SimpleVersionedSerializer<Map<String, List<String>>> {

        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(Map<String, List<String>> rows) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(256);
            out.writeInt(rows.size());
            for (Map.Entry<String, List<String>> row : rows.entrySet()) {
                StringValue.writeString(row.getKey(), out);
                out.writeInt(row.getValue().size());
                for (String cell : row.getValue()) {
                    StringValue.writeString(cell, out);
                }
            }
            return out.getCopyOfBuffer();
        }

        @Override
        public Map<String, List<String>> deserialize(int version, byte[] serialized) throws IOException {
            if (version != 1) {
                throw new IOException("unknown version " + version + " of a memory table's state");
            }
            DataInputDeserializer in = new DataInputDeserializer(serialized);
            Map<String, List<String>> rows = new TreeMap<>();
            for (int row = in.readInt(); row > 0; row--) {
                String key = StringValue.readString(in);
                List<String> cells = new ArrayList<>();
                for (int cell = in.readInt(); cell > 0; cell--) {
                    cells.add(StringValue.readString(in));
                }
                rows.put(key, List.copyOf(cells));
            }
            return rows;
        }
    }
}
