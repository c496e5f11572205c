package dev.flinkpatterns.io.foreachbatch;

import java.io.Serializable;

/**
 * Spark's {@code ForeachWriter}: user code per row. For each subtask ({@code partitionId}) and each checkpoint
 * interval ({@code epochId}) that has rows: {@link #open} first; if it returns true, {@link #process} for each row;
 * then {@link #close} always, with null after a complete epoch, or the error that ended it. At-least-once, as in
 * Spark: after a restart the rows since the last checkpoint come again. An epoch id is a checkpoint number, not
 * unique across runs, and after a restore from an older checkpoint a replayed epoch can hold other rows: do not skip
 * an epoch by its id; make {@link #process} idempotent per row (an upsert by key).
 */
public interface ForeachWriter<T> extends Serializable {

    boolean open(int partitionId, long epochId) throws Exception;

    void process(T row) throws Exception;

    void close(Throwable errorOrNull) throws Exception;
}
