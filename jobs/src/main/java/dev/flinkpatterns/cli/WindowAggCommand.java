package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.Api;
import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.io.RateSource;
import dev.flinkpatterns.patterns.windows.Dataset;
import dev.flinkpatterns.patterns.windows.Datasets;
import dev.flinkpatterns.patterns.windows.NamedAggregates;
import dev.flinkpatterns.patterns.windows.WindowAggregation;
import dev.flinkpatterns.patterns.windows.WindowQuery;
import dev.flinkpatterns.patterns.windows.WindowSpec;
import dev.flinkpatterns.run.PatternOutputs;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import dev.flinkpatterns.io.ReaderOptions;
import dev.flinkpatterns.io.ReaderOptions.Format;
import dev.flinkpatterns.io.RowInput;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.io.SchemaDdl;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import dev.flinkpatterns.io.KafkaRecord;
import dev.flinkpatterns.io.SourceLine;
import org.apache.flink.streaming.api.datastream.DataStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "window-agg", mixinStandardHelpOptions = true,
        description = {"Windowed aggregation with a watermark: tumbling, sliding or session windows.",
                "Spark's withWatermark(...).groupBy(window(...), keys).agg(count, sum, avg, min, max, countDistinct), "
                        + "in the DataStream API or in SQL (window table functions), with the same results. Rows behind "
                        + "the watermark are dropped, counted (metric numLateRowsDropped) and, with --late-output, "
                        + "written out; in complete mode, as in Spark, every window is kept and no row is late. "
                        + "Malformed rows go to the dead-letter directory."})
class WindowAggCommand extends PatternCommand {

    static final String NONE = "none";
    /** --window none: a running aggregate per key. Compared by identity, so no parsed duration is taken for it. */
    static final Duration NO_WINDOW = Duration.ofNanos(1);

    @Mixin
    FileInputOptions input = FileInputOptions.csv();

    @Mixin
    EventTimeOptions eventTime;

    @Mixin
    WatermarkPolicyOptions watermarkPolicy;

    /** With --subscribe or --subscribe-pattern the rows come from Kafka (one row a record value) instead of files. */
    @Mixin
    KafkaSourceOptions kafka;

    @Option(names = "--source", paramLabel = "SOURCE",
            description = "What to read: events (CSV timestamp,user_id,event), transactions (CSV event_time,"
                    + "transaction_id,user_id,category,region,amount), sensors (JSON lines), rate (Spark's rate "
                    + "source: timestamp, value) or paimon (the table --source-table of --warehouse). Default: ${DEFAULT-VALUE}.")
    String source = "events";

    /** With --source paimon: the table to read. */
    @Mixin
    PaimonSourceOptions paimon;

    private PaimonSourceOptions.TableInput table;

    /** Spark's reader options: the user's own files instead of --source's dataset. */
    @Mixin
    ReaderOptionsMixin reader;

    @Option(names = "--event-time", paramLabel = "COLUMN",
            description = "The TIMESTAMP column the windows and --watermark follow (with --schema). Default: timestamp, "
                    + "else the schema's only TIMESTAMP column.")
    String eventTimeColumn;

    @Option(names = "--window", paramLabel = "DURATION", converter = WindowLengthConverter.class,
            description = "Window length, e.g. 5m: tumbling windows, or sliding with --slide; none: no window, a running "
                    + "aggregate per key (Spark's groupBy(keys).agg(...); update or complete mode).")
    Duration window;

    @Option(names = "--slide", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "How often a sliding window starts, e.g. 5m with --window 10m.")
    Duration slide;

    @Option(names = "--session-gap", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "Session windows (Spark's session_window): a key's session ends after this long without a row.")
    Duration sessionGap;

    @Option(names = "--group-by", paramLabel = "COLUMNS", split = ",",
            description = "Columns to group by besides the window, or none (default: event for events, category for "
                    + "transactions, device_id for sensors, none for rate).")
    List<String> groupBy;

