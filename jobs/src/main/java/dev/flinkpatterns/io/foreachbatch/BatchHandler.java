package dev.flinkpatterns.io.foreachbatch;

import dev.flinkpatterns.table.Change;
import java.io.Serializable;
import java.util.List;

/**
 * User code for each batch: Spark's {@code foreachBatch(fn)} function, {@code fn(batch_df, batch_id)}.
 *
 * <p><b>Must be idempotent per batch id</b> (Spark's advice too): the sink calls it once per batch, and records that
 * it did only after it returned. A crash in between (or a failed attempt that wrote half) makes the sink call it
 * again, after the restart, with the same id and the same rows. An id is never reused for other rows (it holds the
 * run), so skipping a batch whose id was stored before loses nothing; after a restore from an older checkpoint the
 * replaced batches are announced through {@link #discardBatchesAfter}. Writing to a place named by the id (replacing
 * what is there), or an upsert keyed by the id, gives exactly-once effect; a plain append does not.
 */
@FunctionalInterface
public interface BatchHandler extends Serializable {

    /** Throw {@link TransientBatchFailure} (or an {@link java.io.IOException}) for errors worth retrying at once. */
    void handle(BatchId batchId, List<Change> rows) throws Exception;

    /**
     * The job was restored (by hand) from checkpoint {@code restoredCheckpoint} into run {@code run}: the batches of
     * other runs numbered above that checkpoint are void. Their rows come again, in batches of {@code run} cut at
     * other points; undo what they did here, or those rows take effect twice. Called on each subtask before it
     * writes (repeat-safe), never on a fresh start. The default does nothing: right for a handler whose writes a
     * replay overwrites (an upsert by row key), not for an append.
     */
    default void discardBatchesAfter(long restoredCheckpoint, String run) throws Exception {}

    /** One batch to several handlers in turn (Spark: one batch to several sinks); each must be idempotent. */
    static BatchHandler all(BatchHandler... handlers) {
        List<BatchHandler> inOrder = List.of(handlers);
        return new BatchHandler() {
            @Override
            public void handle(BatchId batchId, List<Change> rows) throws Exception {
                for (BatchHandler handler : inOrder) {
                    handler.handle(batchId, rows);
                }
            }

            @Override
            public void discardBatchesAfter(long restoredCheckpoint, String run) throws Exception {
                for (BatchHandler handler : inOrder) {
                    handler.discardBatchesAfter(restoredCheckpoint, run);
                }
            }
        };
    }

    /** A failure that may pass (a timeout, a busy database): the sink retries the batch with backoff. */
    final class TransientBatchFailure extends Exception {
        public TransientBatchFailure(String message, Throwable cause) {
            super(message, cause);
        }

        public TransientBatchFailure(String message) {
            super(message);
        }
    }
}
