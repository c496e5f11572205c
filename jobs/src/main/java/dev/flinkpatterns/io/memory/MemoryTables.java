package dev.flinkpatterns.io.memory;

import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.table.ConsoleTable;
import dev.flinkpatterns.table.ShownValues;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.config.ExecutionConfigOptions;
import org.apache.flink.table.types.DataType;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

/**
 * The memory tables of this JVM by query name, and SQL over them: Spark's {@code spark.sql("SELECT * FROM t")}.
 * A query sees every memory table as a view of its current rows.
 */
public final class MemoryTables {

    private static final Pattern SQL_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Map<String, MemoryTable> TABLES = new ConcurrentHashMap<>();

    private MemoryTables() {}

    /** A new, empty table under this name, replacing any earlier one. */
    public static MemoryTable create(String queryName, RowSchema schema) {
        requireSqlName(queryName);
        MemoryTable table = new MemoryTable(queryName, schema);
        TABLES.put(queryName, table);
        return table;
    }

    static MemoryTable getOrCreate(String queryName, RowSchema schema) {
        return TABLES.computeIfAbsent(queryName, name -> new MemoryTable(name, schema));
    }

    public static Optional<MemoryTable> get(String queryName) {
        return Optional.ofNullable(TABLES.get(queryName));
    }

    /** Refuses a query name SQL could not use unquoted, as Spark does. */
    public static String requireSqlName(String queryName) {
        if (queryName == null || !SQL_NAME.matcher(queryName).matches()) {
            throw new IllegalArgumentException("query name must be letters, digits and _ (not first a digit), got '"
                    + queryName + "'");
        }
        return queryName;
    }

    /**
     * Runs a query over the current rows of every memory table, in Flink's batch mode. Each view has the result's
     * column types (a count a BIGINT, a window bound a TIMESTAMP(3), ...), so that {@code ORDER BY count DESC} or
     * {@code SUM(count)} work; values print as the console prints them ({@link ShownValues}).
     */
    public static QueryResult sql(String query) throws Exception {
        // One task: memory tables are small. (Without ORDER BY, SQL still promises no row order.)
        Configuration oneTask = new Configuration();
        oneTask.set(CoreOptions.DEFAULT_PARALLELISM, 1);
        oneTask.set(ExecutionConfigOptions.TABLE_EXEC_RESOURCE_DEFAULT_PARALLELISM, 1);
        TableEnvironment tables = TableEnvironment.create(
                EnvironmentSettings.newInstance().inBatchMode().withConfiguration(oneTask).build());
        for (MemoryTable table : TABLES.values()) {
            tables.createTemporaryView(table.name(), view(tables, table.schema(), table.rows()));
        }
        TableResult result = tables.executeSql(query);
        List<String> columns = result.getResolvedSchema().getColumnNames();
        List<List<String>> rows = new ArrayList<>();
        try (CloseableIterator<Row> iterator = result.collect()) {
            while (iterator.hasNext()) {
                Row row = iterator.next();
                List<String> cells = new ArrayList<>(row.getArity());
                for (int i = 0; i < row.getArity(); i++) {
                    cells.add(ShownValues.show(row.getField(i)));
                }
                rows.add(cells);
            }
        }
        return new QueryResult(columns, rows);
    }

    private static Table view(TableEnvironment tables, RowSchema schema, List<List<String>> rows) {
        DataTypes.Field[] fields = new DataTypes.Field[schema.size()];
        for (int i = 0; i < schema.size(); i++) {
            fields[i] = DataTypes.FIELD(schema.column(i).name(), sqlType(schema.column(i).type()));
        }
        if (rows.isEmpty()) {
            // VALUES needs a row: one of nulls, filtered away, gives the empty table with its columns.
            return tables.fromValues(DataTypes.ROW(fields), Row.of(new Object[schema.size()]))
                    .limit(0);
        }
        List<Row> values = new ArrayList<>(rows.size());
        for (List<String> row : rows) {
            Object[] cells = new Object[row.size()];
            for (int i = 0; i < cells.length; i++) {
                cells[i] = valueOf(row.get(i), schema.column(i).type());
            }
            values.add(Row.of(cells));
        }
        return tables.fromValues(DataTypes.ROW(fields), values);
    }

    private static DataType sqlType(RowSchema.Type type) {
        return switch (type) {
            case STRING -> DataTypes.STRING();
            case INT -> DataTypes.INT();
            case LONG -> DataTypes.BIGINT();
            case DOUBLE -> DataTypes.DOUBLE();
            case BOOLEAN -> DataTypes.BOOLEAN();
            case TIMESTAMP -> DataTypes.TIMESTAMP(3);
            case DECIMAL -> DataTypes.DECIMAL(38, 18);
            case DATE -> DataTypes.DATE();
            case STRUCT, ARRAY -> DataTypes.STRING();
        };
    }

    /** A shown value back to its type (the shown forms are exact); {@code null} is SQL NULL. */
    private static Object valueOf(String cell, RowSchema.Type type) {
        if (cell == null || cell.equals("null")) {
            return null;
        }
        return switch (type) {
            case STRING -> cell;
            case INT -> Integer.parseInt(cell);
            case LONG -> Long.parseLong(cell);
            case DOUBLE -> Double.parseDouble(cell);
            case BOOLEAN -> Boolean.parseBoolean(cell);
            case TIMESTAMP -> LocalDateTime.parse(cell.replace(' ', 'T'));
            case DECIMAL -> new java.math.BigDecimal(cell);
            case DATE -> java.time.LocalDate.parse(cell);
            case STRUCT, ARRAY -> cell;
        };
    }

    /** The rows of a query, as text; {@link #show} prints them as Spark's {@code show()} does. */
    public record QueryResult(List<String> columns, List<List<String>> rows) {

        public String show(int numRows, int truncate) {
            return ConsoleTable.show(columns, rows, numRows, truncate);
        }

        public String show() {
            return show(ConsoleTable.DEFAULT_NUM_ROWS, ConsoleTable.DEFAULT_TRUNCATE);
        }
    }
}
