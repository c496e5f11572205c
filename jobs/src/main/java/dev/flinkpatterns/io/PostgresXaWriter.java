package dev.flinkpatterns.io;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import javax.sql.XAConnection;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.connector.jdbc.datasource.statements.JdbcQueryStatement;

/**
 * One subtask of {@link PostgresXaSink}: the rows of a checkpoint period go into one XA transaction on the writer's
 * own connection (begun with the period's first row), prepared at the checkpoint's barrier ({@link #prepareCommit})
 * and handed to the committer, which commits it when the checkpoint completes. The next period's transaction runs on
 * the same connection, with the same prepared statement. Nothing is ever committed here.
 */
final class PostgresXaWriter<IN>
        implements StatefulSinkWriter<IN, XaTransaction.Owner>, CommittingSinkWriter<IN, XaTransaction> {

    private final XaTransaction.Owner owner;
    private final int subtask;
    private final int attempt;
    private final JdbcQueryStatement<IN> statement;
    private final int batchSize;
    private final XAConnection xaConnection;
    private final XAResource resource;
    private final PreparedStatement prepared;

    /** The number of the open transaction, or of the next one: never above the checkpoint that prepares it. */
    private long number;
    private XaTransaction open;
    private int batched;

    PostgresXaWriter(XaTransaction.Owner owner, int subtask, int attempt, long firstNumber, XAConnection xaConnection,
            JdbcQueryStatement<IN> statement, int batchSize) throws SQLException {
        this.owner = owner;
        this.subtask = subtask;
        this.attempt = attempt;
        this.number = firstNumber;
        this.statement = statement;
        this.batchSize = batchSize;
        this.xaConnection = xaConnection;
        this.resource = xaConnection.getXAResource();
        // One logical connection for the writer's life: asking again would close this one and its statement.
        Connection connection = xaConnection.getConnection();
        this.prepared = connection.prepareStatement(statement.query());
    }

    @Override
    public void write(IN element, Context context) throws IOException {
        try {
            if (open == null) {
                XaTransaction transaction = new XaTransaction(owner.sink(), owner.job(), subtask, number, attempt);
                resource.start(transaction, XAResource.TMNOFLAGS);
                open = transaction;
            }
            statement.statement(prepared, element);
            prepared.addBatch();
            if (++batched >= batchSize) {
                executeBatch();
            }
        } catch (SQLException | XAException e) {
            throw new IOException("could not write to PostgreSQL: " + describe(e), e);
        }
    }

    /** Sends the batch; nothing commits before the checkpoint completes. */
    @Override
    public void flush(boolean endOfInput) throws IOException {
        try {
            executeBatch();
        } catch (SQLException e) {
            throw new IOException("could not write to PostgreSQL: " + describe(e), e);
        }
    }

    /** Phase one, at the barrier: the period's transaction is ended and prepared, and becomes the committable. */
    @Override
    public Collection<XaTransaction> prepareCommit() throws IOException {
        if (open == null) {
            return List.of();
        }
        XaTransaction transaction = open;
        try {
            executeBatch();
            resource.end(transaction, XAResource.TMSUCCESS);
            int vote = resource.prepare(transaction);
            open = null;
            // Never reuse a number, even when no snapshotState follows (end of input).
            number++;
            return vote == XAResource.XA_RDONLY ? List.of() : List.of(transaction);
        } catch (SQLException | XAException e) {
            throw new IOException("could not prepare the transaction of checkpoint period " + transaction.number()
                    + ": " + describe(e), e);
        }
    }

    /** Called after {@link #prepareCommit} with the checkpoint's id: the next transaction is numbered after it. */
    @Override
    public List<XaTransaction.Owner> snapshotState(long checkpointId) {
        number = Math.max(number, checkpointId + 1);
        return List.of(owner);
    }

    /** An open transaction (not prepared) is rolled back by PostgreSQL when its connection closes. */
    @Override
    public void close() throws Exception {
        try {
            prepared.close();
        } finally {
            xaConnection.close();
        }
    }

    private void executeBatch() throws SQLException {
        if (batched > 0) {
            prepared.executeBatch();
            batched = 0;
        }
    }

    private static String describe(Exception e) {
        if (e instanceof SQLException sql && sql.getNextException() != null) {
            return sql.getMessage() + " (" + sql.getNextException().getMessage() + ")";
        }
        return e instanceof XAException xa ? "XA error " + xa.errorCode + " " + xa.getMessage() : e.getMessage();
    }
}
