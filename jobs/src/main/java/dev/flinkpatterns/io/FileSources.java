package dev.flinkpatterns.io;

import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.RowSchema.Column;
import dev.flinkpatterns.io.RowSchema.Type;
import dev.flinkpatterns.parse.LineParser;
import dev.flinkpatterns.parse.MalformedRecordException;
import dev.flinkpatterns.parse.ParseOrDeadLetter;
import dev.flinkpatterns.parse.RowCsvParser;
import dev.flinkpatterns.parse.RowJsonParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.enumerate.FileEnumerator;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.types.Row;

/**
 * The one way patterns read a directory, bounded or watched: text files as lines with positions (parsed as CSV or
 * JSON lines with an explicit schema), Parquet files as rows of an explicit schema.
 */
public final class FileSources {

    /** How often a watched directory is listed for new files. */
    public static final Duration DEFAULT_DISCOVERY_INTERVAL = Duration.ofSeconds(1);

    /** No {@code maxFilesPerTrigger}: every file found is handed out at once. */
    public static final int UNLIMITED = Integer.MAX_VALUE;

    private FileSources() {}

    /**
     * Lines of every file in {@code directory}. With a bounded trigger (once, available-now) the files that
     * exist now are read and the source ends; otherwise new files are picked up as they appear. Files whose
     * names start with {@code .} or {@code _} are skipped until renamed, so writers can publish atomically.
     * Files are read oldest first, as Spark reads them. Spark's {@code format("text")} is this source.
     * Lines longer than {@link LineFileFormat#DEFAULT_MAX_LINE_BYTES}, not UTF-8 or binary become dead letters (in
     * {@link ParseOrDeadLetter}), and so do notes about files that vanished or changed; see {@link LineFileFormat}.
     */
    public static FileSource<SourceLine> lines(String directory, Trigger trigger, Duration discoveryInterval) {
        return lines(directory, trigger, discoveryInterval, UNLIMITED);
    }

    /** Spark's {@code maxFilesPerTrigger}: as above, at most {@code maxFilesPerTrigger} new files per discovery round. */
    public static FileSource<SourceLine> lines(
            String directory, Trigger trigger, Duration discoveryInterval, int maxFilesPerTrigger) {
        return lines(directory, trigger, discoveryInterval, maxFilesPerTrigger, LineFileFormat.DEFAULT_MAX_LINE_BYTES);
    }

    /** As above; a line longer than {@code maxLineBytes} (without its line break) is a dead letter. */
    public static FileSource<SourceLine> lines(String directory, Trigger trigger, Duration discoveryInterval,
            int maxFilesPerTrigger, int maxLineBytes) {
        return watched(lineFiles(maxLineBytes, trigger.isBounded(), List.of(directory)),
                FileSource.DEFAULT_NON_SPLITTABLE_FILE_ENUMERATOR, trigger, discoveryInterval, maxFilesPerTrigger);
    }

    /**
     * The lines of the files that exist now under {@code directories} (a bounded read), read one file after the other
     * in the order {@code rankOfPath} gives: for Spark's micro-batches of several file sources read by one reader.
     */
    public static FileSource<SourceLine> linesInOrder(List<String> directories, int maxLineBytes,
            Map<String, Integer> rankOfPath) {
        return lineFiles(maxLineBytes, true, directories)
                .setFileEnumerator(FileSource.DEFAULT_NON_SPLITTABLE_FILE_ENUMERATOR)
                .setSplitAssigner(OldestFilesFirst.ranked(rankOfPath))
                .build();
    }

    /** The line files under {@code directories}; a one-shot read does not watch them for files that change. */
    private static FileSource.FileSourceBuilder<SourceLine> lineFiles(int maxLineBytes, boolean oneShot,
            List<String> directories) {
        // A watched directory is listed again, and its listing reports a file that changed; a one-shot read is not.
        return FileSource.forBulkFileFormat(new LineFileFormat(maxLineBytes, oneShot),
                directories.stream().map(Path::new).toArray(Path[]::new));
    }

    /**
     * Spark's {@code readStream.format("parquet").schema(schema)}: the rows of the Parquet files under
     * {@code directory} (partition directories included), read with an explicit schema, oldest files first.
     */
    public static FileSource<Row> parquet(
            String directory, RowSchema schema, Trigger trigger, Duration discoveryInterval, int maxFilesPerTrigger) {
        ParquetRowFormat format = new ParquetRowFormat(schema);
        return watched(FileSource.forRecordStreamFormat(format, new Path(directory)),
                format.isSplittable() ? FileSource.DEFAULT_SPLITTABLE_FILE_ENUMERATOR : FileSource.DEFAULT_NON_SPLITTABLE_FILE_ENUMERATOR,
                trigger, discoveryInterval, maxFilesPerTrigger);
    }

