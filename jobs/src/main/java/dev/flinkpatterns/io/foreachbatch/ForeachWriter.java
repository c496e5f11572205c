package dev.flinkpatterns.io.foreachbatch;

import java.io.Serializable;

/**
 * Spark's {@code ForeachWriter}: user code per row. For each subtask ({@code partitionId}) and each checkpoint
 * interval ({@code epochId}) that has rows: {@link #open} first; if it returns true, {@link #process} for each row;
 * then {@link #close} always, with null after a complete epoch, or the error that ended it. At-least-once, as in
 * Spark: after a restart the rows since the last checkpoint come again, in an epoch with the same id as before, so
 * {@code open} can return false for an epoch it has already stored.
 */
public interface ForeachWriter<T> extends Serializable {

    boolean open(int partitionId, long epochId) throws Exception;

    void process(T row) throws Exception;

    void close(Throwable errorOrNull) throws Exception;
}
