package dev.flinkpatterns.io.foreachbatch;

import java.io.Serializable;

/**
 * Which batch: Spark's {@code batchId}, scoped like Delta's {@code txnAppId} + {@code txnVersion}. A batch is what one
 * subtask wrote between two checkpoints of one run, so it takes three parts: the run (new each time the job is
 * started or restored from a checkpoint or savepoint by hand, kept across the job's own restarts), the checkpoint
 * that pre-committed it (at most that checkpoint's id) and the subtask. The same batch always gets the same id, also
 * when its handler runs again after a crash, and then holds the same rows; a batch of another run never gets it. So
 * skipping an id stored before is safe: the key for idempotent writes.
 *
 * @param run the run's random hexadecimal part; empty only for ids without a run
 */
public record BatchId(String run, long checkpoint, int subtask) implements Serializable, Comparable<BatchId> {

    /** An id without a run part (names of the two-phase file sink without a run). */
    public BatchId(long checkpoint, int subtask) {
        this("", checkpoint, subtask);
    }

    /** {@code <checkpoint>-<subtask>-<run>}, as file names use it. */
    @Override
    public String toString() {
        return checkpoint + "-" + subtask + (run.isEmpty() ? "" : "-" + run);
    }

    @Override
    public int compareTo(BatchId other) {
        int byCheckpoint = Long.compare(checkpoint, other.checkpoint);
        if (byCheckpoint != 0) {
            return byCheckpoint;
        }
        int bySubtask = Integer.compare(subtask, other.subtask);
        return bySubtask != 0 ? bySubtask : run.compareTo(other.run);
    }
}
