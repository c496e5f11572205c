package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.DisplayPath;
import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.io.ColumnNames;
import dev.flinkpatterns.io.FileFormat;
import dev.flinkpatterns.io.Kafka;
import dev.flinkpatterns.io.KafkaSettings;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.io.Sinks;
import dev.flinkpatterns.io.PostgresSinks;
import dev.flinkpatterns.io.foreachbatch.BatchHandler;
import dev.flinkpatterns.io.paimon.PaimonCatalogs;
import dev.flinkpatterns.io.paimon.PaimonSinks;
import dev.flinkpatterns.io.paimon.PaimonTables;
import dev.flinkpatterns.table.ConsoleTable;
import dev.flinkpatterns.io.foreachbatch.ForeachBatchSink;
import dev.flinkpatterns.io.foreachbatch.JsonLinesBatchFiles;
import dev.flinkpatterns.io.memory.MemorySink;
import dev.flinkpatterns.io.memory.MemoryTable;
import dev.flinkpatterns.io.memory.MemoryTables;
import dev.flinkpatterns.io.twophase.TransactionalFileSink;
import dev.flinkpatterns.run.CommandScope;
import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.table.ChangeAsRecord;
import dev.flinkpatterns.table.ResultTable;
import dev.flinkpatterns.table.RowFilter;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.types.Row;
import org.apache.paimon.catalog.Catalog;
import org.apache.paimon.catalog.Identifier;

