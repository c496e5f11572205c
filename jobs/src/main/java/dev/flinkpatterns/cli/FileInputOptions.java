package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.io.FileSources;
import dev.flinkpatterns.io.LineFileFormat;
import dev.flinkpatterns.io.ReaderOptions;
import dev.flinkpatterns.io.RowInput;
import dev.flinkpatterns.io.SourceLine;
import dev.flinkpatterns.time.SparkMicroBatches;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Row;
import picocli.CommandLine.Option;

/**
 * Spark's {@code readStream...load(dir)} for any line format (CSV, JSON lines): the directory to read and how
 * often to look for new files. Each pattern mixes in its own instance, which sets its default directory.
 */
public final class FileInputOptions {

    static final String CSV_INPUT = "data/input";
    static final String SENSOR_INPUT = "data/input/sensors";

    @Option(names = "--input", paramLabel = "DIR",
            description = "Directory of input files; new files are picked up as they appear. Default: ${DEFAULT-VALUE}.")
    String input;

    @Option(names = "--discovery-interval", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "How often the directory is listed for new files. Default: 1s.")
    Duration discoveryInterval = FileSources.DEFAULT_DISCOVERY_INTERVAL;

    @Option(names = "--max-files-per-trigger", paramLabel = "N",
            description = "Spark's maxFilesPerTrigger: at most N new files are taken per discovery interval, oldest "
                    + "first. With --trigger available-now: N files per micro-batch under --watermark-policy spark "
                    + "(the commands that have it), else all files at once. Not with --trigger once. Default: no limit.")
    Integer maxFilesPerTrigger;

    @Option(names = "--max-line-length", paramLabel = "BYTES", converter = Converters.ByteSizeConverter.class,
            description = "A longer line (e.g. a file with no line breaks) is a dead letter holding its first 1 KiB, "
                    + "read without holding it in memory, and the job goes on. Sizes like 4096, 64kb, 1mb. Default: 1mb.")
    int maxLineLength = LineFileFormat.DEFAULT_MAX_LINE_BYTES;

    /** Spark's micro-batches for --watermark-policy spark: one reader, each line tagged with its file's batch. */
    boolean inMicroBatches;

    /** Names the source operator (and its uid, which checkpoints refer to). */
    private final String sourceName;
    /** What to do about a missing input directory (%s: the directory), for the error message. */
    private final String howToFill;

    /** Picocli takes this instance as the mixin, so {@code input}'s initial value is the help's default. */
    FileInputOptions(String defaultInput, String sourceName, String howToFill) {
        this.input = defaultInput;
        this.sourceName = sourceName;
        this.howToFill = howToFill;
    }

    static FileInputOptions csv() {
        return new FileInputOptions(CSV_INPUT, "csv files", "create it, or write files into it with: ./patterns generate csv --out %s");
    }

    static FileInputOptions sensorJson() {
        return new FileInputOptions(SENSOR_INPUT, "json files", "create it and write sensor_batch_N.json files into it");
    }

    /** These options over another directory, read by a source of its own ({@code sourceName} names it and its uid). */
    FileInputOptions forDirectory(String directory, String sourceName) {
        FileInputOptions other = new FileInputOptions(directory, sourceName, howToFill);
        other.discoveryInterval = discoveryInterval;
        other.maxFilesPerTrigger = maxFilesPerTrigger;
        other.maxLineLength = maxLineLength;
        return other;
    }

    void validate(Trigger trigger) {
        input = Locations.existingDirectory("--input", input, howToFill);
        if (maxFilesPerTrigger != null && maxFilesPerTrigger < 1) {
            throw new UsageException("--max-files-per-trigger must be at least 1, got " + maxFilesPerTrigger);
        }
        if (maxFilesPerTrigger != null && trigger.kind() == Trigger.Kind.ONCE) {
            throw new UsageException("--max-files-per-trigger does not apply to --trigger once, which reads the files "
                    + "that exist now in one batch (as Spark's Trigger.Once); use --trigger available-now");
        }
    }

    /**
     * Spark's {@code readStream.format(...).schema(...).load(dir)} in any format: the rows of the files under
     * --input as {@code reader} reads them (Parquet files whole, line formats line by line).
     */
    RowInput rowInput(StreamExecutionEnvironment env, Trigger trigger, ReaderOptions reader) {
        if (reader.format() != ReaderOptions.Format.PARQUET) {
            return RowInput.ofLines(lines(env, trigger), reader);
        }
        if (inMicroBatches) {
            throw new UsageException("--watermark-policy spark reads line formats (csv, json); not --format parquet");
        }
        int maxFiles = maxFilesPerTrigger(trigger);
        String name = sourceName.replace("csv files", "parquet files").replace("json files", "parquet files");
        SingleOutputStreamOperator<Row> rows = env.fromSource(
                        FileSources.parquet(input, reader.schema(), trigger, discoveryInterval, maxFiles),
                        WatermarkStrategy.noWatermarks(), name)
                .uid(name.replace(' ', '-'));
        return RowInput.ofParquet(rows, reader, input);
    }

    DataStream<SourceLine> lines(StreamExecutionEnvironment env, Trigger trigger) {
        DataStream<SourceLine> lines = env.fromSource(FileSources.lines(input, trigger, discoveryInterval,
                        maxFilesPerTrigger(trigger), maxLineLength), WatermarkStrategy.noWatermarks(), sourceName)
                .uid(sourceName.replace(' ', '-'));
        if (inMicroBatches) {
            return SparkMicroBatches.of(input, maxFilesPerTrigger == null ? 1 : maxFilesPerTrigger).tag(lines);
        }
        return lines;
    }

    /**
     * The file source's limit: a bounded read (available-now) takes every file in order, its micro-batches are
     * the spark watermark policy's, not the source's.
     */
    private int maxFilesPerTrigger(Trigger trigger) {
        return maxFilesPerTrigger == null || trigger.isBounded() ? FileSources.UNLIMITED : maxFilesPerTrigger;
    }
}
