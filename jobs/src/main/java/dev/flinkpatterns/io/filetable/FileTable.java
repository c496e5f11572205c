package dev.flinkpatterns.io.filetable;

import dev.flinkpatterns.io.DeadLetter;
import dev.flinkpatterns.io.ReaderOptions;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.parse.ParseOrDeadLetter;
import java.io.Serializable;
import java.time.Duration;
import java.util.regex.Pattern;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * A small table kept in one file (CSV with its header line first, or JSON lines: {@link #of}) that may change while the job runs, joined to a stream:
 * Spark's stream-static join ({@code stream.join(staticDf, "key", "left")}) where the static side is a file.
 *
 * <pre>{@code
 * RowSchema catalogSchema = RowSchema.of(Column.required("product_id", STRING), Column.nullable("price", DOUBLE));
 * FileTable catalog = FileTable.csv("catalog", "data/input/catalog/product_catalog.csv", catalogSchema, "product_id")
 *         .pollInterval(Duration.ofSeconds(1))
 *         .bounded(trigger.isBounded());
 * FileTable.Joined<Change> joined = catalog.join(orders, order -> (String) order.getField(3), FileTable.JoinType.LEFT,
 *         (order, product) -> toChange(order, product), TypeInformation.of(Change.class));
 * // joined.rows(): the joined stream; joined.deadLetters(): lines of the file that are not rows
 * }</pre>
 *
 * <ul>
 *   <li><b>Versions.</b> The file is read at start and every poll interval; each content that differs from the last
 *   is parsed with the schema into a complete new version ({@link TableSnapshot}), broadcast to every join instance.
 *   A stream row is joined with the version there when it arrives: a new version applies from then on, rows joined
 *   before keep what they got. Replace the file atomically (write a temporary file, rename it over) to switch at
 *   once; an edit in place may be seen half-written, and the full content follows at the next poll.</li>
 *   <li><b>Start-up.</b> Stream rows that arrive before the first version wait (in checkpointed keyed state) and are
 *   joined with it, so results do not depend on which source is read first.</li>
 *   <li><b>Bad files never stop the job.</b> A missing or unreadable file, an empty one or one whose first line is not
 *   the header keeps the previous version (logged once as a warning; the refused first line is a dead letter). Lines
 *   that do not fit the schema, have an empty key or repeat a key (the first row is kept) are dead letters, counted
 *   in the {@code deadLetterRecords} metric; the rest of the file is the new version.</li>
 *   <li><b>Bounded</b> ({@code --trigger once|available-now}): the file is read once and its source ends; a missing
 *   or refused file is then an empty table.</li>
 *   <li><b>Checkpoints.</b> The source keeps the version number and a hash of its content: a restored job does not
 *   send an unchanged file again (the join instances restore the table from their broadcast state).</li>
 *   <li><b>Event time.</b> Once the first version is there, the file's side holds back no watermark: the join's
 *   watermark is the stream's. Until then it holds it back, so the rows that waited come out (with their own
 *   timestamps) before the watermark passes them.</li>
 * </ul>
 * Keys are compared as text: the table's key is {@code RowSchema.text} of its key column (an INT 42 is "42"), so the
 * key selector returns the stream row's key the same way. It must not return null (give rows without a key a
 * placeholder, or filter them first). Operator uids
 * start with the table's name: {@code NAME-file}, {@code NAME-versions}, {@code NAME-join}.
 */
