package dev.flinkpatterns.io;

import dev.flinkpatterns.table.ConsoleTable;
import dev.flinkpatterns.time.LateRows;
import dev.flinkpatterns.table.ResultBatch;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.Encoder;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;
import org.apache.flink.types.Row;

/** The one place sinks are built, so every pattern writes the same way. */
public final class Sinks {

    private Sinks() {}

    /** Spark's {@code format("console")}: each batch as a table on standard output (a TaskManager's .out file on a cluster). */
    public static Sink<ResultBatch> console(int numRows, int truncate) {
        return new ConsoleSink(numRows, truncate);
    }

    /**
     * Spark's file sinks ({@code writeStream.format("parquet" | "json" | "csv").option("path", directory)}), with
     * {@code partitionBy("date", "hour")} of {@code partitionColumn} (a timestamp, or a string holding one) when it
     * is not null. Exactly once: a part file is written under a hidden in-progress name and renamed to
     * {@code part-<uuid>-<n><suffix>} when the checkpoint that covers it completes (or when a bounded job ends);
     * after a failure the job resumes from the last checkpoint and what it wrote since is discarded. Every
     * checkpoint rolls the part files, as every Spark micro-batch writes new files.
     */
    public static FileSink<Row> files(FileFormat format, String directory, RowSchema schema, String partitionColumn) {
        BucketAssigner<Row, String> buckets = new BasePathBucketAssigner<>();
        if (partitionColumn != null) {
            int index = schema.indexOf(partitionColumn);
            if (index < 0) {
                throw new IllegalArgumentException("no column " + partitionColumn + " among " + schema.names());
            }
            RowSchema.Type type = schema.column(index).type();
            if (type != RowSchema.Type.TIMESTAMP && type != RowSchema.Type.STRING) {
                throw new IllegalArgumentException("partition column " + partitionColumn + " is " + type
                        + ", not a timestamp");
            }
            buckets = new DateHourBuckets(index);
        }
        OutputFileConfig names = OutputFileConfig.builder().withPartPrefix("part").withPartSuffix(format.suffix()).build();
        Path path = new Path(directory);
        return switch (format) {
            case PARQUET -> FileSink.forBulkFormat(path, RowWriters.parquet(schema))
                    .withBucketAssigner(buckets)
                    .withRollingPolicy(OnCheckpointRollingPolicy.build())
                    .withOutputFileConfig(names)
                    .build();
            case CSV -> FileSink.forBulkFormat(path, RowWriters.csvFiles(schema))
                    .withBucketAssigner(buckets)
                    .withRollingPolicy(OnCheckpointRollingPolicy.build())
                    .withOutputFileConfig(names)
                    .build();
            case JSON -> FileSink.forRowFormat(path, RowWriters.jsonLines(schema))
                    .withBucketAssigner(buckets)
                    .withRollingPolicy(OnCheckpointRollingPolicy.build())
                    .withOutputFileConfig(names)
                    .build();
        };
    }

    /**
     * Removes the in-progress part files that failed attempts of a job left under {@code directory} and returns how
     * many. A {@link FileSink} writes each part file under a hidden in-progress name; one opened after the last
     * checkpoint belongs to no checkpoint, so when that attempt fails nothing ever finishes or deletes it. Call this
     * only after the job writing here has finished: a running or cancelled job's in-progress files may still be
     * needed (a restore resumes them).
     */
    public static int removeAbandonedPartFiles(String directory) throws IOException {
        Path root = new Path(directory);
        FileSystem fs = root.getFileSystem();
        return fs.exists(root) ? removeAbandoned(fs, root) : 0;
    }

    private static int removeAbandoned(FileSystem fs, Path dir) throws IOException {
        int removed = 0;
        for (FileStatus status : fs.listStatus(dir)) {
            String name = status.getPath().getName();
            if (status.isDir()) {
                removed += removeAbandoned(fs, status.getPath());
            } else if (name.startsWith(".") && name.contains(".inprogress.") && fs.delete(status.getPath(), false)) {
                removed++;
            }
        }
        return removed;
    }

    /**
     * Dead letters as JSON lines under {@code directory}, exactly once: a part file becomes visible
     * (renamed from its hidden in-progress name) when the checkpoint that covers it completes, or when a
     * bounded job ends.
     */
    public static FileSink<DeadLetter> deadLetters(String directory) {
        return jsonLines(directory, "dead-letters", DeadLetter::toJson);
    }

    /** Rows dropped as late (the {@code --late-output} of the event-time patterns), as JSON lines, exactly once. */
    public static FileSink<LateRows.LateRow> lateRows(String directory) {
        return jsonLines(directory, "late-rows", LateRows.LateRow::toJson);
    }

    private static <T> FileSink<T> jsonLines(String directory, String prefix, ToJson<T> toJson) {
        Encoder<T> jsonLines = (record, stream) -> stream.write((toJson.json(record) + "\n").getBytes(StandardCharsets.UTF_8));
        return FileSink.forRowFormat(new Path(directory), jsonLines)
                .withBucketAssigner(new BasePathBucketAssigner<>())
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .withOutputFileConfig(OutputFileConfig.builder()
                        .withPartPrefix(prefix)
                        .withPartSuffix(".jsonl")
                        .build())
                .build();
    }

    @FunctionalInterface
    private interface ToJson<T> extends java.io.Serializable {
        String json(T record);
    }

    private record ConsoleSink(int numRows, int truncate) implements Sink<ResultBatch> {
        @Override
        public SinkWriter<ResultBatch> createWriter(WriterInitContext context) {
            return new ConsoleWriter(System.out, numRows, truncate);
        }
    }

    private record ConsoleWriter(PrintStream out, int numRows, int truncate) implements SinkWriter<ResultBatch> {
        @Override
        public void write(ResultBatch batch, Context context) {
            out.print(ConsoleTable.render(batch, numRows, truncate));
            out.flush();
        }

        @Override
        public void flush(boolean endOfInput) {
            out.flush();
        }

        @Override
        public void close() {
            out.flush();
        }
    }
}
