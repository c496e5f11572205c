package dev.flinkpatterns.io.foreachbatch;

import java.io.Serializable;

/**
 * Which batch: Spark's {@code batchId}. A batch is what one subtask wrote between two checkpoints, so it takes both
 * numbers: the checkpoint that pre-committed it (at most that checkpoint's id) and the subtask. The same batch always
 * gets the same id, also when its handler runs again after a crash: the key for idempotent writes.
 */
public record BatchId(long checkpoint, int subtask) implements Serializable, Comparable<BatchId> {

    /** {@code <checkpoint>-<subtask>}, as file names use it. */
    @Override
    public String toString() {
        return checkpoint + "-" + subtask;
    }

    @Override
    public int compareTo(BatchId other) {
        int byCheckpoint = Long.compare(checkpoint, other.checkpoint);
        return byCheckpoint != 0 ? byCheckpoint : Integer.compare(subtask, other.subtask);
    }
}
