package dev.flinkpatterns.io;

import dev.flinkpatterns.table.Change;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.apache.flink.connector.jdbc.datasource.statements.JdbcQueryStatement;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.postgresql.xa.PGXADataSource;

/**
 * The one place PostgreSQL sinks are built. Two guarantees, one statement per record:
 * <ul>
 *   <li>at-least-once: batches sent as they fill, every 200 ms and at each checkpoint, retried on error; after a
 *       failure the rows since the last checkpoint are written again, so the statement must be idempotent (an upsert);
 *   <li>exactly-once: each writer's rows of a checkpoint period go into one XA transaction, prepared at the
 *       checkpoint's barrier and committed once the checkpoint has completed; after a failure, transactions prepared
 *       but not part of the restored checkpoint are rolled back ({@link PostgresXaSink}). Readers see rows only at
 *       checkpoints. PostgreSQL needs {@code max_prepared_transactions} above 0.
 * </ul>
 */
public final class PostgresSinks {

    /** The column that identifies a row of a result table: its {@link Change#key()}. */
    public static final String ROW_KEY = "row_key";

    private static final Pattern TABLE_NAME = Pattern.compile("([a-z_][a-z0-9_]*\\.)?[a-z_][a-z0-9_]*");
    private static final int BATCH_SIZE = 1000;
    private static final long BATCH_INTERVAL_MS = 200;
    private static final int AT_LEAST_ONCE_RETRIES = 3;

    private PostgresSinks() {}

    /**
     * A row key as PostgreSQL text, which cannot hold the NUL character that many keys use as a separator (file and
     * line, topic and offset): NUL becomes {@code \0} and a backslash {@code \\}, so distinct keys stay distinct.
     */
    public static String rowKey(String key) {
        return key.indexOf('\u0000') < 0 && key.indexOf('\\') < 0 ? key : key.replace("\\", "\\\\").replace("\u0000", "\\0");
    }

    /** A cell as PostgreSQL text: a NUL in the data (PostgreSQL refuses it) becomes U+FFFD, the replacement character. */
    public static String cell(String text) {
        return text == null || text.indexOf('\u0000') < 0 ? text : text.replace('\u0000', '\uFFFD');
    }

    /** A sink that runs {@code statement} for every record, with this guarantee (at-least-once or exactly-once). */
    public static <T> Sink<T> sink(PostgresConnection connection, JdbcQueryStatement<T> statement,
            DeliveryGuarantee guarantee) {
        return switch (guarantee) {
            case AT_LEAST_ONCE -> atLeastOnce(connection, statement);
            case EXACTLY_ONCE -> exactlyOnce(connection, statement);
            case NONE -> throw new IllegalArgumentException("PostgreSQL sinks are at-least-once or exactly-once");
        };
    }

    public static <T> Sink<T> atLeastOnce(PostgresConnection connection, JdbcQueryStatement<T> statement) {
        return JdbcSink.<T>builder()
                .withQueryStatement(statement)
                .withExecutionOptions(JdbcExecutionOptions.builder()
                        .withBatchSize(BATCH_SIZE)
                        .withBatchIntervalMs(BATCH_INTERVAL_MS)
                        .withMaxRetries(AT_LEAST_ONCE_RETRIES)
                        .build())
                .buildAtLeastOnce(new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                        .withUrl(connection.jdbcUrl())
                        .withDriverName(org.postgresql.Driver.class.getName())
                        .withUsername(connection.user())
                        .withPassword(connection.password())
                        .build());
    }

    public static <T> Sink<T> exactlyOnce(PostgresConnection connection, JdbcQueryStatement<T> statement) {
        // A failed batch is not retried within the transaction: the job restarts and replays the period.
        return new PostgresXaSink<>(() -> xaDataSource(connection), statement, BATCH_SIZE);
    }

    private static PGXADataSource xaDataSource(PostgresConnection connection) {
        PGXADataSource dataSource = new PGXADataSource();
        dataSource.setUrl(connection.jdbcUrl());
        if (connection.user() != null) {
            dataSource.setUser(connection.user());
        }
        if (connection.password() != null) {
            dataSource.setPassword(connection.password());
        }
        return dataSource;
    }

    /**
     * A result table into {@code table}: one row per key ({@value #ROW_KEY} is the primary key), the table's columns
     * typed ({@link PostgresTypes}). A change upserts its row, a delete removes it. Changes are partitioned by key,
     * so a row is written by one writer only, in the order its changes were made, and two writers never wait on each other's row locks.
     */
    public static DataStreamSink<Change> resultTable(DataStream<Change> changes, RowSchema columns,
            PostgresConnection connection, String table, DeliveryGuarantee guarantee) {
        return changes.keyBy(Change::key, org.apache.flink.api.common.typeinfo.Types.STRING)
                .sinkTo(sink(connection, new UpsertOrDelete(table, columns), guarantee))
                .name("postgres " + table + " (" + guarantee.toString().toLowerCase(Locale.ROOT).replace('_', '-') + ")")
                .uid("postgres");
    }