    @Option(names = "--value", paramLabel = "COLUMN",
            description = "Numeric column for sum, avg, min and max, or none (default: amount for transactions, temperature "
                    + "for sensors, value for rate, none for events).")
    String value;

    @Option(names = "--distinct", paramLabel = "COLUMN",
            description = "Column counted exactly and distinctly, or none (default: user_id; sensor_id for sensors; none for rate).")
    String distinct;

    @Option(names = "--agg", paramLabel = "AGGREGATES",
            description = "The aggregates, as Spark SQL writes them, each with an optional alias, e.g. \"count(*) AS "
                    + "events, sum(amount) AS revenue, avg(amount), count(DISTINCT user_id), approx_count_distinct("
                    + "user_id) AS users\": count(*), count(col), sum, avg, min, max, count(DISTINCT col), "
                    + "approx_count_distinct (HyperLogLog, about 5%% error). Instead of --value and --distinct.")
    String agg;

    @Option(names = "--rows-per-second", paramLabel = "N",
            description = "Rows a second of --source rate (Spark's rowsPerSecond). Default: ${DEFAULT-VALUE}.")
    long rowsPerSecond = 1;

    @Option(names = "--api", paramLabel = "API", converter = Converters.ApiConverter.class,
            description = "datastream or sql (window table functions in append mode; in complete mode group windows "
                    + "with Flink's emit strategy, not for --session-gap). Default: ${DEFAULT-VALUE}.")
    Api api = Api.DATASTREAM;

    private WindowQuery query;
    private Dataset<?> dataset;
    /** The user's own files: how to read them, else null (--source's dataset). */
    private ReaderOptions readerOptions;
    private String timeColumn;

    @Override
    OutputMode.Query query() {
        return eventTime.watermark == null || window == NO_WINDOW
                ? OutputMode.Query.AGGREGATION_WITHOUT_WATERMARK
                : OutputMode.Query.AGGREGATION_WITH_WATERMARK;
    }

    @Override
    void validate() {
        if (readsPaimon()) {
            if (readsKafka()) {
                throw new UsageException("--subscribe reads Kafka; --source paimon reads a table: give one");
            }
            table = paimon.check(spec, reader, streaming.trigger, null, streaming.warehouse);
            readerOptions = table.reader();
            useSchema();
        } else {
            PaimonSourceOptions.refuseWithout(spec, "--source " + source);
            try {
                dataset = Datasets.named(source);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--source " + e.getMessage() + ", paimon");
            }
        }
        if (readsPaimon()) {
            eventTime.validate();
            watermarkPolicy.apply(eventTime, null, streaming.trigger);
        } else if (isRate()) {
            if (rowsPerSecond < 1) {
                throw new UsageException("--rows-per-second must be at least 1, got " + rowsPerSecond);
            }
            if (streaming.trigger.isBounded()) {
                throw new UsageException("--trigger " + streaming.trigger + " reads what exists and stops, but the rate "
                        + "source never ends; use the default trigger or an interval");
            }
        } else if (readsKafka()) {
            if (spec.commandLine().getParseResult().hasMatchedOption("--input")) {
                throw new UsageException("--input reads files; with --subscribe the rows come from Kafka");
            }
            kafka.validate();
        } else {
            if (!spec.commandLine().getParseResult().hasMatchedOption("--input")) {
                input.input = dataset.defaultInput();
            }
            input.validate(streaming.trigger);
        }
        if (!readsPaimon()) {
            eventTime.validate();
            watermarkPolicy.apply(eventTime, isRate() || readsKafka() ? null : input, streaming.trigger);
        }
        if (!readsPaimon() && (reader.given() || eventTimeColumn != null)) {
            readUsersFiles();
        }
        query = (agg == null ? shortFormQuery() : namedQuery()).withKeyColumns(dataset.keyColumns(keys()));
        OutputMode mode = OutputMode.choose(streaming.outputMode, query());
        if (!eventTime.allowedLateness.isZero() && mode == OutputMode.APPEND) {
            throw new UsageException("--allowed-lateness re-emits windows that were already emitted; append mode emits "
                    + "a window once: use --output-mode update");
        }
        if (query.isWindowed()) {
            EventTimeOptions.checkCompleteMode(mode, eventTime.lateOutput, eventTime.allowedLateness);
        }
        if (api == Api.SQL) {
            if (!query.isWindowed()) {
                throw new UsageException("--window none is a running aggregate in update or complete mode; "
                        + "use --api datastream");
            }
            if (query.outputs().stream().anyMatch(o -> o.aggregate() == WindowQuery.Aggregate.APPROX_COUNT_DISTINCT)) {
                throw new UsageException("--agg approx_count_distinct is not available in streaming Flink SQL; "
                        + "use --api datastream");
            }
            if (eventTime.watermark == null) {
                throw new UsageException("--api sql needs --watermark: SQL window functions close windows by the watermark");
            }
            String refusal = WindowAggregation.sqlRefusal(query.window(), mode);
            if (refusal != null) {
                throw new UsageException(refusal);
            }
            if (!eventTime.allowedLateness.isZero()) {
                throw new UsageException("--allowed-lateness is a DataStream feature; SQL window functions have none");
            }
            watermarkPolicy.refuseWithSqlApi(api);
        }
    }

