package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.Api;
import dev.flinkpatterns.core.DisplayPath;
import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.ProcessingClock;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.io.ReaderOptions;
import dev.flinkpatterns.io.ReaderOptions.Format;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.io.paimon.PaimonCatalogs;
import dev.flinkpatterns.patterns.medallion.Clickstream;
import dev.flinkpatterns.patterns.medallion.Lake;
import dev.flinkpatterns.patterns.medallion.Medallion;
import dev.flinkpatterns.patterns.medallion.PaimonLake;
import dev.flinkpatterns.patterns.medallion.ParquetLake;
import dev.flinkpatterns.patterns.windows.WindowAggregation;
import dev.flinkpatterns.patterns.windows.WindowQuery;
import dev.flinkpatterns.run.PatternOutputs;
import dev.flinkpatterns.io.ColumnNames;
import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.table.ShownValues;
import dev.flinkpatterns.table.ResultTable;
import dev.flinkpatterns.time.WatermarkSettings;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

@Command(name = "medallion", mixinStandardHelpOptions = true,
        description = {"Bronze, silver and gold clickstream tables (the workshop's module 8), each stage its own pipeline.",
                "bronze: every raw JSON line as it was, with source_file and ingest_time, as Parquet in LAKE/bronze. "
                        + "silver: reads bronze as it grows, parses the events (malformed lines go to the dead-letter "
                        + "directory), drops rows without event_type, adds parsed_timestamp and INNER joins the user "
                        + "dimension on user_id, as Parquet in LAKE/silver. gold: reads silver as it grows, 5-minute "
                        + "windows by page_category and user_segment with a 30-minute watermark: page_views, "
                        + "unique_users, avg_time_on_page, to --sink. Each stage commits its part files on checkpoints "
                        + "and reads only committed ones: exactly once from stage to stage. --stage all runs the three "
                        + "in one job; with --trigger once or available-now one after the other.",
                "Your own files: --stage bronze with --format, --schema and the other reader options is Auto Loader's "
                        + "bronze: the rows typed by the schema, with source_file, line and ingest_time, as Parquet in "
                        + "LAKE/bronze; rows that do not fit the schema go to the dead-letter directory."})
class MedallionCommand extends PatternCommand {

    /** Which stage a run is. */
    enum Stage { BRONZE, SILVER, GOLD, ALL }

    @Option(names = "--stage", paramLabel = "STAGE",
            description = "bronze, silver, gold, or all (the three together). Default: ${DEFAULT-VALUE}.")
    String stageName = "all";

    @Mixin
    FileInputOptions input = new FileInputOptions("data/input/clickstream", "clickstream files",
            "create it and write clickstream_batch_N.json files into it, e.g. with ./patterns generate clickstream");

    @Mixin
    ReaderOptionsMixin reader;

    @Option(names = "--lake", paramLabel = "DIR|paimon",
            description = "The lake: bronze/ and silver/ Parquet tables, dead-letter/, and gold/ with --sink parquet, "
                    + "json or csv (unless --output says otherwise). A stage looks for the previous stage's new files "
                    + "every --discovery-interval. paimon: Apache Paimon tables medallion.bronze and medallion.silver "
                    + "of --warehouse, each stage reading the previous one's snapshots as they are committed, and gold "
                    + "by default --sink paimon --table medallion.gold --output-mode update (upserts of a primary-key "
                    + "table: the workshop's complete-mode Delta gold). Default: data/output/medallion.")
    String lake;

    @Option(names = "--user-dim", paramLabel = "FILE",
            description = "The user dimension, a CSV file user_id,user_segment,country,signup_date, read again every "
                    + "--discovery-interval: a changed file is joined with the events that come after it. "
                    + "Default: ${DEFAULT-VALUE}.")
    String userDim = "data/input/user_dim/user_dim.csv";

    @Option(names = "--window", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "Gold's tumbling window. Default: 5m.")
    Duration window = Duration.ofMinutes(5);

    @Option(names = "--watermark", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "Gold's withWatermark(\"parsed_timestamp\", ...) delay. Default: 30m.")
    Duration watermark = Duration.ofMinutes(30);

    @Option(names = "--watermark-every-event",
            description = "Move gold's watermark after every row, with one reader of silver: which rows are late no "
                    + "longer depends on timing (for tests and teaching).")
    boolean watermarkEveryEvent;

    @Option(names = "--late-output", paramLabel = "DIR",
            description = "Write the silver rows gold dropped as late to DIR as JSON lines. Default: counted only.")
    String lateOutput;