public final class FileTable implements Serializable {

    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);

    /** Dead letters of the file's lines, beside the versions. */
    public static final OutputTag<DeadLetter> DEAD_LETTER_TAG =
            new OutputTag<>("file-table-dead-letters", TypeInformation.of(DeadLetter.class));

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

    /** LEFT: a stream row without a table row is joined with null; INNER: it is dropped. */
    public enum JoinType { LEFT, INNER }

    /** Makes the output of a stream row and its table row ({@code null} when there is none, LEFT joins only). */
    @FunctionalInterface
    public interface Joiner<T, OUT> extends Serializable {
        OUT join(T row, Row match);
    }

    /** The table's versions, in order, and the dead letters of its lines. */
    public record Versions(DataStream<TableSnapshot> snapshots, DataStream<DeadLetter> deadLetters) {}

    /** The joined stream and the dead letters of the table's file. */
    public record Joined<OUT>(DataStream<OUT> rows, DataStream<DeadLetter> deadLetters) {}

    private final String name;
    private final String file;
    private final ReaderOptions options;
    private final String keyColumn;
    private final Duration pollInterval;
    private final boolean bounded;

    private FileTable(String name, String file, ReaderOptions options, String keyColumn, Duration pollInterval,
            boolean bounded) {
        RowSchema schema = options.rowSchema();
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a table name is lower-case letters, digits and -, not " + name);
        }
        if (schema.indexOf(keyColumn) < 0) {
            throw new IllegalArgumentException("key column " + keyColumn + " is not in " + schema.names());
        }
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("the poll interval must be positive, got " + pollInterval);
        }
        this.name = name;
        this.file = file;
        this.options = options;
        this.keyColumn = keyColumn;
        this.pollInterval = pollInterval;
        this.bounded = bounded;
    }

    /** The CSV {@code file} (a path or URI Flink's file systems read) with {@code schema}, rows keyed by {@code keyColumn}. */
    public static FileTable csv(String name, String file, RowSchema schema, String keyColumn) {
        return of(name, file, ReaderOptions.of(ReaderOptions.Format.CSV, schema), keyColumn);
    }

    /**
     * The {@code file} of a line format read as {@code options} say (Spark's reader options: JSON lines, CSV with a
     * header unless header=false, ...), rows keyed by {@code keyColumn}.
     */
    public static FileTable of(String name, String file, ReaderOptions options, String keyColumn) {
        return new FileTable(name, file, options, keyColumn, DEFAULT_POLL_INTERVAL, false);
    }

    /** How often the file is read for changes (default 1 s). */
    public FileTable pollInterval(Duration interval) {
        return new FileTable(name, file, options, keyColumn, interval, bounded);
    }

    /** True: read the file once and end (bounded jobs: {@code --trigger once|available-now}). */
    public FileTable bounded(boolean once) {
        return new FileTable(name, file, options, keyColumn, pollInterval, once);
    }

    public RowSchema schema() {
        return options.rowSchema();
    }

    /** The versions of the file as a stream (one reader), for a join of your own. */
    public Versions versions(StreamExecutionEnvironment env) {
        FileTableSource source = new FileTableSource(file, options, keyColumn, pollInterval, bounded);
        SingleOutputStreamOperator<TableSnapshot> versions = env
                .fromSource(source, WatermarkStrategy.forGenerator(context -> new NoEventTime()), name + " file",
                        TypeInformation.of(FileTableSource.FileRead.class))
                .setParallelism(1)
                .uid(name + "-file")
                .process(new ToVersions(), TypeInformation.of(TableSnapshot.class))
                .setParallelism(1)
                .name(name + " versions")
                .uid(name + "-versions");
        return new Versions(versions, versions.getSideOutput(DEAD_LETTER_TAG));
    }

    /**
     * Joins every row of {@code stream} with the table row of its key ({@code key} must not return null), in the
     * version current when the row arrives; see the class comment.
     */
    public <T, OUT> Joined<OUT> join(DataStream<T> stream, KeySelector<T, String> key, JoinType type,
            Joiner<T, OUT> joiner, TypeInformation<OUT> outputType) {
        Versions versions = versions(stream.getExecutionEnvironment());
        BroadcastJoin<T, OUT> join = new BroadcastJoin<>(schema().rowType(), stream.getType(), type, joiner);
        DataStream<OUT> rows = stream
                .keyBy(key, Types.STRING)
                .connect(versions.snapshots().broadcast(join.broadcastStates()))
                .process(join, outputType)
                .name(type.name().toLowerCase(java.util.Locale.ROOT) + " join " + name + " on " + keyColumn)
                .uid(name + "-join");
        return new Joined<>(rows, versions.deadLetters());
    }

    /** Versions downstream, refused lines to the dead letters (counted as the parsers count theirs). */
    private static final class ToVersions extends ProcessFunction<FileTableSource.FileRead, TableSnapshot> {
        private transient Counter deadLetterMetric;
        private transient LongCounter deadLetterTotal;

        @Override
        public void open(OpenContext openContext) {
            deadLetterMetric = getRuntimeContext().getMetricGroup().counter(ParseOrDeadLetter.DEAD_LETTERS);
            deadLetterTotal = getRuntimeContext().getLongCounter(ParseOrDeadLetter.DEAD_LETTERS);
        }

        @Override
        public void processElement(FileTableSource.FileRead read, Context ctx, Collector<TableSnapshot> out) {
            for (DeadLetter deadLetter : read.rejected()) {
                deadLetterMetric.inc();
                deadLetterTotal.add(1);
                ctx.output(DEAD_LETTER_TAG, deadLetter);
            }
            if (read.snapshot() != null) {
                out.collect(read.snapshot());
            }
        }
    }

    /**
     * The file has no event time: once a version is downstream its side of a join must not hold the stream's watermark
     * back. Before, it does: stream rows waiting for the first version come out before the watermark passes them.
     */
    private static final class NoEventTime implements WatermarkGenerator<FileTableSource.FileRead> {
        private boolean hasTable;

        @Override
        public void onEvent(FileTableSource.FileRead read, long eventTimestamp, WatermarkOutput output) {
            hasTable |= read.hasTable();
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            if (hasTable) {
                output.emitWatermark(Watermark.MAX_WATERMARK);
            }
        }
    }
}
