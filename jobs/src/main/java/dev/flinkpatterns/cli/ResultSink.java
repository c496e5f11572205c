package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.io.Json;
import dev.flinkpatterns.io.Sinks;
import dev.flinkpatterns.io.memory.MemorySink;
import dev.flinkpatterns.io.memory.MemoryTable;
import dev.flinkpatterns.io.memory.MemoryTables;
import dev.flinkpatterns.io.twophase.TransactionalFileSink;
import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.table.ResultTable;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/** The {@code --sink} choices: where a pattern's result table goes. */
enum ResultSink {
    /** Spark's console sink: every micro-batch printed as a table. */
    CONSOLE {
        @Override
        void attach(ResultTable table, StreamingOptions options) {
            // One row more than shown: the console then knows to say "only showing top N rows".
            table.microBatches(options.numRows == Integer.MAX_VALUE ? options.numRows : options.numRows + 1)
                    .sinkTo(Sinks.console(options.numRows, options.truncate))
                    .setParallelism(1)
                    .name("console")
                    .uid("console");
        }
    },
    /** Spark's {@code format("noop")}: the rows are computed and dropped, no micro-batching; measures the query. */
    NOOP {
        @Override
        void attach(ResultTable table, StreamingOptions options) {
            table.changes().sinkTo(new DiscardingSink<>()).name("noop").uid("noop");
        }
    },
    /** Spark's {@code format("memory").queryName(NAME)}: the table in this JVM, queried with SQL when the run ends. */
    MEMORY {
        @Override
        void attach(ResultTable table, StreamingOptions options) {
            MemorySink.attach(table, options.queryName);
        }

        @Override
        void afterRun(StreamingOptions options, PrintStream out) throws Exception {
            if (!MemoryTables.get(options.queryName).map(MemoryTable::wasFed).orElse(false)) {
                out.println("Memory table " + options.queryName + " is not in this JVM: the job ran on a cluster "
                        + "(the memory sink works only in local runs)");
                return;
            }
            String query = options.memoryQuery != null ? options.memoryQuery : "SELECT * FROM " + options.queryName;
            out.println(query);
            out.print(MemoryTables.sql(query).show(options.numRows, options.truncate));
        }
    },
    /**
     * The result rows as JSON lines in OUTPUT/results, exactly once (our own two-phase commit); in update and complete
     * mode each line is a change of the row with its {@code key} (an upsert, or {@code "deleted":true}).
     */
    FILES_2PC {
        @Override
        void attach(ResultTable table, StreamingOptions options) {
            List<String> columns = table.columns();
            // Append mode: the key only orders rows for the console. Otherwise it says which row a change replaces.
            boolean withKey = table.mode() != OutputMode.APPEND;
            table.changes()
                    .sinkTo(TransactionalFileSink.lines(options.resultsDir, "results", ".jsonl",
                            change -> ChangeJson.of(change, columns, withKey)))
                    .name("files-2pc")
                    .uid("files-2pc");
        }
    };

    abstract void attach(ResultTable table, StreamingOptions options);

    /** Runs when the job has finished. */
    void afterRun(StreamingOptions options, PrintStream out) throws Exception {}

    static ResultSink parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--sink " + name + " is not available; available: console, noop, memory, files-2pc");
        }
    }

    /** A change as one JSON object: the cells by column (after the key), or the key and {@code "deleted":true}. */
    static final class ChangeJson {
        private ChangeJson() {}

        static String of(Change change, List<String> columns, boolean withKey) {
            StringBuilder json = new StringBuilder("{");
            if (withKey) {
                json.append("\"key\":").append(Json.quote(change.key()));
                if (change.isDelete()) {
                    return json.append(",\"deleted\":true}").toString();
                }
            }
            for (int i = 0; i < columns.size(); i++) {
                if (i > 0 || withKey) {
                    json.append(',');
                }
                json.append(Json.quote(columns.get(i))).append(':').append(Json.quote(change.cells().get(i)));
            }
            return json.append('}').toString();
        }
    }
}