    @Option(names = "--api", paramLabel = "API", converter = Converters.ApiConverter.class,
            description = "Gold in datastream or sql (a window table function in append mode; a group window with "
                    + "Flink's emit strategy in complete mode). "
                    + "Default: ${DEFAULT-VALUE}.")
    Api api = Api.DATASTREAM;

    @Option(names = "--show", paramLabel = "TABLE",
            description = "Instead of running a stage: print a table of the lake (bronze, with the columns its files have; silver; "
                    + "or gold once written with --sink parquet) as its committed Parquet files hold it now, then stop; Spark's "
                    + "spark.read.table(...).show(). With --truncate false for whole values.")
    String show;

    /** {@code --lake paimon}: the stages' tables in a Paimon warehouse instead of Parquet directories. */
    static final String PAIMON_LAKE = "paimon";

    private static final String BRONZE = "bronze";
    private static final String SILVER = "silver";

    /** A quiet reader of silver stops holding gold's watermark back after this long. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(5);

    /** The options of the user's own files, for bronze. */
    private static final Set<Class<?>> READER_OPTIONS = Set.of(ReaderOptionsMixin.class, ReaderFormatOptions.class);

    private Stage stage;
    /** Bronze of the user's own files: how to read them, else null (the raw clickstream lines, as always). */
    private ReaderOptions readerOptions;
    private WindowQuery goldQuery;
    private Lake lakeTables;

    @Override
    OutputMode.Query query() {
        return OutputMode.Query.AGGREGATION_WITH_WATERMARK;
    }

    /** {@code --lake paimon}: gold goes to the lake's primary-key table unless told otherwise. */
    @Override
    OutputMode checkOptions() {
        if (paimonLake()) {
            var parsed = spec.commandLine().getParseResult();
            if (!parsed.hasMatchedOption("--sink")) {
                streaming.sink = ResultSink.PAIMON.name().toLowerCase(Locale.ROOT);
            }
            if (!parsed.hasMatchedOption("--table") && ResultSink.parse(streaming.sink) == ResultSink.PAIMON) {
                streaming.table = PaimonLake.DATABASE + ".gold";
            }
            if (streaming.outputMode == null) {
                streaming.outputMode = OutputMode.UPDATE.cliName();
            }
        }
        return super.checkOptions();
    }

    @Override
    boolean readsPaimon() {
        return paimonLake(); // --warehouse is the lake's too, whatever gold's sink
    }

    private boolean paimonLake() {
        return PAIMON_LAKE.equals(lake);
    }