    /** CSV lines with an explicit schema (Spark's {@code format("csv").schema(...)}): rows, and dead letters for bad lines. */
    public static ParseOrDeadLetter.Parsed<Row> csvRows(DataStream<SourceLine> lines, RowSchema schema) {
        return ParseOrDeadLetter.parse(lines, new RowCsvParser(schema), schema.rowType());
    }

    /** JSON lines with an explicit schema (Spark's {@code format("json").schema(...)}): rows, and dead letters for bad lines. */
    public static ParseOrDeadLetter.Parsed<Row> jsonRows(DataStream<SourceLine> lines, RowSchema schema) {
        return ParseOrDeadLetter.parse(lines, new RowJsonParser(schema), schema.rowType());
    }

    /**
     * Lines of a line format (csv, json, text) read as {@code options} say (Spark's
     * {@code format(...).schema(...).option(...)}): rows of {@link ReaderOptions#rowSchema()}, and dead letters.
     */
    public static ParseOrDeadLetter.Parsed<Row> rows(DataStream<SourceLine> lines, ReaderOptions options) {
        return ParseOrDeadLetter.parse(lines, options.lineParser(), options.rowSchema().rowType());
    }

    /** The name of the last field {@link #positionedRows} adds. */
    public static final String ORDER_KEY = "_order_key";

    /**
     * As {@link #rows}, each row with one more, last field {@value #ORDER_KEY}: where it was read
     * ({@link SourceLine#orderKey()}), so append-mode batches list rows in the files' order after a shuffle. A null
     * in one of {@code required} (e.g. the event time) makes the line a dead letter.
     */
    public static ParseOrDeadLetter.Parsed<Row> positionedRows(
            DataStream<SourceLine> lines, ReaderOptions options, List<String> required) {
        return positionedRows(lines, options, required, null);
    }

    /** As above, for one of several inputs of a job: {@code input} names the operator and prefixes its uid. */
    public static ParseOrDeadLetter.Parsed<Row> positionedRows(
            DataStream<SourceLine> lines, ReaderOptions options, List<String> required, String input) {
        RowSchema schema = options.rowSchema();
        LineParser<Row> rows = requiring(options, required);
        LineParser<Row> positioned = line -> rows.parse(line).map(parsed -> Row.join(parsed, Row.of(line.orderKey())));
        return ParseOrDeadLetter.parse(lines, positioned, withOrderKey(schema).rowType(), input);
    }

    /**
     * The parser of {@code options}' lines into rows, for which a null in one of {@code required} (e.g. the event
     * time) makes the line a dead letter.
     */
    public static LineParser<Row> requiring(ReaderOptions options, List<String> required) {
        RowSchema schema = options.rowSchema();
        int[] requiredIndexes = required.stream().mapToInt(schema::indexOf).toArray();
        LineParser<Row> rows = options.lineParser();
        return line -> {
            Optional<Row> row = rows.parse(line);
            if (row.isPresent()) {
                for (int index : requiredIndexes) {
                    if (row.get().getField(index) == null) {
                        throw new MalformedRecordException("column " + schema.column(index).name() + " is null");
                    }
                }
            }
            return row;
        };
    }

    /** {@code schema} and a last column {@value #ORDER_KEY}, as {@link #positionedRows} gives. */
    public static RowSchema withOrderKey(RowSchema schema) {
        List<Column> columns = new ArrayList<>(schema.columns());
        columns.add(Column.required(ORDER_KEY, Type.STRING));
        return new RowSchema(columns);
    }

    private static <T> FileSource<T> watched(FileSource.FileSourceBuilder<T> builder, FileEnumerator.Provider listing,
            Trigger trigger, Duration discoveryInterval, int maxFilesPerTrigger) {
        if (maxFilesPerTrigger < 1) {
            throw new IllegalArgumentException("maxFilesPerTrigger must be at least 1, got " + maxFilesPerTrigger);
        }
        if (maxFilesPerTrigger == UNLIMITED) {
            builder.setSplitAssigner(OldestFilesFirst.PROVIDER);
        } else if (trigger.isBounded()) {
            // A bounded source ends when the assigner has nothing to give: a limit would drop files.
            throw new IllegalArgumentException("maxFilesPerTrigger needs a watched directory, not trigger " + trigger);
        } else {
            builder.setSplitAssigner(MaxFilesPerTrigger.provider(maxFilesPerTrigger, discoveryInterval));
        }
        if (!trigger.isBounded()) {
            // A one-shot read fails at once on a missing directory; a watched one waits for it and says so.
            builder.setFileEnumerator(WatchedDirectory.around(listing));
            builder.monitorContinuously(discoveryInterval);
        }
        return builder.build();
    }
}