/** The {@code --sink} choices: where a pattern's result table goes. */
enum ResultSink {
    /** Spark's console sink: every micro-batch printed as a table. */
    CONSOLE {
        @Override
        SinkRun attach(ResultTable table, StreamingOptions options, CliContext context) throws Exception {
            // One row more than shown: the console then knows to say "only showing top N rows".
            table.microBatches(options.console.numRows == Integer.MAX_VALUE ? options.console.numRows : options.console.numRows + 1)
                    .sinkTo(Sinks.console(options.console.numRows, options.console.truncate))
                    .setParallelism(1)
                    .name("console")
                    .uid("console");
            return SinkRun.NONE;
        }
    },
    /** Spark's {@code format("kafka")}: a record per row change, the row as JSON or one column, exactly once. */
    KAFKA {
        @Override
        void validate(OutputMode mode, StreamingOptions options, String patternName) {
            super.validate(mode, options, patternName);
            if (options.kafkaSink.topic == null) {
                throw new UsageException("--sink kafka needs --output-topic TOPIC");
            }
            if (options.kafkaSink.transactionalIdPrefix != null && options.delivery != DeliveryGuarantee.EXACTLY_ONCE) {
                throw new UsageException("--transactional-id-prefix goes with --delivery exactly-once");
            }
            if (options.kafkaSink.transactionalIdPrefix != null && options.kafkaSink.transactionalIdPrefix.isBlank()) {
                throw new UsageException("--transactional-id-prefix must not be empty");
            }
        }

        @Override
        SinkRun attach(ResultTable table, StreamingOptions options, CliContext context) throws Exception {
            KafkaSinkOptions sink = options.kafkaSink;
            ChangeAsRecord record = new ChangeAsRecord(table.schema(), sink.keyColumn, sink.valueColumn);
            var env = table.changes().getExecutionEnvironment();
            DeliveryGuarantee guarantee = options.delivery;
            KafkaSettings settings = new KafkaSettings(options.kafkaConnection.bootstrapServers(), List.of(), null, "latest",
                    null, true, options.kafkaConnection.clientProperties(), sink.transactionTimeout);
            String transactionalIdPrefix = null;
            if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
                requireCommitPoints(table);
                Kafka.checkTransactionTimeout(settings, env.getConfiguration());
                String job = env.getConfiguration().get(PipelineOptions.NAME);
                transactionalIdPrefix = sink.transactionalIdPrefix != null ? sink.transactionalIdPrefix
                        : Kafka.transactionalIdPrefix(job + "-" + sink.topic,
                                env.getConfiguration().getOptional(StateRecoveryOptions.SAVEPOINT_PATH));
            }
            table.changes()
                    .sinkTo(Kafka.sink(settings, sink.topic, guarantee, transactionalIdPrefix, record))
                    .name("kafka " + sink.topic + " (" + Converters.DeliveryConverter.cliName(guarantee) + ")")
                    .uid("kafka-sink");
            return SinkRun.NONE;
        }
    },
    /** Spark's {@code format("noop")}: the rows are computed and dropped, no micro-batching; measures the query. */
    NOOP {
        @Override
        SinkRun attach(ResultTable table, StreamingOptions options, CliContext context) throws Exception {
            table.changes().sinkTo(new DiscardingSink<>()).name("noop").uid("noop");
            return SinkRun.NONE;
        }
    },
    /** Spark's {@code format("memory").queryName(NAME)}: the table in this JVM, queried with SQL when the run ends. */
    MEMORY {
        @Override
        void validate(OutputMode mode, StreamingOptions options, String patternName) {
            super.validate(mode, options, patternName);
            String name = options.queryName != null ? options.queryName : patternName.replace('-', '_');
            try {
                options.queryName = MemoryTables.requireSqlName(name);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--query-name: " + e.getMessage());
            }
        }

        @Override
        SinkRun attach(ResultTable table, StreamingOptions options, CliContext context) {
            MemorySink.attach(table, options.queryName);
            return new SinkRun() {
                @Override
                public void finished(PrintStream out) throws Exception {
                    if (!MemoryTables.get(options.queryName).map(MemoryTable::wasFed).orElse(false)) {
                        out.println("Memory table " + options.queryName + " is not in this JVM: the job ran on a cluster "
                                + "(the memory sink works only in local runs)");
                        return;
                    }
                    // SQL gives rows in no particular order: the default query sorts by the first column (mostly the key).
                    String query = options.memoryQuery != null ? options.memoryQuery
                            : "SELECT * FROM " + options.queryName + " ORDER BY 1";
                    out.println(query);
                    out.print(MemoryTables.sql(query).show(options.console.numRows, options.console.truncate));
                }
            };
        }
    },
    /** Spark's {@code foreachBatch} + JDBC write, as a table in PostgreSQL: one row per key, upserted. */
    POSTGRES {
        @Override
        void validate(OutputMode mode, StreamingOptions options, String patternName) {
            super.validate(mode, options, patternName);
            options.postgres.validate(patternName, options.table, CommandScope.environment(), options.delivery);
        }

        @Override
        SinkRun attach(ResultTable table, StreamingOptions options, CliContext context) throws Exception {
            return options.postgres.attach(table, context.runtime(), options, context.out());
        }
    },
    /**
     * Delta's role: an Apache Paimon table in --warehouse, appended to (append mode) or one row per key upserted
     * (update, complete), committed exactly once with each checkpoint.
     */
    PAIMON {
        @Override
        void validate(OutputMode mode, StreamingOptions options, String patternName) {
            super.validate(mode, options, patternName);
            options.table = options.table != null ? options.table : "default." + PostgresSinks.tableName(patternName);
            PaimonCatalogs.identifier(options.table, "--table");
            options.warehouse = options.warehouse != null ? options.warehouse : PaimonCatalogs.DEFAULT_WAREHOUSE;
        }

        @Override
        SinkRun attach(ResultTable table, StreamingOptions options, CliContext context) throws Exception {
            requireCommitPoints(table, "--sink paimon", " (--checkpoint-interval)");
            Identifier identifier = PaimonCatalogs.identifier(options.table, "--table");
            boolean keyed = PaimonSinks.keyed(table.mode());
            PaimonSinks.writeTo(options.warehouse, identifier, table, "paimon");
            context.out().println("Writing Paimon table " + identifier.getFullName() + " ("
                    + (keyed ? "primary key " + PaimonSinks.ROW_KEY : "append") + ", exactly-once) in "
                    + DisplayPath.of(options.warehouse));
            boolean attached = table.changes().getExecutionEnvironment().getConfiguration().get(DeploymentOptions.ATTACHED);
            return new SinkRun() {
                @Override
                public void finished(PrintStream out) throws Exception {
                    if (attached) {
                        try (Catalog catalog = PaimonCatalogs.open(options.warehouse)) {
                            org.apache.paimon.table.Table written = catalog.getTable(identifier);
                            List<List<String>> rows = PaimonTables.shownRows(written);
                            out.println("Table " + identifier.getFullName() + ": " + rows.size() + " row(s)");
                            out.print(ConsoleTable.show(PaimonTables.shownColumns(written), rows, options.console.numRows,
                                    options.console.truncate));
                        }
                    }
                }
            };
        }
    },
    /**
     * The result rows as JSON lines in OUTPUT/results, exactly once (our own two-phase commit); in update and complete
     * mode each line is a change of the row with its {@code key} (an upsert, or {@code "deleted":true}).
     */
    FILES_2PC {
        @Override
        SinkRun attach(ResultTable table, StreamingOptions options, CliContext context) throws Exception {
            RowSchema schema = table.schema();
            // Append mode: the key only orders rows for the console. Otherwise it says which row a change replaces.
            boolean withKey = table.mode() != OutputMode.APPEND;
            table.changes()
                    .sinkTo(TransactionalFileSink.lines(options.resultsDir, "results", ".jsonl",
                            change -> ChangeAsRecord.json(change, schema, withKey)))
                    .name("files-2pc")
                    .uid("files-2pc");
            return SinkRun.NONE;
        }
    },
    /**
     * Spark's {@code foreachBatch}: each checkpoint's rows (per subtask) handed to a handler once the checkpoint
     * completes, exactly once: OUTPUT/batches/batch-ID.jsonl, and with --alert-when the matching rows in
     * OUTPUT/alerts/alerts-ID.jsonl. OUTPUT/foreach-batch holds the sink's pending and handled batches.
     */
    FOREACH_BATCH {
        @Override
        SinkRun attach(ResultTable table, StreamingOptions options, CliContext context) {
            String output = java.nio.file.Path.of(options.resultsDir).getParent().toString();
            boolean withKey = table.mode() != OutputMode.APPEND;
            BatchHandler handler = JsonLinesBatchFiles.all(output + "/batches", "batch", table.schema(), withKey);
            if (options.alertWhen != null) {
                RowFilter alerts;
                try {
                    alerts = RowFilter.parse(options.alertWhen, table.schema());
                } catch (IllegalArgumentException e) {
                    throw new UsageException("--alert-when " + e.getMessage());
                }
                handler = BatchHandler.all(handler, JsonLinesBatchFiles.where(output + "/alerts", "alerts", table.schema(),
                        withKey, alerts));
            }
            table.changes()
                    .sinkTo(new ForeachBatchSink(output + "/foreach-batch", handler))
                    .name("foreach-batch")
                    .uid("foreach-batch");
            return new SinkRun() {
                @Override
                public void finished(PrintStream out) throws Exception {
                    out.println("foreach-batch: " + visibleFiles(output + "/batches") + " batch file(s) in "
                            + DisplayPath.of(output + "/batches") + (options.alertWhen == null ? ""
                                    : ", " + visibleFiles(output + "/alerts") + " alert file(s) in "
                                            + DisplayPath.of(output + "/alerts")));
                }
            };
        }
    },
    /** Spark's file sinks: the rows as part files under the result directory, exactly once. */
    PARQUET, JSON, CSV;

    /**
     * The file sinks' way (console and noop have their own): the table's typed values under its column names, made
     * legal by {@link ColumnNames} for Parquet and CSV; JSON keys take any name, so they stay as the result's (as
     * Spark's JSON writer keeps them).
     */
    SinkRun attach(ResultTable table, StreamingOptions options, CliContext context) throws Exception {
        FileFormat format = FileFormat.valueOf(name());
        RowSchema schema = format == FileFormat.JSON ? table.schema() : ColumnNames.legal(table.schema());
        String partitionBy = options.partitionBy;
        if (partitionBy != null) {
            int index = table.columns().indexOf(partitionBy);
            if (index < 0) {
                throw new UsageException("--partition-by " + partitionBy + ": no such column; the columns are "
                        + String.join(", ", table.columns()));
            }
            partitionBy = schema.column(index).name();
        }
        table.changes()
                .map(ResultSink::asRow)
                .returns(schema.rowType())
                .name("as file rows")
                .uid("file-rows")
                .sinkTo(Sinks.files(format, options.resultsDir, schema, partitionBy))
                .name(format.cliName() + " files")
                .uid("file-sink");
        return SinkRun.NONE;
    }

    /**
     * Where the sink's rows go, under the run's output directory. Sinks that commit by renaming files (files-2pc,
     * foreach-batch) need a local path or a {@code file:} URI.
     */
    String resultsDir(String location) {
        if (this != FILES_2PC && this != FOREACH_BATCH) {
            return Locations.resolve(location);
        }
        if (location.startsWith("file:")) {
            return java.nio.file.Path.of(java.net.URI.create(location)).toString();
        }
        if (Locations.isUri(location)) {
            throw new UsageException("--sink " + name().toLowerCase(Locale.ROOT).replace('_', '-')
                    + " writes local files (it commits by rename), not " + location);
        }
        return Locations.resolve(location);
    }

    boolean writesFiles() {
        return this == PARQUET || this == JSON || this == CSV;
    }

    /**
     * Checks the sink's options before anything starts (throws {@link UsageException}); Spark's refusals: file sinks
     * append only, and only they have partitions.
     */
    void validate(OutputMode mode, StreamingOptions options, String patternName) {
        String sink = name().toLowerCase(Locale.ROOT);
        if (this != POSTGRES) {
            options.postgres.requireUnused(sink);
        }
        if (this != POSTGRES && this != PAIMON && options.table != null) {
            throw new UsageException("--table is an option of --sink postgres and --sink paimon, not of --sink " + sink);
        }
        if (this != PAIMON && options.warehouse != null && !options.warehouseReadByPattern) {
            throw new UsageException("--warehouse goes with --sink paimon or --source paimon, not with --sink " + sink);
        }
        if (this != KAFKA && this != POSTGRES && options.delivery == DeliveryGuarantee.AT_LEAST_ONCE) {
            throw new UsageException("--delivery at-least-once goes with --sink kafka or --sink postgres, the sinks that "
                    + "offer both guarantees; --sink " + sink + " has one");
        }
        if (this != FOREACH_BATCH && options.alertWhen != null) {
            throw new UsageException("--alert-when goes with --sink foreach-batch");
        }
        if (this != MEMORY && (options.queryName != null || options.memoryQuery != null)) {
            throw new UsageException("--query-name and --memory-query go with --sink memory");
        }
        if (writesFiles() && mode != OutputMode.APPEND) {
            throw new UsageException("--sink " + sink + ": Data source " + sink + " does not support " + mode.cliName()
                    + " output mode (a file sink only adds files; use --output-mode append)");
        }
        if (!writesFiles() && options.partitionBy != null) {
            throw new UsageException("--partition-by needs a file sink (--sink parquet, json or csv), not --sink " + sink);
        }
    }

    /**
     * Refuses an exactly-once sink on a job that never checkpoints and never ends: its transactions commit on
     * checkpoints (or at the end of a bounded input), so it would never make a row visible.
     */
    static void requireCommitPoints(ResultTable result) {
        requireCommitPoints(result, "--delivery exactly-once", ", or use --delivery at-least-once");
    }

    /** {@code sink} (what commits) and {@code orElse} (the way out, if any) say it in the sink's words. */
    static void requireCommitPoints(ResultTable result, String sink, String orElse) {
        if (!result.changes().getExecutionEnvironment().getCheckpointConfig().isCheckpointingEnabled()
                && !result.trigger().isBounded()) {
            throw new UsageException(sink + " commits with each checkpoint, and checkpointing is off "
                    + "(execution.checkpointing.interval): turn it on" + orElse);
        }
    }

    private static Row asRow(Change change) {
        if (change.isDelete()) {
            throw new IllegalStateException("a file sink only appends, but row " + change.key() + " was deleted");
        }
        return Row.of(change.cells().toArray());
    }


    private static long visibleFiles(String directory) throws java.io.IOException {
        java.nio.file.Path path = java.nio.file.Path.of(directory);
        if (!java.nio.file.Files.isDirectory(path)) {
            return 0;
        }
        try (var files = java.nio.file.Files.list(path)) {
            return files.filter(file -> !file.getFileName().toString().startsWith(".")).count();
        }
    }

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