    @Override
    void validate() {
        try {
            stage = Stage.valueOf(stageName.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--stage " + stageName + " is not bronze, silver, gold or all");
        }
        var parsed = spec.commandLine().getParseResult();
        String readerOption = parsed.matchedOptions().stream()
                .filter(option -> READER_OPTIONS.contains(((Field) option.userObject()).getDeclaringClass()))
                .map(OptionSpec::longestName).findFirst().orElse(null);
        if (readerOption != null && (show != null || stage != Stage.BRONZE)) {
            throw new UsageException(readerOption + " reads your own files into bronze (--stage bronze); "
                    + (show != null ? "--show " + show : "--stage " + stageName) + " is the clickstream's only");
        }
        if (show != null && paimonLake()) {
            throw new UsageException("--show reads a Parquet lake; a Paimon lake's tables are shown by ./patterns table "
                    + "show --table " + PaimonLake.DATABASE + "." + show + " (with --warehouse, --as-of)");
        }
        if (show != null) {
            if (!List.of("bronze", "silver", "gold").contains(show)) {
                throw new UsageException("--show " + show + " is not a table of the lake: bronze, silver or gold");
            }
            for (String runOption : List.of("--stage", "--trigger", "--output-mode", "--input", "--user-dim")) {
                if (parsed.hasMatchedOption(runOption)) {
                    throw new UsageException("--show prints the " + show + " table as it is now and stops; it takes no "
                            + runOption);
                }
            }
            streaming.trigger = Trigger.AVAILABLE_NOW;
        }
        if (stage == Stage.BRONZE || stage == Stage.SILVER) {
            for (String goldOption : List.of("--sink", "--output-mode", "--api", "--window", "--watermark",
                    "--watermark-every-event", "--late-output")) {
                if (parsed.hasMatchedOption(goldOption)) {
                    throw new UsageException(goldOption + " is about gold's table; --stage " + stageName
                            + " writes its Parquet table to LAKE/" + stage.name().toLowerCase(Locale.ROOT));
                }
            }
        }
        if (show != null) {
            // nothing is read but the lake
        } else if (stage == Stage.BRONZE || stage == Stage.ALL) {
            input.validate(streaming.trigger);
            if (reader.given()) {
                readerOptions = reader.resolve(input.input, Format.JSON, Clickstream.EVENT, CliContext.of(spec).err());
                for (String lineage : Medallion.LINEAGE) {
                    if (readerOptions.rowSchema().indexOf(lineage) >= 0) {
                        throw new UsageException("the schema has a column " + lineage + ", which bronze adds; rename it"
                                + " (bronze adds " + String.join(", ", Medallion.LINEAGE) + ")");
                    }
                }
            }
        } else {
            for (String bronzeOption : List.of("--input", "--max-files-per-trigger")) {
                if (parsed.hasMatchedOption(bronzeOption)) {
                    throw new UsageException(bronzeOption + " is about bronze's input; --stage " + stageName
                            + " reads the lake");
                }
            }
        }
        if (stage != Stage.SILVER && stage != Stage.ALL && parsed.hasMatchedOption("--user-dim")) {
            throw new UsageException("--user-dim is read by silver; --stage " + stageName + " does not read it");
        }
        if (show == null && (stage == Stage.SILVER || stage == Stage.ALL)) {
            String given = userDim;
            userDim = Locations.resolve(userDim);
            if (!Locations.isUri(userDim) && !Files.isRegularFile(Path.of(userDim))) {
                throw new UsageException("--user-dim " + given + ": no such file (write the user dimension there, "
                        + "e.g. with ./patterns generate user-dim)");
            }
        }
        try {
            goldQuery = Clickstream.goldQuery(window, new WatermarkSettings(watermark, IDLE_TIMEOUT, Duration.ZERO,
                    watermarkEveryEvent));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        OutputMode mode = OutputMode.choose(streaming.outputMode, query());
        String sqlRefusal = WindowAggregation.sqlRefusal(goldQuery.window(), mode);
        if (api == Api.SQL && sqlRefusal != null) {
            throw new UsageException(sqlRefusal);
        }
        EventTimeOptions.checkCompleteMode(mode, lateOutput, Duration.ZERO);
        if (lateOutput != null) {
            lateOutput = Locations.resolve(lateOutput);
        }
        boolean embedded = CliContext.of(spec).runtime().isEmbedded();
        if (paimonLake()) {
            String warehouse = streaming.warehouse != null ? streaming.warehouse : PaimonCatalogs.DEFAULT_WAREHOUSE;
            PaimonLake paimon = new PaimonLake(Locations.resolveUri(warehouse), PaimonLake.DATABASE);
            lakeTables = paimon;
            if (streaming.output == null) {
                // The dead letters (and gold with a file sink) still go to a directory.
                streaming.output = Locations.resolve(embedded ? "data/output/medallion" : "/tmp/flink-streaming-patterns/output/medallion");
            }
            if (stage == Stage.BRONZE || stage == Stage.ALL) {
                paimon.create(BRONZE, readerOptions != null ? Medallion.ownBronzeSchema(readerOptions.rowSchema()) : Clickstream.BRONZE);
            }
            paimon.create(SILVER, Clickstream.SILVER);
            return;
        }
        if (lake == null) {
            lake = embedded ? "data/output/medallion" : "/tmp/flink-streaming-patterns/output/medallion";
        }
        lake = Locations.resolve(lake);
        if (streaming.output == null) {
            streaming.output = lake;
        }
        ParquetLake parquetLake = new ParquetLake(lake);
        lakeTables = parquetLake;
        if (!Locations.isUri(lake)) {
            // A watched directory must exist before its writer has committed anything.
            try {
                Files.createDirectories(Path.of(parquetLake.tableDirectory(BRONZE)));
                Files.createDirectories(Path.of(parquetLake.tableDirectory(SILVER)));
            } catch (IOException e) {
                throw new UsageException("--lake " + DisplayPath.of(lake) + ": cannot create its directories (" + e.getMessage() + ")");
            }
        }
    }

    @Override
    PatternOutputs define(StreamExecutionEnvironment env, OutputMode mode, Trigger trigger) {
        if (show != null) {
            return showTable(env, mode);
        }
        return switch (stage) {
            case BRONZE -> bronze(env, trigger);
            case SILVER -> silver(env, trigger);
            case GOLD -> gold(env, mode, trigger);
            case ALL -> {
                if (trigger.isBounded()) {
                    yield gold(env, mode, trigger); // bronze and silver ran before: precedingJobs()
                }
                PatternOutputs bronze = bronze(env, trigger);
                PatternOutputs silver = silver(env, trigger);
                PatternOutputs gold = gold(env, mode, trigger);
                yield new PatternOutputs(gold.table(), bronze.deadLetters().union(silver.deadLetters()), gold.lateRows(),
                        concat(lakeTables.resultDirectories(BRONZE), lakeTables.resultDirectories(SILVER)));
            }
        };
    }

    /** With a bounded trigger a stage reads only what exists when it starts: --stage all runs the stages in turn. */
    @Override
    List<PrecedingJob> precedingJobs() {
        if (show != null || stage != Stage.ALL || !streaming.trigger.isBounded()) {
            return List.of();
        }
        Trigger trigger = streaming.trigger;
        return List.of(
                new PrecedingJob("medallion bronze (trigger " + trigger + ")", "medallion/bronze", env -> bronze(env, trigger)),
                new PrecedingJob("medallion silver (trigger " + trigger + ")", "medallion/silver", env -> silver(env, trigger)));
    }

    @Override
    String checkpointName() {
        if (show != null) {
            return "medallion/show";
        }
        Stage last = stage == Stage.ALL && streaming.trigger.isBounded() ? Stage.GOLD : stage;
        return "medallion/" + last.name().toLowerCase(Locale.ROOT);
    }

    @Override
    String resultsName() {
        return "gold";
    }

    @Override
    String lateOutputDir() {
        return lateOutput;
    }

    /** A lake table's rows as a result table, in the order of their values. */
    private PatternOutputs showTable(StreamExecutionEnvironment env, OutputMode mode) {
        RowSchema schema = switch (show) {
            case "bronze" -> bronzeSchema();
            case "silver" -> Clickstream.SILVER;
            default -> goldQuery.schema();
        };
        // Gold's files name the columns as the file sinks do (ColumnNames); the rows come back by position.
        DataStream<Change> rows = (show.equals("gold")
                        ? new ParquetLake(Locations.resolve(streaming.output)).read(env, resultsName(),
                                ColumnNames.legal(schema), Trigger.AVAILABLE_NOW, input.discoveryInterval)
                        : lakeTables.read(env, show, schema, Trigger.AVAILABLE_NOW, input.discoveryInterval))
                .map(MedallionCommand::asChange)
                .returns(Change.class)
                .name("as table rows")
                .uid("show-rows");
        return PatternOutputs.withoutDeadLetters(new ResultTable(rows, schema, mode, Trigger.AVAILABLE_NOW));
    }

    /** Bronze's columns as its committed files have them: the raw lines', or the user's own with the lineage. */
    private RowSchema bronzeSchema() {
        return lakeTables.committedSchema(BRONZE).orElse(Clickstream.BRONZE); // nothing committed yet: an empty table
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> both = new java.util.ArrayList<>(first);
        both.addAll(second);
        return both;
    }

    private static Change asChange(Row row) {
        List<Object> cells = Change.cellsOf(row);
        return new Change(String.join("\u0000", ShownValues.show(cells)), cells);
    }

    private PatternOutputs bronze(StreamExecutionEnvironment env, Trigger trigger) {
        if (readerOptions != null) {
            Medallion.Bronze own = Medallion.bronze(input.rowInput(env, trigger, readerOptions), ProcessingClock.SYSTEM);
            lakeTables.write(own.rows(), BRONZE, Medallion.ownBronzeSchema(readerOptions.rowSchema()));
            return PatternOutputs.ownSinks(lakeTables.resultDirectories(BRONZE), own.deadLetters(), null);
        }
        Medallion.Bronze bronze = Medallion.bronze(input.lines(env, trigger), ProcessingClock.SYSTEM);
        lakeTables.write(bronze.rows(), BRONZE, Clickstream.BRONZE);
        return PatternOutputs.ownSinks(lakeTables.resultDirectories(BRONZE), bronze.deadLetters(), null);
    }

    private PatternOutputs silver(StreamExecutionEnvironment env, Trigger trigger) {
        DataStream<Row> bronze = lakeTables.read(env, BRONZE, Clickstream.BRONZE, trigger, input.discoveryInterval);
        Medallion.Silver silver = Medallion.silver(bronze, Clickstream.userDim(userDim)
                .pollInterval(input.discoveryInterval)
                .bounded(trigger.isBounded()));
        lakeTables.write(silver.rows(), SILVER, Clickstream.SILVER);
        return PatternOutputs.ownSinks(lakeTables.resultDirectories(SILVER), silver.deadLetters(), null);
    }

    private PatternOutputs gold(StreamExecutionEnvironment env, OutputMode mode, Trigger trigger) {
        SingleOutputStreamOperator<Row> silver = lakeTables.read(env, SILVER, Clickstream.SILVER, trigger,
                input.discoveryInterval);
        if (watermarkEveryEvent) {
            silver.setParallelism(1); // one reader: no other reader's watermark to wait for
        }
        return Medallion.gold(silver, goldQuery, api, mode, trigger);
    }
}
