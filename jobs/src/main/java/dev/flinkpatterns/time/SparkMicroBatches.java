package dev.flinkpatterns.time;

import dev.flinkpatterns.io.OldestFilesFirst;
import dev.flinkpatterns.io.SourceLine;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Spark's micro-batches of a file source under {@code Trigger.AvailableNow} with {@code maxFilesPerTrigger} N: the
 * files that exist when the job starts, oldest first (as the file source hands them out), cut into batches of N.
 * Each line is tagged with its file's batch index (as its record timestamp, until {@link SparkMicroBatchWatermark}
 * replaces it with the event time), so the watermark can move between batches as Spark's does.
 */
public final class SparkMicroBatches implements Serializable {

    private final Map<String, Integer> batchOfFile;
    private final int batches;
    /** Which input (directory) each file is of, by index; empty for one input. */
    private final Map<String, Integer> inputOfFile;

    /** The inputs' directories, qualified as the listed files' paths are (for a file not in the snapshot). */
    private final List<String> inputRoots;

    private SparkMicroBatches(Map<String, Integer> batchOfFile, int batches, Map<String, Integer> inputOfFile,
            List<String> inputRoots) {
        this.batchOfFile = batchOfFile;
        this.batches = batches;
        this.inputOfFile = inputOfFile;
        this.inputRoots = inputRoots;
    }

    /** The files under {@code directory} now, in the order the file source reads them, {@code filesPerBatch} a batch. */
    public static SparkMicroBatches of(String directory, int filesPerBatch) {
        List<FileSourceSplit> files = oldestFirst(directory, filesPerBatch);
        Map<String, Integer> batchOfFile = new HashMap<>();
        for (int i = 0; i < files.size(); i++) {
            batchOfFile.put(files.get(i).path().toString(), i / filesPerBatch);
        }
        return new SparkMicroBatches(batchOfFile, (files.size() + filesPerBatch - 1) / filesPerBatch, Map.of(),
                List.of());
    }

    /**
     * Several file sources of one query (a stream-stream join's two sides), as Spark runs them: batch N takes the
     * next {@code filesPerBatch} files of EACH directory (oldest first); a directory with fewer files adds nothing
     * to the later batches. Read them by one reader in {@link #readingOrder()}.
     */
    public static SparkMicroBatches ofInputs(List<String> directories, int filesPerBatch) {
        Map<String, Integer> batchOfFile = new HashMap<>();
        Map<String, Integer> inputOfFile = new HashMap<>();
        List<String> roots = new ArrayList<>();
        int batches = 0;
        for (int input = 0; input < directories.size(); input++) {
            roots.add(qualified(directories.get(input)));
            List<FileSourceSplit> files = oldestFirst(directories.get(input), filesPerBatch);
            for (int i = 0; i < files.size(); i++) {
                batchOfFile.put(files.get(i).path().toString(), i / filesPerBatch);
                inputOfFile.put(files.get(i).path().toString(), input);
            }
            batches = Math.max(batches, (files.size() + filesPerBatch - 1) / filesPerBatch);
        }
        return new SparkMicroBatches(batchOfFile, batches, inputOfFile, roots);
    }

    private static String qualified(String directory) {
        try {
            Path root = new Path(directory);
            String path = root.makeQualified(root.getFileSystem()).toString();
            return path.endsWith("/") ? path : path + "/";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
    }

    /** The files under {@code directory} now, as the file source lists (Flink's enumerator) and orders them. */
    private static List<FileSourceSplit> oldestFirst(String directory, int filesPerBatch) {
        if (filesPerBatch < 1) {
            throw new IllegalArgumentException("files per batch must be at least 1, got " + filesPerBatch);
        }
        List<FileSourceSplit> files;
        try {
            files = new ArrayList<>(FileSource.DEFAULT_NON_SPLITTABLE_FILE_ENUMERATOR.create()
                    .enumerateSplits(new Path[] {new Path(directory)}, 1));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
        files.sort(OldestFilesFirst.ORDER);
        return files;
    }

    /**
     * The order one reader takes the files in so that batches come one after the other: by batch, then input, then
     * as listed (a file's rank by its path; files not in the snapshot after all of them).
     */
    public Map<String, Integer> readingOrder() {
        List<String> files = new ArrayList<>(batchOfFile.keySet());
        files.sort(Comparator.<String>comparingInt(batchOfFile::get)
                .thenComparingInt(file -> inputOfFile.getOrDefault(file, 0))
                .thenComparing(Comparator.naturalOrder()));
        Map<String, Integer> rank = new HashMap<>();
        for (int i = 0; i < files.size(); i++) {
            rank.put(files.get(i), i);
        }
        return rank;
    }

    /** The input (the index of its directory in {@link #ofInputs}) of a line's file; 0 for one input. */
    public int inputOf(SourceLine line) {
        Integer input = inputOfFile.get(line.source());
        if (input != null) {
            return input;
        }
        for (int i = inputRoots.size() - 1; i >= 0; i--) {
            if (line.source().startsWith(inputRoots.get(i))) {
                return i;
            }
        }
        return 0;
    }

    /** The batch of a line's file; a file that appeared after the snapshot comes after every batch. */
    public int batchOf(SourceLine line) {
        return batchOfFile.getOrDefault(line.source(), batches);
    }

    /**
     * {@code lines} (straight from their source) read by one reader, so files come in batch order, each line tagged
     * with its batch.
     */
    public DataStream<SourceLine> tag(DataStream<SourceLine> lines) {
        if (!(lines instanceof SingleOutputStreamOperator<SourceLine> source)) {
            throw new IllegalArgumentException("micro-batches are tagged on the file source itself");
        }
        source.setParallelism(1);
        return lines.assignTimestampsAndWatermarks(WatermarkStrategy.<SourceLine>noWatermarks()
                        .withTimestampAssigner((line, previous) -> batchOf(line)))
                .setParallelism(1)
                .name("micro-batch of each file")
                .uid("file-micro-batches");
    }
}
