package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.io.FileFormat;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.io.Sinks;
import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.table.ResultTable;
import java.util.Locale;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.types.Row;

/** The {@code --sink} choices: where a pattern's result table goes. */
enum ResultSink {
    /** Spark's console sink: every micro-batch printed as a table. */
    CONSOLE {
        @Override
        void attach(ResultTable table, StreamingOptions options, String resultDir) {
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
        void attach(ResultTable table, StreamingOptions options, String resultDir) {
            table.changes().sinkTo(new DiscardingSink<>()).name("noop").uid("noop");
        }
    },
    /** Spark's file sinks: the rows as part files under the result directory, exactly once. */
    PARQUET, JSON, CSV;

    static final String AVAILABLE = "console, noop, parquet, json, csv";

    /** The file sinks' way (console and noop have their own): the table's cells under its column names, as text. */
    void attach(ResultTable table, StreamingOptions options, String resultDir) {
        FileFormat format = FileFormat.valueOf(name());
        RowSchema schema = RowSchema.strings(table.columns());
        String partitionBy = options.partitionBy;
        if (partitionBy != null && !table.columns().contains(partitionBy)) {
            throw new UsageException("--partition-by " + partitionBy + ": no such column; the columns are "
                    + String.join(", ", table.columns()));
        }
        table.changes()
                .map(ResultSink::asRow)
                .returns(schema.rowType())
                .name("as file rows")
                .uid("file-rows")
                .sinkTo(Sinks.files(format, resultDir, schema, partitionBy))
                .name(format.cliName() + " files")
                .uid("file-sink");
    }

    boolean writesFiles() {
        return this == PARQUET || this == JSON || this == CSV;
    }

    /** Spark's refusals, before anything runs: file sinks append only, and only they have partitions. */
    void check(OutputMode mode, StreamingOptions options) {
        String sink = name().toLowerCase(Locale.ROOT);
        if (writesFiles() && mode != OutputMode.APPEND) {
            throw new UsageException("--sink " + sink + ": Data source " + sink + " does not support " + mode.cliName()
                    + " output mode (a file sink only adds files; use --output-mode append)");
        }
        if (!writesFiles() && options.partitionBy != null) {
            throw new UsageException("--partition-by needs a file sink (--sink parquet, json or csv), not --sink " + sink);
        }
    }

    private static Row asRow(Change change) {
        if (change.isDelete()) {
            throw new IllegalStateException("a file sink only appends, but row " + change.key() + " was deleted");
        }
        return Row.of(change.cells().toArray());
    }

    static ResultSink parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--sink " + name + " is not available; available: " + AVAILABLE);
        }
    }
}
