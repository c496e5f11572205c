package dev.flinkpatterns.io.foreachbatch;

import dev.flinkpatterns.io.twophase.PendingFile;
import dev.flinkpatterns.io.twophase.TransactionFiles;
import dev.flinkpatterns.io.twophase.TransactionalFileSink;
import dev.flinkpatterns.io.twophase.TransactionalFileWriter;
import dev.flinkpatterns.table.Change;
import java.io.IOException;
import java.util.Collection;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Spark's {@code foreachBatch}, with exactly-once effect: the protocol of {@link TransactionalFileSink}, where
 * "commit" means "hand the batch to user code".
 *
 * <ul>
 *   <li><b>Batch</b>: the rows one subtask receives between two checkpoint barriers, written to a hidden pending
 *       file in the state directory ({@code .batch-<subtask>-<n>-<run>.jsonl.pending}); the two-phase file sink's
 *       writer does this, unchanged.</li>
 *   <li><b>Pre-commit</b>, at the barrier: the pending file is fsynced and closed, and goes into the checkpoint as a
 *       committable. The batch's rows are now durable and fixed.</li>
 *   <li><b>Commit</b>, when the checkpoint has completed: {@link BatchCommitter} reads the rows, calls
 *       {@link BatchHandler#handle} (retrying transient errors with backoff), then renames the pending file to
 *       {@code batch-<subtask>-<n>-<run>.jsonl}: the durable record that the batch was handled. Its
 *       {@link BatchId} is (run, n, subtask): the run is new each time the job is built (a fresh start, or a
 *       restore from a checkpoint or savepoint by hand), the same across the job's own restarts.</li>
 *   <li><b>Restart</b>: Flink hands the committer the committables of the restored checkpoint again. Handled ones
 *       (final file there) are skipped; one whose handler ran but whose rename did not happen is handled again, with
 *       the same id and rows: hence the handler must be idempotent per batch id.</li>
 *   <li><b>Restore from an older checkpoint</b> <i>k</i>: the source replays rows that batches after <i>k</i> had
 *       handed over, cut into other batches of the new run (new ids: nothing is skipped). The markers of the old
 *       batches go, and {@link BatchHandler#discardBatchesAfter} tells the handler to undo them.</li>
 * </ul>
 * Spark promises at-least-once for {@code foreachBatch}; here each batch is handled to completion once, and called
 * again only after a crash between the handler and its marker. The state directory keeps the handled batches'
 * files (an audit trail; delete old ones as you would old checkpoints). Empty intervals make no batch.
 */
public final class ForeachBatchSink
        implements Sink<Change>, SupportsCommitter<PendingFile>, SupportsWriterState<Change, Void> {

    /** The names of this run's batch files, {@code batch-<subtask>-<checkpoint>-<run>.jsonl}. */
    private final TransactionFiles names;
    private final TransactionalFileSink<Change> batches;
    private final BatchHandler handler;
    private final Retry retry;

    /**
     * @param stateDirectory local directory for the pending and handled batch files; one per job
     */
    public ForeachBatchSink(String stateDirectory, BatchHandler handler, Retry retry) {
        this.names = TransactionFiles.newRun("batch", ".jsonl");
        this.batches = TransactionalFileSink.lines(stateDirectory, names, ChangeLines::line);
        this.handler = handler;
        this.retry = retry;
    }

    public ForeachBatchSink(String stateDirectory, BatchHandler handler) {
        this(stateDirectory, handler, Retry.DEFAULT);
    }

    @Override
    public TransactionalFileWriter<Change> createWriter(WriterInitContext context) throws IOException {
        var restored = context.getRestoredCheckpointId();
        if (restored.isPresent()) {
            discardReplacedBatches(restored.getAsLong());
        }
        return batches.createWriter(context);
    }

    /**
     * A restore: the batches other runs handed over after the restored checkpoint are void (the source replays their
     * rows into this run's batches), so the handler undoes them before this subtask writes. Batches of this run are
     * never above the checkpoint a restart restores, so a restart of this run voids nothing.
     */
    private void discardReplacedBatches(long restoredCheckpoint) throws IOException {
        try {
            handler.discardBatchesAfter(restoredCheckpoint, names.run());
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("The handler could not discard the batches after checkpoint " + restoredCheckpoint,
                    e);
        }
    }

    @Override
    public StatefulSinkWriter<Change, Void> restoreWriter(WriterInitContext context, Collection<Void> state)
            throws IOException {
        return createWriter(context);
    }

    @Override
    public BatchCommitter createCommitter(CommitterInitContext context) {
        return new BatchCommitter(names, handler, retry);
    }

    @Override
    public SimpleVersionedSerializer<PendingFile> getCommittableSerializer() {
        return batches.getCommittableSerializer();
    }

    @Override
    public SimpleVersionedSerializer<Void> getWriterStateSerializer() {
        return batches.getWriterStateSerializer();
    }
}
