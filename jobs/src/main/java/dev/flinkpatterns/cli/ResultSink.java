package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.io.Kafka;
import dev.flinkpatterns.io.KafkaSettings;
import dev.flinkpatterns.io.Sinks;
import dev.flinkpatterns.table.ChangeAsRecord;
import java.time.Duration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import dev.flinkpatterns.io.memory.MemorySink;
import dev.flinkpatterns.io.memory.MemoryTable;
import dev.flinkpatterns.io.memory.MemoryTables;
import dev.flinkpatterns.io.twophase.TransactionalFileSink;
import dev.flinkpatterns.io.FileFormat;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.table.ResultTable;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.types.Row;

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
    /** Spark's {@code format("kafka")}: a record per row change, the row as JSON or one column, exactly once. */
    KAFKA {
        @Override
        void validate(OutputMode mode, StreamingOptions options) {
            super.validate(mode, options);
            if (options.kafkaSink.topic == null) {
                throw new UsageException("--sink kafka needs --output-topic TOPIC");
            }
            deliveryGuarantee(options.delivery);
        }

        @Override
        void attach(ResultTable table, StreamingOptions options) {
            KafkaSinkOptions sink = options.kafkaSink;
            ChangeAsRecord record = new ChangeAsRecord(table.columns(), sink.keyColumn, sink.valueColumn);
            var env = table.changes().getExecutionEnvironment();
            DeliveryGuarantee guarantee = deliveryGuarantee(options.delivery);
            KafkaSettings settings = new KafkaSettings(options.kafkaConnection.bootstrapServers(), List.of(), null, "latest",
                    null, true, 0, options.kafkaConnection.clientProperties(), sink.transactionTimeout);
            if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
                Kafka.checkTransactionTimeout(settings, env.getCheckpointConfig().getCheckpointInterval() > 0
                        ? Duration.ofMillis(env.getCheckpointConfig().getCheckpointInterval()) : Duration.ZERO);
            }
            String job = env.getConfiguration().get(PipelineOptions.NAME);
            table.changes()
                    .sinkTo(Kafka.sink(settings, sink.topic, guarantee, job + "-" + sink.topic, record))
                    .name("kafka " + sink.topic + " (" + options.delivery + ")")
                    .uid("kafka-sink");
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
            // SQL gives rows in no particular order: the default query sorts by the first column (the row's key, mostly).
            String query = options.memoryQuery != null ? options.memoryQuery
                    : "SELECT * FROM " + options.queryName + " ORDER BY 1";
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
                            change -> ChangeAsRecord.json(change, columns, withKey)))
                    .name("files-2pc")
                    .uid("files-2pc");
        }
    },
    /** Spark's file sinks: the rows as part files under the result directory, exactly once. */
    PARQUET, JSON, CSV;

    /** The file sinks' way (console and noop have their own): the table's cells under its column names, as text. */
    void attach(ResultTable table, StreamingOptions options) {
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
                .sinkTo(Sinks.files(format, options.resultsDir, schema, partitionBy))
                .name(format.cliName() + " files")
                .uid("file-sink");
    }

    boolean writesFiles() {
        return this == PARQUET || this == JSON || this == CSV;
    }

    /**
     * Checks the sink's options before anything starts (throws {@link UsageException}); Spark's refusals: file sinks
     * append only, and only they have partitions.
     */
    void validate(OutputMode mode, StreamingOptions options) {
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


    static DeliveryGuarantee deliveryGuarantee(String delivery) {
        return switch (delivery) {
            case "exactly-once" -> DeliveryGuarantee.EXACTLY_ONCE;
            case "at-least-once" -> DeliveryGuarantee.AT_LEAST_ONCE;
            default -> throw new UsageException("--delivery " + delivery + " is not exactly-once or at-least-once");
        };
    }

    /** Runs when the job has finished. */
    void afterRun(StreamingOptions options, PrintStream out) throws Exception {}

    static ResultSink parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--sink " + name + " is not available; available: " + available());
        }
    }

    /** The sinks' names as --sink takes them. */
    static String available() {
        return java.util.Arrays.stream(values()).map(sink -> sink.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .collect(java.util.stream.Collectors.joining(", "));
    }
}
