package dev.flinkpatterns.io;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * How result columns map to PostgreSQL, once for every PostgreSQL sink: the column type a table is created with,
 * the name {@code information_schema.columns.data_type} gives it back under, and how a value is bound (its JDBC type)
 * and read. Column names follow {@link ColumnNames}, quoted (their case kept).
 */
public final class PostgresTypes {

    private PostgresTypes() {}

    /** The column type in CREATE TABLE. */
    public static String sqlType(RowSchema.Type type) {
        return switch (type) {
            case STRING -> "TEXT";
            case INT -> "INTEGER";
            case LONG -> "BIGINT";
            case DOUBLE -> "DOUBLE PRECISION";
            case BOOLEAN -> "BOOLEAN";
            case TIMESTAMP -> "TIMESTAMP";
            case DECIMAL -> "NUMERIC";
            case DATE -> "DATE";
            case STRUCT, ARRAY -> "JSONB";
        };
    }

    /** The type as {@code information_schema.columns.data_type} names it. */
    static String dataType(String sqlType) {
        return switch (sqlType) {
            case "TIMESTAMP" -> "timestamp without time zone";
            default -> sqlType.toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static int jdbcType(RowSchema.Type type) {
        return switch (type) {
            case STRING -> Types.VARCHAR;
            case INT -> Types.INTEGER;
            case LONG -> Types.BIGINT;
            case DOUBLE -> Types.DOUBLE;
            case BOOLEAN -> Types.BOOLEAN;
            case TIMESTAMP -> Types.TIMESTAMP;
            case DECIMAL -> Types.NUMERIC;
            case DATE -> Types.DATE;
            case STRUCT, ARRAY -> Types.OTHER;
        };
    }

    /** {@code "name" TYPE, ...} of the schema's columns (names as {@link ColumnNames} makes them). */
    public static List<String> columnDefinitions(RowSchema schema) {
        RowSchema legal = ColumnNames.legal(schema);
        List<String> definitions = new ArrayList<>();
        for (RowSchema.Column column : legal.columns()) {
            definitions.add(PostgresSinks.quoted(column.name()) + " " + sqlType(column.type()));
        }
        return definitions;
    }

    /** Binds one value with its JDBC type; a timestamp as a LocalDateTime (no time zone shift). */
    public static void bind(PreparedStatement statement, int index, RowSchema.Type type, Object value) throws SQLException {
        if (value == null) {
            statement.setNull(index, jdbcType(type));
            return;
        }
        switch (type) {
            case STRING -> statement.setString(index, PostgresSinks.cell(value.toString()));
            case INT -> statement.setInt(index, ((Number) value).intValue());
            case LONG -> statement.setLong(index, ((Number) value).longValue());
            case DOUBLE -> statement.setDouble(index, ((Number) value).doubleValue());
            case BOOLEAN -> statement.setBoolean(index, (Boolean) value);
            case TIMESTAMP -> statement.setObject(index, (LocalDateTime) value, Types.TIMESTAMP);
            case DECIMAL -> statement.setBigDecimal(index, (java.math.BigDecimal) value);
            case DATE -> statement.setObject(index, value, Types.DATE);
            case STRUCT, ARRAY -> statement.setObject(index, value.toString(), Types.OTHER);
        }
    }

    /** A value read back as the Java type of its column. */
    public static Object read(ResultSet result, int index, RowSchema.Type type) throws SQLException {
        Object value = switch (type) {
            case STRING -> result.getString(index);
            case INT -> result.getInt(index);
            case LONG -> result.getLong(index);
            case DOUBLE -> result.getDouble(index);
            case BOOLEAN -> result.getBoolean(index);
            case TIMESTAMP -> result.getObject(index, LocalDateTime.class);
            case DECIMAL -> result.getBigDecimal(index);
            case DATE -> result.getObject(index, java.time.LocalDate.class);
            case STRUCT, ARRAY -> result.getString(index);
        };
        return result.wasNull() ? null : value;
    }

    /**
     * Checks an existing table against the columns it must have ({@code "name" TYPE} pairs, in order), from
     * {@code information_schema.columns}: a missing table passes (it is about to be created), a misfit is an
     * {@link IllegalStateException} naming both column lists (the CLI's one-line error).
     */
    public static void requireColumns(Connection db, String table, List<String> names, List<String> sqlTypes)
            throws SQLException {
        int dot = table.indexOf('.');
        String sql = "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? AND table_schema = "
                + (dot < 0 ? "current_schema()" : "?") + " ORDER BY ordinal_position";
        List<String> actual = new ArrayList<>();
        try (PreparedStatement query = db.prepareStatement(sql)) {
            query.setString(1, dot < 0 ? table : table.substring(dot + 1));
            if (dot >= 0) {
                query.setString(2, table.substring(0, dot));
            }
            try (ResultSet columns = query.executeQuery()) {
                while (columns.next()) {
                    actual.add(columns.getString(1) + " " + columns.getString(2));
                }
            }
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            expected.add(names.get(i) + " " + dataType(sqlTypes.get(i)));
        }
        if (!actual.isEmpty() && !actual.equals(expected)) {
            throw new IllegalStateException("table " + table + " exists with columns (" + String.join(", ", actual)
                    + "), but the result needs (" + String.join(", ", expected) + "): drop it or choose another table");
        }
    }
}
