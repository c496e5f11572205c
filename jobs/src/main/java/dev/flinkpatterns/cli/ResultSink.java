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
        SinkRun attach(ResultTable table, StreamingOptions options, CliContext context) {
            // One row more than shown: the console then knows to say "only showing top N rows".
            table.microBatches(options.numRows == Integer.MAX_VALUE ? options.numRows : options.numRows + 1)
                    .sinkTo(Sinks.console(options.numRows, options.truncate))
                    .setParallelism(1)
                    .name("console")
                    .uid("console");
            return SinkRun.NONE;
        }
    },
    /** Spark's {@code format("noop")}: the rows are computed and dropped, no micro-batching; measures the query. */
    NOOP {
        @Override
        SinkRun attach(ResultTable table, StreamingOptions options, CliContext context) {
            table.changes().sinkTo(new DiscardingSink<>()).name("noop").uid("noop");
            return SinkRun.NONE;
        }
    },
    /** Spark's {@code foreachBatch} + JDBC write, as a table in PostgreSQL: one row per key, upserted. */
    POSTGRES {
        @Override
        void validate(StreamingOptions options, String patternName) {
            options.postgres.validate(patternName, System.getenv());
        }

        @Override
        SinkRun attach(ResultTable table, StreamingOptions options, CliContext context) throws Exception {
            return options.postgres.attach(table, context.runtime(), options, context.out());
        }
    };

    /** Checks the sink's own options before anything starts; throws {@link UsageException}. */
    void validate(StreamingOptions options, String patternName) {
        options.postgres.requireUnused(name().toLowerCase(Locale.ROOT));
    }

    /** Attaches the sink to the job; what it returns is closed when the run ends. */
    abstract SinkRun attach(ResultTable table, StreamingOptions options, CliContext context) throws Exception;

    static ResultSink parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--sink " + name + " is not available; available: " + String.join(", ",
                    java.util.Arrays.stream(values()).map(sink -> sink.name().toLowerCase(Locale.ROOT)).toList()));
        }
    }
}
