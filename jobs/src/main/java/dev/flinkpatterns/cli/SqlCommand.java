package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.io.KafkaRecord;
import dev.flinkpatterns.io.ReaderOptions;
import dev.flinkpatterns.io.RowInput;
import dev.flinkpatterns.io.ReaderOptions.Format;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.io.SchemaDdl;
import dev.flinkpatterns.patterns.sql.SqlScript;
import dev.flinkpatterns.patterns.sql.UserSql;
import dev.flinkpatterns.run.PatternOutputs;
import dev.flinkpatterns.time.WatermarkSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "sql", mixinStandardHelpOptions = true,
        description = {"Run your own Flink SQL query over your own files, with every sink, trigger and output mode.",
                "Each --source NAME=DIR is a view NAME of the files in DIR, read with the reader options below (bad "
                        + "lines go to the dead-letter directory); with --event-time and --watermark its time column is "
                        + "a rowtime, for window functions (TUMBLE, HOP, SESSION, CUMULATE) and interval joins. "
                        + "--query-file may declare more tables and views (CREATE TABLE, CREATE VIEW) before the query, "
                        + "separated by ';'.",
                "The output mode follows from the query: append for a query that only adds rows (a window "
                        + "aggregation, a filter), update for a query that changes rows it has emitted (a GROUP BY "
                        + "without window); such a query is refused in append mode, as Spark refuses it. Unlike "
                        + "Spark's complete mode, a window function drops the rows whose window the watermark has "
                        + "closed in complete mode too (Flink SQL's windows); window-agg --output-mode complete "
                        + "counts them, as Spark does."})
class SqlCommand extends PatternCommand {

    @Option(names = "--query", paramLabel = "SQL", description = "The query, e.g. \"SELECT event, COUNT(*) AS n FROM events "
            + "GROUP BY event\".")
    String query;

    @Option(names = "--query-file", paramLabel = "FILE",
            description = "The query from a file; statements before it (CREATE TABLE, CREATE VIEW) end with ';'.")
    String queryFile;

    @Option(names = "--source", paramLabel = "NAME=DIR|NAME=kafka:TOPIC|NAME=paimon:DATABASE.TABLE",
            description = "A view NAME over the files in DIR (new files are picked up as they appear), over the "
                    + "record values of a Kafka topic (the connection: --bootstrap-servers or --kafka embedded), or "
                    + "over the rows and changes of a Paimon table of --warehouse (typed by the table); repeatable. Every source is read with the same reader options (with --schema infer, each file "
                    + "source its own schema), but for --source-schema and --source-format.")
    List<String> sources = new ArrayList<>();

    @Option(names = "--source-schema", paramLabel = "NAME=DDL|infer",
            description = "The schema of source NAME alone (Spark DDL, or infer), for sources of different shapes; "
                    + "repeatable. The other sources keep --schema.")
    Map<String, String> sourceSchemas = new LinkedHashMap<>();

    @Option(names = "--source-format", paramLabel = "NAME=FORMAT",
            description = "The format of source NAME alone (csv, json, parquet, text); repeatable. The other sources "
                    + "keep --format.")
    Map<String, String> sourceFormats = new LinkedHashMap<>();

    @Mixin
    FileInputOptions files = FileInputOptions.csv();

    @Mixin
    KafkaSourceOptions kafka;

    @Mixin
    ReaderOptionsMixin reader;

    /** The options of the NAME=paimon:TABLE sources (their tables named there, not by --source-table). */
    @Mixin
    PaimonSourceOptions paimon;

    @Option(names = "--event-time", paramLabel = "COLUMN",
            description = "The TIMESTAMP column that is each source's rowtime, which --watermark follows. Default with "
                    + "--watermark: timestamp, else the schema's only TIMESTAMP column.")
    String eventTimeColumn;

    @Mixin
    EventTimeOptions eventTime;

    @Mixin
    WatermarkPolicyOptions watermarkPolicy;

    private SqlScript script;
    private final Map<String, SourceInput> inputs = new LinkedHashMap<>();
    private OutputMode.Query kind;

