package dev.flinkpatterns.io;

import java.io.IOException;
import java.util.Collection;
import javax.sql.XAConnection;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.util.function.SerializableSupplier;
import org.postgresql.xa.PGXADataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Phase two of {@link PostgresXaSink}: commits the transactions of a checkpoint once it has completed, on a
 * connection of its own (PostgreSQL commits a prepared transaction from any connection). Idempotent: a transaction
 * no longer prepared was committed by an earlier attempt (after a restore, Flink hands the committables again).
 */
final class PostgresXaCommitter implements Committer<XaTransaction> {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresXaCommitter.class);

    private final SerializableSupplier<PGXADataSource> dataSource;
    private XAConnection connection;

    PostgresXaCommitter(SerializableSupplier<PGXADataSource> dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void commit(Collection<CommitRequest<XaTransaction>> requests) throws IOException {
        if (requests.isEmpty()) {
            return;
        }
        XAResource resource;
        try {
            if (connection == null) {
                connection = dataSource.get().getXAConnection();
            }
            resource = connection.getXAResource();
        } catch (Exception e) {
            closeConnection();
            throw new IOException("could not connect to PostgreSQL to commit: " + e.getMessage(), e);
        }
        for (CommitRequest<XaTransaction> request : requests) {
            XaTransaction transaction = request.getCommittable();
            try {
                resource.commit(transaction, false);
            } catch (XAException e) {
                if (e.errorCode == XAException.XAER_NOTA || !stillPrepared(resource, transaction)) {
                    LOG.debug("transaction of checkpoint period {}, subtask {} was committed before",
                            transaction.number(), transaction.subtask());
                    request.signalAlreadyCommitted();
                } else {
                    closeConnection();
                    request.signalFailedWithUnknownReason(e);
                }
            }
        }
    }

    private static boolean stillPrepared(XAResource resource, XaTransaction transaction) {
        try {
            for (Xid xid : resource.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN)) {
                if (transaction.sameAs(xid)) {
                    return true;
                }
            }
            return false;
        } catch (XAException e) {
            return true; // cannot tell: fail, and the restart commits it again
        }
    }

    @Override
    public void close() {
        closeConnection();
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (Exception e) {
                LOG.warn("could not close the commit connection", e);
            }
            connection = null;
        }
    }
}
