package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.io.Sinks;
import dev.flinkpatterns.table.ResultTable;
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
    };

    abstract void attach(ResultTable table, StreamingOptions options);

    static ResultSink parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--sink " + name + " is not available; available: console, noop");
        }
    }
}
