package dev.flinkpatterns.io;

import dev.flinkpatterns.table.ConsoleTable;
import dev.flinkpatterns.time.LateRows;
import dev.flinkpatterns.table.ResultBatch;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.Encoder;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;

/** The one place sinks are built, so every pattern writes the same way. */
public final class Sinks {

    private Sinks() {}

    /** Spark's {@code format("console")}: each batch as a table on standard output (a TaskManager's .out file on a cluster). */
    public static Sink<ResultBatch> console(int numRows, int truncate) {
        return new ConsoleSink(numRows, truncate);
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
