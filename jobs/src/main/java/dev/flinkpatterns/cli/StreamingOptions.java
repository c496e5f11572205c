package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.Trigger;
import java.time.Duration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options every streaming pattern takes, named as in Spark's {@code writeStream}. {@link PatternHelp} lists them
 * in the Run and Sink sections of a pattern's help, and takes the sink options out of a pattern without a result table.
 */
public final class StreamingOptions {

    @Option(names = "--trigger", paramLabel = "TRIGGER", converter = Converters.TriggerConverter.class,
            description = "When results are emitted: default (as soon as data is there), an interval like 5s "
                    + "(at most one batch per interval), continuous (every change at once), "
                    + "once or available-now (process what exists now, then stop). Default: ${DEFAULT-VALUE}.")
    Trigger trigger = Trigger.DEFAULT;

    @Option(names = "--output-mode", paramLabel = "MODE",
            description = "append, update or complete (default: complete for aggregations, append otherwise).")
    String outputMode;

    // An initial value, not defaultValue: a pattern that writes its own outputs has no --sink (PatternHelp).
    @Option(names = "--sink", paramLabel = "SINK",
            description = "Where results go: console (Spark's console sink: batches as tables), kafka (--output-topic; "
                    + "Spark's kafka sink), parquet, json or csv (Spark's file sinks: part files in DIR/results of "
                    + "--output, committed exactly once on each checkpoint; append mode only), memory (Spark's memory "
                    + "sink: the table in memory, queried with SQL when the run ends; local runs only), files-2pc (the "
                    + "rows' changes as JSON lines in DIR/results, exactly once, by our own two-phase commit), postgres (a "
                    + "table in PostgreSQL, one row per key), paimon (an Apache Paimon table, Delta's role: appended rows, or "
                    + "one row per key upserted; committed exactly once on each checkpoint), foreach-batch (Spark's foreachBatch: each checkpoint's rows as "
                    + "DIR/batches/batch-<id>.jsonl, exactly once; see --alert-when) or noop (Spark's noop: every row computed, then discarded; "
                    + "for benchmarks). Default: ${DEFAULT-VALUE}.")
    String sink = "console";

    @Option(names = "--delivery", paramLabel = "GUARANTEE", converter = Converters.DeliveryConverter.class,
            description = "exactly-once or at-least-once, for the sinks that offer both: kafka (transactions committed "
                    + "with each checkpoint, or flushed on checkpoints) and postgres (XA transactions, or idempotent "
                    + "upserts visible at once). Default: exactly-once.")
    DeliveryGuarantee delivery = DeliveryGuarantee.EXACTLY_ONCE;

    @Mixin
    KafkaSinkOptions kafkaSink = new KafkaSinkOptions();

    @Mixin
    KafkaConnectionOptions kafkaConnection = new KafkaConnectionOptions();

    @Option(names = "--query-name", paramLabel = "NAME",
            description = "Name of the memory sink's table in SQL (Spark's queryName). Default: the pattern's name "
                    + "with _ for -.")
    String queryName;

    @Option(names = "--memory-query", paramLabel = "SQL",
            description = "The query printed when a run with --sink memory ends. Default: SELECT * FROM NAME ORDER BY 1.")
    String memoryQuery;

    /** Where --sink files-2pc writes: OUTPUT/results (set by the command). */
    String resultsDir;

    @Mixin
    PostgresOptions postgres = new PostgresOptions();

    @Option(names = "--table", paramLabel = "NAME",
            description = "The table of --sink postgres (NAME or SCHEMA.NAME, created if missing: row_key TEXT PRIMARY "
                    + "KEY and one column of its type per result column; default: the pattern's name, e.g. window_agg) "
                    + "or of --sink paimon (DATABASE.NAME in --warehouse, created if missing; default: "
                    + "default.<pattern's name>).")
    String table;

