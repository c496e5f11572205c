package dev.flinkpatterns.io;

import java.io.IOException;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.sql.XAConnection;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.InitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.jdbc.datasource.statements.JdbcQueryStatement;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.util.function.SerializableSupplier;
import org.postgresql.xa.PGXADataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly-once into PostgreSQL by XA two-phase commit, on Sink V2: each writer's rows of a checkpoint period in one
 * transaction, prepared at the checkpoint's barrier ({@link PostgresXaWriter}) and committed only when the checkpoint
 * has completed ({@link PostgresXaCommitter}). A failure anywhere before that (another operator's snapshot, the
 * process dying) leaves the transaction prepared, never committed, and the replay writes its rows once.
 *
 * <p>A transaction id ({@link XaTransaction}) names this sink (an id drawn when the job is built), the job, the
 * subtask and the transaction's number: a subtask's transaction after checkpoint {@code c} is number {@code c + 1},
 * never above the checkpoint that prepares it. A writer restoring checkpoint {@code c} leaves the numbers up to
 * {@code c} to the committer (they are in the checkpoint) and, before it writes, rolls back the prepared transactions
 * numbered above {@code c}: its own subtask's in this job (other subtasks may still be running after a partial
 * restart; subtask 0 also takes those of subtasks beyond the parallelism), and every subtask's of the sink and job
 * that wrote the restored state (a restore from a checkpoint or savepoint starts a new job, and the job is built
 * again). Nothing else is touched: another sink's or job's transactions, or other applications'. Left prepared, such
 * a transaction would hold its row locks for ever, and the replay would block on the same keys.
 */
final class PostgresXaSink<IN> implements Sink<IN>, SupportsWriterState<IN, XaTransaction.Owner>,
        SupportsCommitter<XaTransaction> {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresXaSink.class);

    private final UUID sinkId = UUID.randomUUID();
    private final SerializableSupplier<PGXADataSource> dataSource;
    private final JdbcQueryStatement<IN> statement;
    private final int batchSize;

    PostgresXaSink(SerializableSupplier<PGXADataSource> dataSource, JdbcQueryStatement<IN> statement, int batchSize) {
        this.dataSource = dataSource;
        this.statement = statement;
        this.batchSize = batchSize;
    }

    @Override
    public PostgresXaWriter<IN> createWriter(WriterInitContext context) throws IOException {
        return restoreWriter(context, List.of());
    }

    @Override
    public PostgresXaWriter<IN> restoreWriter(WriterInitContext context, Collection<XaTransaction.Owner> recoveredState)
            throws IOException {
        JobID job = context.getJobInfo().getJobId();
        XaTransaction.Owner owner = new XaTransaction.Owner(sinkId, new UUID(job.getUpperPart(), job.getLowerPart()));
        long restored = context.getRestoredCheckpointId().orElse(InitContext.INITIAL_CHECKPOINT_ID - 1);
        int subtask = context.getTaskInfo().getIndexOfThisSubtask();
        rollBackPreparedAfter(restored, owner, subtask, context.getTaskInfo().getNumberOfParallelSubtasks(),
                recoveredState);
        XAConnection connection = null;
        try {
            connection = dataSource.get().getXAConnection();
            return new PostgresXaWriter<>(owner, subtask, context.getTaskInfo().getAttemptNumber(), restored + 1,
                    connection, statement, batchSize);
        } catch (Exception e) {
            close(connection);
            throw new IOException("could not open the XA writer's connection: " + e.getMessage(), e);
        }
    }

    @Override
    public SimpleVersionedSerializer<XaTransaction.Owner> getWriterStateSerializer() {
        return new XaTransaction.OwnerSerializer();
    }

    @Override
    public Committer<XaTransaction> createCommitter(CommitterInitContext context) {
        return new PostgresXaCommitter(dataSource);
    }

    @Override
    public SimpleVersionedSerializer<XaTransaction> getCommittableSerializer() {
        return new XaTransaction.Serializer();
    }

    private void rollBackPreparedAfter(long restoredCheckpoint, XaTransaction.Owner owner, int subtask,
            int parallelism, Collection<XaTransaction.Owner> recoveredState) throws IOException {
        Set<XaTransaction.Owner> earlier = new HashSet<>(recoveredState);
        earlier.remove(owner);
        XAConnection connection = null;
        try {
            connection = dataSource.get().getXAConnection();
            XAResource resource = connection.getXAResource();
            for (Xid xid : resource.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN)) {
                XaTransaction transaction = XaTransaction.of(xid);
                if (transaction == null || transaction.number() <= restoredCheckpoint) {
                    continue;
                }
                XaTransaction.Owner writer = new XaTransaction.Owner(transaction.sink(), transaction.job());
                boolean mine = writer.equals(owner)
                        && (transaction.subtask() == subtask || (subtask == 0 && transaction.subtask() >= parallelism));
                if (mine || earlier.contains(writer)) {
                    rollBack(resource, xid, transaction);
                }
            }
        } catch (Exception e) {
            throw new IOException("could not roll back the transactions prepared after checkpoint "
                    + restoredCheckpoint + ": " + e.getMessage(), e);
        } finally {
            close(connection);
        }
    }

    private static void rollBack(XAResource resource, Xid xid, XaTransaction transaction) throws XAException {
        try {
            resource.rollback(xid);
            LOG.info("rolled back transaction {} of subtask {}, prepared after the restored checkpoint",
                    transaction.number(), transaction.subtask());
        } catch (XAException e) {
            if (e.errorCode != XAException.XAER_NOTA) { // NOTA: another subtask rolled it back first
                throw e;
            }
        }
    }

    private static void close(XAConnection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (Exception e) {
                LOG.warn("could not close an XA connection", e);
            }
        }
    }
}
