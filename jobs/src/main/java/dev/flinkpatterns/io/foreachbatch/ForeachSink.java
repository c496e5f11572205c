package dev.flinkpatterns.io.foreachbatch;

import dev.flinkpatterns.io.NoWriterState;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.sink2.InitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Spark's {@code writeStream.foreach(writer)}: a Sink V2 writer that drives a {@link ForeachWriter}. An epoch ends at
 * each checkpoint barrier (and at the end of a bounded input): Flink calls {@link SinkWriter#flush} there. The epoch
 * after checkpoint <i>c</i> is <i>c</i> + 1, before and after a restore from <i>c</i> alike (the writer learns the
 * id from {@code snapshotState}; it keeps no state of its own).
 */
public final class ForeachSink<T> implements Sink<T>, SupportsWriterState<T, Void> {

    private final ForeachWriter<T> writer;

    public ForeachSink(ForeachWriter<T> writer) {
        this.writer = writer;
    }

    @Override
    public StatefulSinkWriter<T, Void> createWriter(WriterInitContext context) {
        return new EpochWriter<>(writer, context.getTaskInfo().getIndexOfThisSubtask(),
                context.getRestoredCheckpointId().orElse(InitContext.INITIAL_CHECKPOINT_ID - 1) + 1);
    }

    @Override
    public StatefulSinkWriter<T, Void> restoreWriter(WriterInitContext context, Collection<Void> recoveredState) {
        return createWriter(context);
    }

    @Override
    public SimpleVersionedSerializer<Void> getWriterStateSerializer() {
        return new NoWriterState();
    }

    private static final class EpochWriter<T> implements StatefulSinkWriter<T, Void> {
        private final ForeachWriter<T> writer;
        private final int partition;
        private long epoch;
        private boolean open;
        private boolean accepting;

        EpochWriter(ForeachWriter<T> writer, int partition, long firstEpoch) {
            this.writer = writer;
            this.partition = partition;
            this.epoch = firstEpoch;
        }

        @Override
        public void write(T row, Context context) throws IOException {
            try {
                if (!open) {
                    // Lazily: an epoch without rows opens nothing.
                    open = true;
                    accepting = writer.open(partition, epoch);
                }
                if (accepting) {
                    writer.process(row);
                }
            } catch (Exception e) {
                closeEpoch(e);
                throw e instanceof IOException io ? io : new IOException("ForeachWriter failed in epoch " + epoch, e);
            }
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            if (open) {
                closeEpoch(null);
            }
        }

        /** Right after the flush of checkpoint {@code checkpointId}: the next epoch. */
        @Override
        public List<Void> snapshotState(long checkpointId) {
            epoch = checkpointId + 1;
            return List.of();
        }

        private void closeEpoch(Throwable error) throws IOException {
            open = false;
            try {
                writer.close(error);
            } catch (Exception e) {
                if (error != null) {
                    error.addSuppressed(e);
                } else {
                    throw new IOException("ForeachWriter.close failed in epoch " + epoch, e);
                }
            }
        }

        /** A cancel or failure in the middle of an epoch: close tells the writer the epoch did not complete. */
        @Override
        public void close() throws IOException {
            if (open) {
                closeEpoch(new IllegalStateException("the task stopped in epoch " + epoch + " before it ended"));
            }
        }
    }
}