    /** A table named after a pattern: {@code window-agg} becomes {@code window_agg}. */
    public static String tableName(String patternName) {
        String name = patternName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        return Character.isDigit(name.charAt(0)) ? "_" + name : name;
    }

    /** True for a plain table name, optionally with its schema ({@code public.aggregations}), in lower case. */
    public static boolean isValidTableName(String name) {
        return TABLE_NAME.matcher(name).matches();
    }

    /**
     * Creates the result table unless it exists: {@value #ROW_KEY} TEXT PRIMARY KEY, then the result's columns typed
     * ({@link PostgresTypes}). An existing table must have the same columns and types (from
     * {@code information_schema}), else the sink would fail on every row: this checks it before anything is written
     * and throws {@link IllegalStateException}.
     */
    public static void createTable(PostgresConnection connection, String table, RowSchema columns) throws SQLException {
        RowSchema legal = ColumnNames.legal(columns);
        List<String> names = new ArrayList<>(List.of(ROW_KEY));
        names.addAll(legal.names());
        List<String> types = new ArrayList<>(List.of("TEXT"));
        legal.columns().forEach(column -> types.add(PostgresTypes.sqlType(column.type())));
        try (Connection db = connection.open(); Statement statement = db.createStatement()) {
            PostgresTypes.requireColumns(db, table, names, types);
            statement.execute("CREATE TABLE IF NOT EXISTS " + table + " (" + ROW_KEY + " TEXT PRIMARY KEY, "
                    + String.join(", ", PostgresTypes.columnDefinitions(columns)) + ")");
        }
    }

    /** The rows of a result table written by {@link #resultTable}, ordered by key, without the key, typed. */
    public static List<List<Object>> readTable(PostgresConnection connection, String table, RowSchema columns)
            throws SQLException {
        RowSchema legal = ColumnNames.legal(columns);
        List<List<Object>> rows = new ArrayList<>();
        try (Connection db = connection.open(); Statement statement = db.createStatement();
                var result = statement.executeQuery("SELECT " + legal.names().stream().map(PostgresSinks::quoted)
                        .collect(Collectors.joining(", ")) + " FROM " + table + " ORDER BY " + ROW_KEY)) {
            while (result.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= legal.size(); i++) {
                    row.add(PostgresTypes.read(result, i, legal.column(i - 1).type()));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** A column name as a PostgreSQL identifier: result columns are named like {@code sum(amount)}. */
    static String quoted(String column) {
        return '"' + column.replace("\"", "\"\"") + '"';
    }

    /**
     * One statement for both kinds of change, so a writer's batch keeps their order: the DELETE in the WITH clause
     * runs only for a delete, the upsert only for the others.
     */
    static final class UpsertOrDelete implements JdbcQueryStatement<Change> {
        private final String sql;
        private final int columnCount;
        private final RowSchema schema;

        UpsertOrDelete(String table, RowSchema schema) {
            this.schema = schema;
            List<String> columns = ColumnNames.legal(schema).names();
            if (columns.contains(ROW_KEY)) {
                throw new IllegalArgumentException("a result column is named " + ROW_KEY + ", the key column's name");
            }
            String names = columns.stream().map(PostgresSinks::quoted).collect(Collectors.joining(", "));
            String params = columns.stream().map(c -> "?").collect(Collectors.joining(", "));
            String updates = columns.stream().map(c -> quoted(c) + " = EXCLUDED." + quoted(c))
                    .collect(Collectors.joining(", "));
            this.sql = "WITH deleted AS (DELETE FROM " + table + " WHERE ? AND " + ROW_KEY + " = ?) "
                    + "INSERT INTO " + table + " (" + ROW_KEY + ", " + names + ") SELECT ?, " + params + " WHERE NOT ? "
                    + "ON CONFLICT (" + ROW_KEY + ") DO UPDATE SET " + updates;
            this.columnCount = columns.size();
        }

        @Override
        public String query() {
            return sql;
        }

        @Override
        public void statement(PreparedStatement statement, Change change) throws SQLException {
            boolean delete = change.isDelete();
            if (!delete && change.cells().size() != columnCount) {
                throw new SQLException("row " + change.key() + " has " + change.cells().size() + " cells, the table "
                        + columnCount + " columns");
            }
            int p = 1;
            statement.setBoolean(p++, delete);
            statement.setString(p++, rowKey(change.key()));
            statement.setString(p++, rowKey(change.key()));
            for (int i = 0; i < columnCount; i++) {
                if (delete) {
                    PostgresTypes.bind(statement, p++, schema.column(i).type(), null);
                } else {
                    PostgresTypes.bind(statement, p++, schema.column(i).type(), change.cells().get(i));
                }
            }
            statement.setBoolean(p, delete);
        }
    }
}
