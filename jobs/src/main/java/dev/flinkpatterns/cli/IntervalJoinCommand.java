package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.Api;
import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.io.RowInput;
import dev.flinkpatterns.patterns.joins.IntervalJoin;
import dev.flinkpatterns.patterns.joins.JoinDataset;
import dev.flinkpatterns.patterns.joins.JoinDatasets;
import dev.flinkpatterns.patterns.joins.JoinSide;
import dev.flinkpatterns.patterns.joins.JoinType;
import dev.flinkpatterns.run.PatternOutputs;
import dev.flinkpatterns.time.WatermarkSettings;
import dev.flinkpatterns.io.ReaderOptions;
import dev.flinkpatterns.io.ReaderOptions.Format;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.io.SchemaDdl;
import dev.flinkpatterns.io.FileSources;
import dev.flinkpatterns.io.LineFileFormat;
import dev.flinkpatterns.io.SourceLine;
import dev.flinkpatterns.time.SparkMicroBatches;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "interval-join", mixinStandardHelpOptions = true,
        description = {"Join two streams of CSV files on a key and a time interval, with a watermark on each side.",
                "Spark's left.withWatermark(...).join(right.withWatermark(...), \"key = key AND right_time BETWEEN "
                        + "left_time AND left_time + interval 1 hour\", type): clicks with purchases (the guide) or "
                        + "orders with shipments (the workshop); inner, left, right or full outer; in the DataStream API "
                        + "or SQL, with the same rows. An outer row (nulls for the other side) is emitted once the "
                        + "watermark passes the last time a match could arrive. Rows behind their own side's watermark, "
                        + "or behind the join's (a side that idled and woke behind the other), are dropped, counted "
                        + "and, with --late-output, written out. Append output mode only."})
class IntervalJoinCommand extends PatternCommand {

    @Option(names = "--dataset", paramLabel = "NAME",
            description = "clicks-purchases (clicks joined with the user's purchases within an hour) or orders-shipments "
                    + "(orders joined with their shipment within an hour). Default: ${DEFAULT-VALUE}.")
    String datasetName = JoinDatasets.CLICKS_PURCHASES.name();

    @Option(names = "--join", paramLabel = "TYPE", converter = Converters.JoinTypeConverter.class,
            description = "inner, left, right or full (outer). Default: inner.")
    JoinType join = JoinType.INNER;

    @Option(names = "--api", paramLabel = "API", converter = Converters.ApiConverter.class,
            description = "datastream or sql (an interval join in Flink SQL). Default: datastream.")
    Api api = Api.DATASTREAM;

    @Option(names = "--left-input", paramLabel = "DIR",
            description = "Directory of the left side's CSV files (clicks or orders). Default: data/input/clicks or "
                    + "data/input/orders.")
    String leftInput;

    @Option(names = "--right-input", paramLabel = "DIR",
            description = "Directory of the right side's CSV files (purchases or shipments). Default: "
                    + "data/input/purchases or data/input/shipments.")
    String rightInput;

    @Option(names = "--max-files-per-trigger", paramLabel = "N",
            description = "Spark's maxFilesPerTrigger, for each side: at most N new files of a side are taken per discovery "
                    + "interval, oldest first. With --trigger available-now: micro-batch K takes the K-th N files of each "
                    + "side under --watermark-policy spark (default 1), else all files at once. Not with --trigger once.")
    Integer maxFilesPerTrigger;

    @Option(names = "--left-watermark", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "The left side's withWatermark delay. Default: 10m (the guides).")
    Duration leftWatermark;

