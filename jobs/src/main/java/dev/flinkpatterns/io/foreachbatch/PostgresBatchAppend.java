package dev.flinkpatterns.io.foreachbatch;

import dev.flinkpatterns.io.PostgresSinks;

import dev.flinkpatterns.io.PostgresConnection;
import dev.flinkpatterns.table.Change;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The guide's "write each batch to a database", idempotent by batch id: Delta's {@code txnAppId}/{@code txnVersion}
 * trick in plain SQL. One transaction inserts the batch id into {@code <table>_batches} (its primary key) and appends
 * the rows to {@code table}; if the id is already there, an earlier call wrote the batch and this one writes nothing.
 * So even a plain append (no key, no upsert) lands once. Deleted rows are skipped: an append has nothing to delete.
 */
public final class PostgresBatchAppend implements BatchHandler {

    private final PostgresConnection connection;
    private final String table;
    private final List<String> columns;

    /** @param table a plain name ({@code [a-z_][a-z0-9_]*}), created with TEXT columns {@code row_key, <columns>} */
    public PostgresBatchAppend(PostgresConnection connection, String table, List<String> columns) {
        if (!table.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("table name must be [a-z_][a-z0-9_]*, got " + table);
        }
        this.connection = connection;
        this.table = table;
        this.columns = List.copyOf(columns);
    }

    public String batchesTable() {
        return table + "_batches";
    }

    public void createTables() throws SQLException {
        try (Connection db = connection.open(); Statement statement = db.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + table + " (row_key TEXT, "
                    + columns.stream().map(c -> quoted(c) + " TEXT").collect(Collectors.joining(", ")) + ")");
            statement.execute("CREATE TABLE IF NOT EXISTS " + batchesTable() + " (batch_id TEXT PRIMARY KEY)");
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
                    "INSERT INTO " + batchesTable() + " (batch_id) VALUES (?) ON CONFLICT DO NOTHING")) {
                claim.setString(1, batchId.toString());
                if (claim.executeUpdate() == 0) {
                    db.rollback();
                    return;  // written by an earlier call for this batch
                }
            }
            try (PreparedStatement insert = db.prepareStatement("INSERT INTO " + table + " VALUES (?"
                    + ", ?".repeat(columns.size()) + ")")) {
                for (Change row : rows) {
                    if (row.isDelete()) {
                        continue;
                    }
                    insert.setString(1, PostgresSinks.rowKey(row.key()));
                    for (int i = 0; i < columns.size(); i++) {
                        insert.setString(i + 2, PostgresSinks.cell(row.cells().get(i)));
                    }
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            db.commit();
        }
    }

    private static String quoted(String column) {
        return '"' + column.replace("\"", "\"\"") + '"';
    }
}