    /**
     * A --source: its directory or its topic (the other null), how its files or record values are read, its rowtime
     * column (or null).
     */
    private record SourceInput(FileInputOptions files, KafkaSourceOptions topic, PaimonSourceOptions.TableInput table,
            ReaderOptions reader, String eventTime) {}

    @Override
    Set<String> inapplicableOptions() {
        // The sources name their directories; SQL's own operators drop late rows, nothing else may.
        return Set.of("--input", "--subscribe", "--subscribe-pattern", "--allowed-lateness", "--late-output", "--source-table");
    }

    @Override
    public Integer call() throws Exception {
        // The output mode follows from the query: plan it (on an environment that never runs) before anything else.
        readOptions();
        UserSql.Planned planned = plan(new StreamExecutionEnvironment(), Trigger.DEFAULT);
        if (!planned.insertOnly()) {
            kind = OutputMode.Query.AGGREGATION_WITHOUT_WATERMARK;
            if (streaming.outputMode == null) {
                streaming.outputMode = OutputMode.UPDATE.cliName();
            }
        } else {
            kind = planned.aggregates() ? OutputMode.Query.AGGREGATION_WITH_WATERMARK : OutputMode.Query.NO_AGGREGATION;
        }
        return super.call();
    }

    @Override
    OutputMode.Query query() {
        return kind;
    }