    /**
     * The reader options and the event-time column over the user's files; without --schema the schema of --source's
     * dataset, when it has one.
     */
    private void readUsersFiles() {
        if (isRate()) {
            throw new UsageException("--source rate generates its rows; reader options and --event-time are for files "
                    + "and Kafka records");
        }
        if (readsKafka() && "infer".equalsIgnoreCase(reader.schema)) {
            throw new UsageException("--schema infer samples files; with --subscribe give the schema of the record values");
        }
        readerOptions = reader.resolve(input.input, Format.CSV, PRESET_SCHEMAS.get(source), CliContext.of(spec).err());
        if (readsKafka() && readerOptions.format() == Format.PARQUET) {
            throw new UsageException(KafkaPatternCommand.PARQUET_VALUES);
        }
        useSchema();
    }

    /** The event-time column and the dataset of {@link #readerOptions}' rows (the user's files or a Paimon table). */
    private void useSchema() {
        RowSchema schema = readerOptions.rowSchema();
        if (eventTimeColumn != null) {
            timeColumn = SchemaColumns.eventTime("--event-time", eventTimeColumn, schema);
        } else {
            String preset = SchemaColumns.defaultEventTime(schema);
            timeColumn = preset != null ? preset : SchemaColumns.soleTimestamp(schema);
        }
        if (timeColumn == null && window != NO_WINDOW) {
            throw new UsageException("windows need --event-time COLUMN, a TIMESTAMP column of: " + SchemaDdl.print(schema));
        }
        dataset = Datasets.ofSchema(readerOptions, timeColumn);
    }

    /** The datasets of --source as schemas, for reader options without --schema. */
    private static final Map<String, RowSchema> PRESET_SCHEMAS = Map.of(
            "events", ReaderOptionsMixin.EVENT_FILES,
            "transactions", SchemaDdl.parse("event_time TIMESTAMP, transaction_id STRING, user_id INT, category STRING, "
                    + "region STRING, amount DOUBLE"));

    /** {@code --value} and {@code --distinct}: every aggregate they allow, under Spark's default names. */
    private WindowQuery shortFormQuery() {
        String valueColumn = column("--value", value, dataset.defaultValue(), true);
        return new WindowQuery(windowSpec(), keys(), valueColumn, valueColumn != null && dataset.isIntegral(valueColumn),
                column("--distinct", distinct, dataset.defaultDistinct(), false), eventTime.settings());
    }

    private WindowQuery namedQuery() {
        if (value != null || distinct != null) {
            throw new UsageException("--agg names every aggregate and its column; drop " + (value != null ? "--value" : "--distinct"));
        }
        try {
            return new WindowQuery(windowSpec(), keys(), eventTime.settings(), NamedAggregates.parse(agg, dataset));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--agg " + e.getMessage());
        }
    }