    @Option(names = "--right-watermark", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "The right side's withWatermark delay. Default: 10m for purchases, 15m for shipments.")
    Duration rightWatermark;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "A source split quiet for this long stops holding its side's watermark back. Default: 5s.")
    Duration idleTimeout = Duration.ofSeconds(5);

    @Option(names = "--watermark-every-event",
            description = "Move each side's watermark after every row instead of every 200 ms, each side read by one "
                    + "reader: which rows are late no longer depends on timing (for tests and teaching).")
    boolean everyEvent;

    @Option(names = "--late-output", paramLabel = "DIR",
            description = "Write the rows dropped as late (of either side) to DIR as JSON lines (event time, the "
                    + "watermark, the row). Default: late rows are only counted (metric numLateRowsDropped).")
    String lateOutput;

    @Option(names = "--left-format", paramLabel = "csv|json|parquet|text",
            description = "The left side's files are the user's own, in this format (Spark's format). Default: csv.")
    String leftFormat;

    @Option(names = "--left-schema", paramLabel = "DDL|infer",
            description = "The left side's columns as Spark DDL, or infer (from its first files, printed on stderr). "
                    + "Default: the dataset's left side's.")
    String leftSchema;

    @Option(names = "--left-event-time", paramLabel = "COLUMN",
            description = "The left side's TIMESTAMP column. Default: the dataset's, else the schema's only TIMESTAMP column.")
    String leftEventTime;

    @Option(names = "--left-key", paramLabel = "COLUMN",
            description = "The left side's join-key column, any column of its schema. Default: the dataset's.")
    String leftKey;

    @Option(names = "--right-format", paramLabel = "csv|json|parquet|text",
            description = "The right side's files are the user's own, in this format. Default: csv.")
    String rightFormat;

    @Option(names = "--right-schema", paramLabel = "DDL|infer",
            description = "The right side's columns as Spark DDL, or infer. Default: the dataset's right side's.")
    String rightSchema;

    @Option(names = "--right-event-time", paramLabel = "COLUMN",
            description = "The right side's TIMESTAMP column. Default: the dataset's, else the schema's only TIMESTAMP column.")
    String rightEventTime;

    @Option(names = "--right-key", paramLabel = "COLUMN",
            description = "The right side's join-key column, of the left key's type. Default: the dataset's.")
    String rightKey;

    @Option(names = "--within", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "The right time lies between the left time and the left time plus this (Spark's BETWEEN). "
                    + "Default: 1h (the guides).")
    Duration within;

    /** Spark's reader options on how text holds values (--header, --delimiter, ...), for both sides. */
    @Mixin
    ReaderFormatOptions text = new ReaderFormatOptions();

    @Mixin
    WatermarkPolicyOptions watermarkPolicy;

    /** --watermark-policy spark: both sides read by one reader, in Spark's micro-batches. */
    private boolean inMicroBatches;

    private JoinDataset dataset;
    private IntervalJoin.Watermarks watermarks;

    @Override
    OutputMode.Query query() {
        return OutputMode.Query.STREAM_STREAM_JOIN;
    }

    @Override
    void validate() {
        try {
            dataset = JoinDatasets.named(datasetName);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--dataset " + e.getMessage());
        }
        leftInput = existingInput("--left-input", leftInput, dataset.left());
        rightInput = existingInput("--right-input", rightInput, dataset.right());
        if (readsUsersFiles()) {
            JoinSide left = usersSide("--left-", leftFormat, leftSchema, leftEventTime, leftKey, leftInput,
                    dataset.left(), "left_input", "l");
            JoinSide right = usersSide("--right-", rightFormat, rightSchema, rightEventTime, rightKey, rightInput,
                    dataset.right(), "right_input", "r");
            if (right.table().equals(left.table())) {
                right = right.reading("right_input", "r", right.reader(), right.timeColumn(), right.keyColumn());
            }
            String leftType = keyType(left);
            String rightType = keyType(right);
            if (!leftType.equals(rightType)) {
                throw new UsageException("--left-key " + left.keyColumn() + " is " + leftType + " but --right-key "
                        + right.keyColumn() + " is " + rightType + "; the join keys need one type");
            }
            dataset = dataset.over(left, right, within == null ? dataset.upperBound() : within);
        } else if (within != null) {
            dataset = dataset.over(dataset.left(), dataset.right(), within);
        }
        if (dataset.upperBound().isNegative()) {
            throw new UsageException("--within must not be negative, got " + within);
        }
        checkMicroBatches();
        watermarks = new IntervalJoin.Watermarks(
                watermark(leftWatermark, dataset.left()),
                watermark(rightWatermark, dataset.right()));
        if (lateOutput != null) {
            lateOutput = Locations.resolve(lateOutput);
        }
    }

    private void checkMicroBatches() {
        Trigger trigger = streaming.trigger;
        if (maxFilesPerTrigger != null && maxFilesPerTrigger < 1) {
            throw new UsageException("--max-files-per-trigger must be at least 1, got " + maxFilesPerTrigger);
        }
        if (maxFilesPerTrigger != null && trigger.kind() == Trigger.Kind.ONCE) {
            throw new UsageException("--max-files-per-trigger does not apply to --trigger once, which reads the files "
                    + "that exist now in one batch (as Spark's Trigger.Once); use --trigger available-now");
        }
        inMicroBatches = watermarkPolicy.spark(trigger, everyEvent);
        if (!inMicroBatches) {
            return;
        }
        watermarkPolicy.refuseWithSqlApi(api);
        if (dataset.left().reader().format() == Format.PARQUET || dataset.right().reader().format() == Format.PARQUET) {
            throw new UsageException("--watermark-policy spark reads line formats (csv, json); not --left-format or "
                    + "--right-format parquet");
        }
        if (java.nio.file.Path.of(leftInput).normalize().equals(java.nio.file.Path.of(rightInput).normalize())) {
            throw new UsageException("--watermark-policy spark reads each side's files from a directory of its own: "
                    + "--left-input and --right-input are both " + leftInput);
        }
    }

    private boolean readsUsersFiles() {
        return leftFormat != null || leftSchema != null || leftEventTime != null || leftKey != null || rightFormat != null
                || rightSchema != null || rightEventTime != null || rightKey != null || text.given();
    }

    /**
     * A side of the user's files: read as its --*-format/--*-schema and the shared text options say, the dataset's
     * side's schema when none is given; its table named after its directory when that is a plain name.
     */
    private JoinSide usersSide(String prefix, String format, String schema, String eventTime, String key, String input,
            JoinSide preset, String fallbackTable, String alias) {
        ReaderOptions files = ReaderOptionsMixin.side(prefix, format, schema, text)
                .resolve(input, Format.CSV, preset.schema(), CliContext.of(spec).err());
        RowSchema rowSchema = files.rowSchema();
        String time;
        if (eventTime != null) {
            time = SchemaColumns.eventTime(prefix + "event-time", eventTime, rowSchema);
        } else {
            int index = rowSchema.indexOf(preset.timeColumn());
            time = index >= 0 && rowSchema.column(index).type() == RowSchema.Type.TIMESTAMP
                    ? preset.timeColumn() : SchemaColumns.soleTimestamp(rowSchema);
            if (time == null) {
                throw new UsageException("give " + prefix + "event-time COLUMN, a TIMESTAMP column of: "
                        + SchemaDdl.print(rowSchema));
            }
        }
        String keyColumn;
        if (key != null) {
            keyColumn = SchemaColumns.column(prefix + "key", key.strip(), rowSchema);
        } else if (rowSchema.indexOf(preset.keyColumn()) >= 0) {
            keyColumn = preset.keyColumn();
        } else {
            throw new UsageException("give " + prefix + "key COLUMN, one of: " + SchemaDdl.print(rowSchema));
        }
        String name = java.nio.file.Path.of(input).normalize().getFileName() == null ? ""
                : java.nio.file.Path.of(input).normalize().getFileName().toString();
        String table = name.matches("[A-Za-z][A-Za-z0-9_]*") ? name.toLowerCase(java.util.Locale.ROOT) : fallbackTable;
        return preset.reading(table, alias, files, time, keyColumn);
    }

    private static String keyType(JoinSide side) {
        return side.schema().column(side.schema().indexOf(side.keyColumn())).ddlType();
    }

    private String existingInput(String option, String given, JoinSide side) {
        return Locations.existingDirectory(option, given == null ? side.defaultInput() : given,
                "write " + dataset.left().table() + " and " + dataset.right().table() + " files with: "
                        + dataset.generateCommand());
    }

    private WatermarkSettings watermark(Duration given, JoinSide side) {
        Duration delay = given == null ? side.defaultWatermark() : given;
        try {
            return new WatermarkSettings(delay, idleTimeout, Duration.ZERO, everyEvent, watermarkPolicy.policy);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    @Override
    PatternOutputs define(StreamExecutionEnvironment env, OutputMode mode, Trigger trigger) {
        if (inMicroBatches) {
            List<String> directories = List.of(leftInput, rightInput);
            SparkMicroBatches batches = SparkMicroBatches.ofInputs(directories,
                    maxFilesPerTrigger == null ? 1 : maxFilesPerTrigger);
            String name = dataset.left().table() + " and " + dataset.right().table() + " files";
            SingleOutputStreamOperator<SourceLine> lines = env.fromSource(FileSources.linesInOrder(directories,
                            LineFileFormat.DEFAULT_MAX_LINE_BYTES, batches.readingOrder()),
                    WatermarkStrategy.noWatermarks(), name).uid(name.replace(' ', '-'));
            return IntervalJoin.joinInMicroBatches(batches.tag(lines), batches, dataset, join, watermarks, trigger);
        }
        return IntervalJoin.join(rowInput(env, trigger, leftInput, dataset.left()),
                rowInput(env, trigger, rightInput, dataset.right()), dataset, join, api, watermarks, trigger);
    }

    /**
     * A side's files in its format, its source named after its table ({@code clicks files}, uid {@code clicks-files}),
     * so the two sides' differ; read by one reader when its watermark moves after every row (see EventTimeOptions).
     */
    private RowInput rowInput(StreamExecutionEnvironment env, Trigger trigger, String dir, JoinSide side) {
        FileInputOptions files = new FileInputOptions(dir, side.table() + " files", null);
        files.maxFilesPerTrigger = maxFilesPerTrigger;
        RowInput rows = files.rowInput(env, trigger, side.reader());
        return everyEvent ? rows.onOneReader() : rows;
    }

    @Override
    String lateOutputDir() {
        return lateOutput;
    }
}