    @Option(names = "--warehouse", paramLabel = "DIR",
            description = "The Paimon warehouse of --sink paimon and --source paimon: a directory (or a URI Paimon's "
                    + "file IO takes) holding its databases and tables. Default: "
                    + dev.flinkpatterns.io.paimon.PaimonCatalogs.DEFAULT_WAREHOUSE + ".")
    String warehouse;

    /** Whether the pattern reads a Paimon table of --warehouse: then the option is not only the sink's. */
    boolean warehouseReadByPattern;

    @Option(names = "--alert-when", paramLabel = "COLUMN=VALUE",
            description = "With --sink foreach-batch: the rows whose COLUMN is VALUE also go to DIR/alerts, one file "
                    + "per batch.")
    String alertWhen;

    @Option(names = "--output", paramLabel = "DIR",
            description = "The run's output directory: file sinks and files-2pc write to DIR/results, dead letters go "
                    + "to DIR/dead-letter (default: data/output/<pattern>).")
    String output;

    @Option(names = "--partition-by", paramLabel = "COLUMN",
            description = "With a file sink: Spark's partitionBy(\"date\", \"hour\") of the time in COLUMN (for example "
                    + "timestamp or window_start): rows go to date=YYYY-MM-DD/hour=HH directories (UTC).")
    String partitionBy;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR",
            description = "Where checkpoints go (RocksDB, incremental). Default: data/checkpoints/<pattern> locally, "
                    + "the cluster's execution.checkpointing.dir under flink run.")
    String checkpointDir;

    @Option(names = "--checkpoint-interval", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "How often a checkpoint is taken, and so how often the exactly-once sinks commit, e.g. 1s or "
                    + "1min. Default: execution.checkpointing.interval of conf/config.yaml (10s) locally, the "
                    + "cluster's under flink run.")
    Duration checkpointInterval;

    @Option(names = "--checkpoint-timeout", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "A checkpoint not complete within this is aborted. Default: execution.checkpointing.timeout "
                    + "of conf/config.yaml (5min) locally, the cluster's under flink run.")
    Duration checkpointTimeout;

    @Option(names = "--from-savepoint", paramLabel = "PATH",
            description = "Resume from this savepoint or retained checkpoint (its directory or its _metadata file), "
                    + "as Spark restarts from its checkpointLocation; the parallelism may differ from the stopped run's.")
    String fromSavepoint;

    @Option(names = "--resume-latest",
            description = "Resume from the newest completed checkpoint retained under the checkpoint directory "
                    + "(--checkpoint-dir or data/checkpoints/<pattern>), that is, from where the last run stopped.")
    boolean resumeLatest;

    @Option(names = "--allow-non-restored-state",
            description = "With --from-savepoint or --resume-latest: skip the state of operators the job no longer has "
                    + "(a removed operator or a changed uid) instead of refusing to start.")
    boolean allowNonRestoredState;

    @Option(names = "--parallelism", paramLabel = "N",
            description = "Parallelism of the job (default: parallelism.default of conf/config.yaml, 2).")
    Integer parallelism;

    @Mixin
    ConsoleOptions console = new ConsoleOptions();

    @Option(names = "--progress-interval", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "How often a run prints its progress on stderr (records read, records/s, late rows dropped, "
                    + "dead letters); 0s: never. Default: 10s.")
    Duration progressInterval = Duration.ofSeconds(10);

    @Option(names = "--listener", paramLabel = "FILE",
            description = "Append the job's events to FILE as JSON lines (Spark's StreamingQueryListener): started, "
                    + "progress at each completed checkpoint and at the end (rows read, watermark, state size, "
                    + "checkpoint id and duration), terminated with the reason (finished, cancelled, failed).")
    String listener;

    // The environment variable lets a script (the docs check) move every run of a session off 8081 at once.
    @Option(names = "--web-ui-port", paramLabel = "PORT", defaultValue = "${env:PATTERNS_WEB_UI_PORT:-8081}",
            description = "Port of the Flink web UI of a local run (ignored under flink run). "
                    + "Default: ${DEFAULT-VALUE} (environment variable PATTERNS_WEB_UI_PORT).")
    int webUiPort;
}
