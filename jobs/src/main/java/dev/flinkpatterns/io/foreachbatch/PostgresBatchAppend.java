package dev.flinkpatterns.io.foreachbatch;

import dev.flinkpatterns.io.ColumnNames;
import dev.flinkpatterns.io.PostgresConnection;
import dev.flinkpatterns.io.PostgresSinks;
import dev.flinkpatterns.io.PostgresTypes;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.table.Change;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.sql.Statement;
import java.util.List;

/**
 * The guide's "write each batch to a database", idempotent by batch id: Delta's {@code txnAppId}/{@code txnVersion}
 * trick in plain SQL. One transaction inserts the batch id ({@code <checkpoint>-<subtask>-<run>}) into
 * {@code <table>_batches} (its primary key) and appends the rows, each with its batch id, to {@code table}; if the id
 * is already there, an earlier call wrote the batch and this one writes nothing. So even a plain append (no key, no
 * upsert) lands once. A fresh run has a new run part: it appends all its batches. A restore from an older checkpoint
 * <i>k</i> deletes the batches of other runs after <i>k</i>, rows and ids, in one transaction
 * ({@link #discardBatchesAfter}): their rows come again in the new run's batches. Deleted rows are skipped: an
 * append has nothing to delete.
 */
public final class PostgresBatchAppend implements BatchHandler {

    private final PostgresConnection connection;
    private final String table;
    private final RowSchema schema;
    private final List<String> columns;

    /**
     * @param table a plain name ({@code [a-z_][a-z0-9_]*}), created with the columns {@code row_key TEXT,
     *     <columns typed as PostgresTypes maps them>, batch_id TEXT}
     */
    public PostgresBatchAppend(PostgresConnection connection, String table, RowSchema schema) {
        List<String> columns = ColumnNames.legal(schema).names();
        if (!table.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("table name must be [a-z_][a-z0-9_]*, got " + table);
        }
        if (columns.contains("row_key") || columns.contains("batch_id")) {
            throw new IllegalArgumentException("row_key and batch_id are the append's own columns; rename the column");
        }
        this.connection = connection;
        this.table = table;
        this.schema = schema;
        this.columns = columns;
    }

    public String batchesTable() {
        return table + "_batches";
    }

    public void createTables() throws SQLException {
        try (Connection db = connection.open(); Statement statement = db.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + table + " (row_key TEXT, "
                    + String.join(", ", PostgresTypes.columnDefinitions(schema)) + ", batch_id TEXT)");
            statement.execute("CREATE TABLE IF NOT EXISTS " + batchesTable()
                    + " (batch_id TEXT PRIMARY KEY, run TEXT NOT NULL, checkpoint BIGINT NOT NULL)");
        }
    }

    @Override
    public void handle(BatchId batchId, List<Change> rows) throws SQLException, TransientBatchFailure {
        try {
            append(batchId, rows);
        } catch (SQLTransientException | SQLRecoverableException e) {
            throw new TransientBatchFailure("PostgreSQL: " + e.getMessage(), e);
        }
    }

    private void append(BatchId batchId, List<Change> rows) throws SQLException {
        try (Connection db = connection.open()) {
            db.setAutoCommit(false);
            try (PreparedStatement claim = db.prepareStatement(
                    "INSERT INTO " + batchesTable() + " (batch_id, run, checkpoint) VALUES (?, ?, ?)"
                            + " ON CONFLICT DO NOTHING")) {
                claim.setString(1, batchId.toString());
                claim.setString(2, batchId.run());
                claim.setLong(3, batchId.checkpoint());
                if (claim.executeUpdate() == 0) {
                    db.rollback();
                    return;  // written by an earlier call for this batch
                }
            }
            try (PreparedStatement insert = db.prepareStatement("INSERT INTO " + table + " VALUES (?"
                    + ", ?".repeat(columns.size() + 1) + ")")) {
                for (Change row : rows) {
                    if (row.isDelete()) {
                        continue;
                    }
                    insert.setString(1, PostgresSinks.rowKey(row.key()));
                    for (int i = 0; i < columns.size(); i++) {
                        PostgresTypes.bind(insert, i + 2, schema.column(i).type(), row.cells().get(i));
                    }
                    insert.setString(columns.size() + 2, batchId.toString());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            db.commit();
        }
    }

    /** Deletes the rows and ids of other runs' batches after the restored checkpoint, in one transaction. */
    @Override
    public void discardBatchesAfter(long restoredCheckpoint, String run) throws SQLException {
        try (Connection db = connection.open()) {
            db.setAutoCommit(false);
            String replaced = " WHERE checkpoint > ? AND run <> ?";
            try (PreparedStatement rows = db.prepareStatement("DELETE FROM " + table + " WHERE batch_id IN"
                    + " (SELECT batch_id FROM " + batchesTable() + replaced + ")");
                    PreparedStatement ids = db.prepareStatement("DELETE FROM " + batchesTable() + replaced)) {
                for (PreparedStatement statement : List.of(rows, ids)) {
                    statement.setLong(1, restoredCheckpoint);
                    statement.setString(2, run);
                    statement.executeUpdate();
                }
            }
            db.commit();
        }
    }
}
