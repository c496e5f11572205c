package dev.flinkpatterns.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.sql.XAConnection;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.InitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.apache.flink.connector.jdbc.core.datastream.sink.committer.JdbcCommitable;
import org.apache.flink.connector.jdbc.core.datastream.sink.writer.JdbcWriterState;
import org.apache.flink.connector.jdbc.datasource.transactions.xa.domain.TransactionId;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.util.function.SerializableSupplier;
import org.postgresql.xa.PGXADataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The XA {@link JdbcSink} plus what its recovery misses on PostgreSQL: before a writer starts, the transactions its
 * job prepared after the checkpoint it restores are rolled back (a fresh start restores nothing and touches no
 * earlier run's). The connector's own
 * clean-up does nothing here: it matches the driver's recovered {@code Xid}s as its own class (never true), and it
 * cannot end a transaction begun on another connection. Left prepared, such a transaction holds its row locks for
 * ever: the restarted writer blocks on the same keys and checkpoints time out.
 *
 * <p>A transaction id of the connector is the job id and subtask (global id) plus the parallelism and the id of the
 * checkpoint whose barrier opened it (branch). A writer restoring checkpoint {@code c} commits the branches below
 * {@code c} (they are in the checkpoint); branch {@code c} and above were prepared after it, so they are rolled back:
 * its own subtask's in this job (other subtasks may still be running after a partial restart), and every subtask's
 * of the earlier job that wrote the restored state (a restore from a checkpoint or savepoint starts a new job).
 * Nothing else is touched: another job's transactions, or transactions of other applications.
 */
final class PostgresXaSink<IN>
        implements Sink<IN>, SupportsWriterState<IN, JdbcWriterState>, SupportsCommitter<JdbcCommitable> {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresXaSink.class);
    private static final int FORMAT_ID = TransactionId.empty().getFormatId();
    private static final int JOB_ID_BYTES = 16;

    private final JdbcSink<IN> delegate;
    private final SerializableSupplier<PGXADataSource> dataSource;

    PostgresXaSink(JdbcSink<IN> delegate, SerializableSupplier<PGXADataSource> dataSource) {
        this.delegate = delegate;
        this.dataSource = dataSource;
    }

    @Override
    public StatefulSinkWriter<IN, JdbcWriterState> createWriter(WriterInitContext context) throws IOException {
        return restoreWriter(context, List.of());
    }

    @Override
    public StatefulSinkWriter<IN, JdbcWriterState> restoreWriter(WriterInitContext context,
            Collection<JdbcWriterState> recoveredState) throws IOException {
        rollBackPreparedAfterRestoredCheckpoint(context, recoveredState);
        return delegate.restoreWriter(context, recoveredState);
    }

    @Override
    public SimpleVersionedSerializer<JdbcWriterState> getWriterStateSerializer() {
        return delegate.getWriterStateSerializer();
    }

    @Override
    public Committer<JdbcCommitable> createCommitter(CommitterInitContext context) throws IOException {
        return delegate.createCommitter(context);
    }

    @Override
    public SimpleVersionedSerializer<JdbcCommitable> getCommittableSerializer() {
        return delegate.getCommittableSerializer();
    }

    private void rollBackPreparedAfterRestoredCheckpoint(WriterInitContext context,
            Collection<JdbcWriterState> recoveredState) throws IOException {
        byte[] thisJob = context.getJobInfo().getJobId().getBytes();
        int subtask = context.getTaskInfo().getIndexOfThisSubtask();
        long firstUncommittedBranch = context.getRestoredCheckpointId().orElse(InitContext.INITIAL_CHECKPOINT_ID - 1);
        Set<ByteBuffer> earlierJobs = new HashSet<>();
        for (JdbcWriterState state : recoveredState) {
            Stream.concat(state.getPrepared().stream(), state.getHanging().stream())
                    .map(id -> jobId(id.getGlobalTransactionId()))
                    .forEach(earlierJobs::add);
        }
        earlierJobs.remove(ByteBuffer.wrap(thisJob));
        XAConnection connection = null;
        try {
            connection = dataSource.get().getXAConnection();
            XAResource resource = connection.getXAResource();
            for (Xid xid : resource.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN)) {
                if (xid.getFormatId() != FORMAT_ID || xid.getGlobalTransactionId().length < JOB_ID_BYTES + 4
                        || branchCheckpoint(xid) < firstUncommittedBranch) {
                    continue;
                }
                ByteBuffer job = jobId(xid.getGlobalTransactionId());
                boolean mine = job.equals(ByteBuffer.wrap(thisJob)) && subtask(xid) == subtask;
                if (mine || earlierJobs.contains(job)) {
                    rollBack(resource, xid);
                }
            }
        } catch (Exception e) {
            throw new IOException("could not roll back the transactions prepared after checkpoint "
                    + firstUncommittedBranch + ": " + e.getMessage(), e);
        } finally {
            if (connection != null) {
                try {
                    connection.close();
                } catch (Exception e) {
                    LOG.warn("could not close the recovery connection", e);
                }
            }
        }
    }

    private static void rollBack(XAResource resource, Xid xid) throws XAException {
        try {
            resource.rollback(xid);
            LOG.info("rolled back transaction of checkpoint period {}, subtask {}, prepared after the restored "
                    + "checkpoint", branchCheckpoint(xid), subtask(xid));
        } catch (XAException e) {
            if (e.errorCode != XAException.XAER_NOTA) { // NOTA: another subtask rolled it back first
                throw e;
            }
        }
    }

    private static ByteBuffer jobId(byte[] globalTransactionId) {
        return ByteBuffer.wrap(Arrays.copyOf(globalTransactionId, JOB_ID_BYTES));
    }

    private static int subtask(Xid xid) {
        return ByteBuffer.wrap(xid.getGlobalTransactionId()).getInt(JOB_ID_BYTES);
    }

    /**
     * The branch qualifier is the parallelism (4 bytes), then the checkpoint id whose barrier opened it. (The
     * connector's ids carry trailing zero bytes: its serializer's buffer, not trimmed.)
     */
    private static long branchCheckpoint(Xid xid) {
        byte[] branch = xid.getBranchQualifier();
        return branch.length >= 12 ? ByteBuffer.wrap(branch).getLong(4) : Long.MIN_VALUE;
    }
}