    private void readOptions() {
        if ((query == null) == (queryFile == null)) {
            throw new UsageException("give the query with --query SQL or --query-file FILE");
        }
        try {
            script = SqlScript.parse(query != null ? query : read(queryFile));
        } catch (IllegalArgumentException e) {
            throw new UsageException(sqlOrigin() + ": " + e.getMessage());
        }
        eventTime.validate();
        for (String source : sources) {
            int equals = source.indexOf('=');
            String name = equals < 0 ? "" : source.substring(0, equals).strip();
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new UsageException("--source " + source + ": give NAME=DIR, NAME a SQL name (letters, digits, _)");
            }
            if (inputs.containsKey(name)) {
                throw new UsageException("--source " + name + " is given twice");
            }
            String location = source.substring(equals + 1).strip();
            SourceInput input = location.startsWith(KAFKA) ? topic(name, location.substring(KAFKA.length()))
                    : location.startsWith(PAIMON) ? table(name, location.substring(PAIMON.length()))
                    : directory(name, location);
            inputs.put(name, input);
        }
        if (inputs.values().stream().noneMatch(input -> input.table() != null)) {
            PaimonSourceOptions.refuseWithout(spec, "no --source NAME=paimon:DATABASE.TABLE");
        }
        applyWatermarkPolicy();
        for (Map<String, String> own : List.of(sourceSchemas, sourceFormats)) {
            for (String name : own.keySet()) {
                if (!inputs.containsKey(name)) {
                    throw new UsageException((own == sourceSchemas ? "--source-schema " : "--source-format ") + name
                            + "=...: no --source " + name + "=...; sources: " + String.join(", ", inputs.keySet()));
                }
            }
        }
    }

    /**
     * Spark's micro-batch watermark over one source of files (several sources would need their batches read in
     * step, as interval-join reads its two sides).
     */
    private void applyWatermarkPolicy() {
        if (watermarkPolicy.policy == WatermarkSettings.Policy.SPARK) {
            if (inputs.size() != 1) {
                throw new UsageException("--watermark-policy spark takes one --source; got " + inputs.size());
            }
            watermarkPolicy.apply(eventTime, inputs.values().iterator().next().files(), streaming.trigger);
        }
    }

    /** The reader options of source {@code name}: its own --source-schema and --source-format over the shared ones. */
    private ReaderOptionsMixin readerOf(String name) {
        if (!sourceSchemas.containsKey(name) && !sourceFormats.containsKey(name)) {
            return reader;
        }
        return reader.forSource(name, sourceFormats.get(name), sourceSchemas.get(name));
    }

    private static final String KAFKA = "kafka:";
    private static final String PAIMON = PaimonSourceOptions.PAIMON + ":";

    private SourceInput directory(String name, String location) {
        FileInputOptions input = files.forDirectory(location, name + " files");
        input.validate(streaming.trigger);
        ReaderOptions options = readerOf(name).resolve(input.input, Format.CSV, ReaderOptionsMixin.EVENT_FILES,
                CliContext.of(spec).err());
        return new SourceInput(input, null, null, options, timeColumn(name, options.rowSchema()));
    }

    private SourceInput topic(String name, String topic) {
        if (topic.isBlank() || topic.contains(",")) {
            throw new UsageException("--source " + name + "=kafka:" + topic + ": give one topic");
        }
        if ("infer".equalsIgnoreCase(sourceSchemas.getOrDefault(name, reader.schema))) {
            throw new UsageException("--schema infer samples files; source " + name + " reads Kafka: give the schema "
                    + "of the record values");
        }
        KafkaSourceOptions options = kafka.forTopic(topic);
        options.validate();
        ReaderOptions values = readerOf(name).resolve(null, Format.CSV, ReaderOptionsMixin.EVENT_FILES,
                CliContext.of(spec).err());
        if (values.format() == Format.PARQUET) {
            throw new UsageException(KafkaPatternCommand.PARQUET_VALUES);
        }
        return new SourceInput(null, options, null, values, timeColumn(name, values.rowSchema()));
    }

    @Override
    boolean readsPaimon() {
        return sources.stream().anyMatch(source -> source.contains("=" + PAIMON));
    }

    private SourceInput table(String name, String table) {
        if (sourceSchemas.containsKey(name) || sourceFormats.containsKey(name)) {
            throw new UsageException("source " + name + " reads a Paimon table, typed by its own schema: drop "
                    + (sourceSchemas.containsKey(name) ? "--source-schema " : "--source-format ") + name + "=...");
        }
        PaimonSourceOptions.TableInput input = paimon.check(spec, null, streaming.trigger, table, streaming.warehouse);
        return new SourceInput(null, null, input, input.reader(), timeColumn(name, input.schema()));
    }

    @Override
    void checkServices() {
        inputs.values().stream().filter(input -> input.topic() != null).forEach(input -> input.topic()
                .checkReachable(streaming.kafkaConnection, patternName(), streaming.trigger));
    }

    /** The source's rowtime: --event-time, else with --watermark the event files' timestamp or the only TIMESTAMP. */
    private String timeColumn(String name, RowSchema schema) {
        if (eventTimeColumn != null) {
            return SchemaColumns.eventTime("--event-time (source " + name + ")", eventTimeColumn, schema);
        }
        if (eventTime.watermark == null) {
            return null;
        }
        String column = SchemaColumns.defaultEventTime(schema);
        column = column != null ? column : SchemaColumns.soleTimestamp(schema);
        if (column == null) {
            throw new UsageException("--watermark needs --event-time COLUMN, a TIMESTAMP column of source " + name + ": "
                    + SchemaDdl.print(schema));
        }
        return column;
    }

    private UserSql.Planned plan(StreamExecutionEnvironment env, Trigger trigger) {
        try {
            return UserSql.plan(env, sources(env, trigger), script);
        } catch (IllegalArgumentException e) {
            throw new UsageException(sqlOrigin() + ": " + e.getMessage());
        }
    }

    private List<UserSql.Source> sources(StreamExecutionEnvironment env, Trigger trigger) {
        List<UserSql.Source> views = new ArrayList<>();
        inputs.forEach((name, source) -> {
            RowInput rows = source.files() != null ? source.files().rowInput(env, trigger, source.reader())
                    : source.table() != null ? source.table().rowInput(env, trigger, name)
                    : RowInput.ofLines(KafkaRecord.lines(source.topic().records(env, streaming.kafkaConnection,
                            patternName(), trigger, name), name), source.reader());
            views.add(new UserSql.Source(name, eventTime.readers(rows), source.eventTime(), eventTime.settings()));
        });
        return views;
    }

    @Override
    PatternOutputs define(StreamExecutionEnvironment env, OutputMode mode, Trigger trigger) {
        return UserSql.query(env, sources(env, trigger), script, mode, trigger);
    }

    private String sqlOrigin() {
        return query != null ? "--query" : "--query-file " + queryFile;
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageException("--query-file " + file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }
}