    /** A window, or null for --window none. */
    private WindowSpec windowSpec() {
        if (window == NO_WINDOW) {
            if (slide != null || sessionGap != null) {
                throw new UsageException("--window none has no windows: drop --slide and --session-gap");
            }
            return null;
        }
        try {
            if (sessionGap != null) {
                if (window != null || slide != null) {
                    throw new UsageException("--session-gap cannot be combined with --window or --slide");
                }
                return WindowSpec.session(sessionGap);
            }
            if (window == null) {
                throw new UsageException("give --window (tumbling, or sliding with --slide) or --session-gap");
            }
            return slide == null ? WindowSpec.tumbling(window) : WindowSpec.sliding(window, slide);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private List<String> keys() {
        List<String> keys = groupBy == null ? dataset.defaultKeys()
                : groupBy.stream().map(String::trim).filter(k -> !k.isEmpty() && !k.equals(NONE)).toList();
        for (String key : keys) {
            if (!dataset.columns().containsKey(key)) {
                throw new UsageException("--group-by " + key + " is not a column of " + dataset.name() + "; columns: "
                        + String.join(", ", dataset.columnNames()));
            }
        }
        if (keys.stream().distinct().count() != keys.size()) {
            throw new UsageException("--group-by names a column twice: " + String.join(",", keys));
        }
        return keys;
    }

    private String column(String option, String given, String fallback, boolean numeric) {
        String column = given == null ? fallback : given.trim();
        if (column == null || column.equals(NONE)) {
            return null;
        }
        List<String> allowed = numeric ? dataset.numericColumns() : dataset.columnNames();
        if (!allowed.contains(column)) {
            throw new UsageException(option + " " + column + " is not a" + (numeric ? " numeric" : "") + " column of "
                    + dataset.name() + "; " + (allowed.isEmpty() ? "it has none" : "columns: " + String.join(", ", allowed))
                    + ", or none");
        }
        return column;
    }

    /** {@code --window}: a duration, or none. */
    static final class WindowLengthConverter implements picocli.CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return value.trim().equals(NONE) ? NO_WINDOW : new Converters.DurationConverter().convert(value);
        }
    }

    private boolean isRate() {
        return dataset == Datasets.RATE;
    }

    @Override
    @SuppressWarnings("unchecked")
    PatternOutputs define(StreamExecutionEnvironment env, OutputMode mode, Trigger trigger) {
        if (isRate()) {
            return WindowAggregation.fromRecords(RateSource.rows(env, rowsPerSecond), Datasets.RATE, query, api, mode,
                    trigger, null);
        }
        if (readsPaimon()) {
            return WindowAggregation.fromInput(eventTime.readers(table.rowInput(env, trigger, null)), timeColumn, query,
                    api, mode, trigger);
        }
        if (readerOptions != null) {
            RowInput rows = readsKafka() ? RowInput.ofLines(kafkaLines(env, trigger), readerOptions)
                    : input.rowInput(env, trigger, readerOptions);
            return WindowAggregation.fromInput(eventTime.readers(rows), timeColumn, query, api, mode, trigger);
        }
        DataStream<SourceLine> lines = readsKafka() ? kafkaLines(env, trigger) : input.lines(env, trigger);
        return WindowAggregation.fromLines(eventTime.readers(lines), dataset, query, api, mode, trigger);
    }

    private DataStream<SourceLine> kafkaLines(StreamExecutionEnvironment env, Trigger trigger) {
        return KafkaRecord.lines(kafka.records(env, streaming.kafkaConnection, patternName(), trigger));
    }

    @Override
    void checkServices() {
        if (readsKafka()) {
            kafka.checkReachable(streaming.kafkaConnection, patternName(), streaming.trigger);
        }
    }

    @Override
    boolean readsPaimon() {
        return PaimonSourceOptions.PAIMON.equals(source);
    }

    private boolean readsKafka() {
        return !kafka.topics.isEmpty() || kafka.topicPattern != null;
    }

    @Override
    String lateOutputDir() {
        return eventTime.lateOutput;
    }
}
