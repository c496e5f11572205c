package dev.flinkpatterns.io.foreachbatch;

import dev.flinkpatterns.table.Change;
import java.io.Serializable;
import java.util.List;

/**
 * User code for each batch: Spark's {@code foreachBatch(fn)} function, {@code fn(batch_df, batch_id)}.
 *
 * <p><b>Must be idempotent per batch id</b> (Spark's advice too): the sink calls it once per batch, and records that
 * it did only after it returned. A crash in between (or a failed attempt that wrote half) makes the sink call it
 * again, after the restart, with the same id and the same rows. Writing to a place named by the id (replacing what
 * is there), or an upsert keyed by the id, gives exactly-once effect; a plain append does not.
 */
@FunctionalInterface
public interface BatchHandler extends Serializable {

    /** Throw {@link TransientBatchFailure} (or an {@link java.io.IOException}) for errors worth retrying at once. */
    void handle(BatchId batchId, List<Change> rows) throws Exception;

    /** One batch to several handlers in turn (Spark: one batch to several sinks); each must be idempotent. */
    static BatchHandler all(BatchHandler... handlers) {
        List<BatchHandler> inOrder = List.of(handlers);
        return (batchId, rows) -> {
            for (BatchHandler handler : inOrder) {
                handler.handle(batchId, rows);
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
