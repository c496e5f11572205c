package dev.flinkpatterns.io.memory;

import dev.flinkpatterns.table.ConsoleTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.config.ExecutionConfigOptions;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
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
    public static MemoryTable create(String queryName, List<String> columns) {
        requireSqlName(queryName);
        MemoryTable table = new MemoryTable(queryName, columns);
        TABLES.put(queryName, table);
        return table;
    }

    static MemoryTable getOrCreate(String queryName, List<String> columns) {
        return TABLES.computeIfAbsent(queryName, name -> new MemoryTable(name, columns));
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
     * Runs a query over the current rows of every memory table, in Flink's batch mode. A column whose values are all
     * whole numbers is a BIGINT, all numbers a DOUBLE, otherwise a STRING (the cells are text, as the console shows
     * them), so that {@code ORDER BY count DESC} or {@code SUM(count)} work; the text {@code null} is SQL NULL.
     */
    public static QueryResult sql(String query) throws Exception {
        // One task: memory tables are small. (Without ORDER BY, SQL still promises no row order.)
        Configuration oneTask = new Configuration();
        oneTask.set(CoreOptions.DEFAULT_PARALLELISM, 1);
        oneTask.set(ExecutionConfigOptions.TABLE_EXEC_RESOURCE_DEFAULT_PARALLELISM, 1);
        TableEnvironment tables = TableEnvironment.create(
                EnvironmentSettings.newInstance().inBatchMode().withConfiguration(oneTask).build());
        for (MemoryTable table : TABLES.values()) {
            tables.createTemporaryView(table.name(), view(tables, table.columns(), table.rows()));
        }
        TableResult result = tables.executeSql(query);
        List<String> columns = result.getResolvedSchema().getColumnNames();
        List<List<String>> rows = new ArrayList<>();
        try (CloseableIterator<Row> iterator = result.collect()) {
            while (iterator.hasNext()) {
                Row row = iterator.next();
                List<String> cells = new ArrayList<>(row.getArity());
                for (int i = 0; i < row.getArity(); i++) {
                    cells.add(String.valueOf(row.getField(i)));
                }
                rows.add(cells);
            }
        }
        return new QueryResult(columns, rows);
    }

    private static Table view(TableEnvironment tables, List<String> columns, List<List<String>> rows) {
        DataType[] types = new DataType[columns.size()];
        DataTypes.Field[] fields = new DataTypes.Field[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            types[i] = typeOf(rows, i);
            fields[i] = DataTypes.FIELD(columns.get(i), types[i]);
        }
        if (rows.isEmpty()) {
            // VALUES needs a row: one of nulls, filtered away, gives the empty table with its columns.
            return tables.fromValues(DataTypes.ROW(fields), Row.of(new Object[columns.size()]))
                    .limit(0);
        }
        List<Row> values = new ArrayList<>(rows.size());
        for (List<String> row : rows) {
            Object[] cells = new Object[row.size()];
            for (int i = 0; i < cells.length; i++) {
                cells[i] = valueOf(row.get(i), types[i]);
            }
            values.add(Row.of(cells));
        }
        return tables.fromValues(DataTypes.ROW(fields), values);
    }

    private static DataType typeOf(List<List<String>> rows, int column) {
        boolean allLong = true;
        boolean allDouble = true;
        for (List<String> row : rows) {
            String cell = row.get(column);
            if (cell == null || cell.equals("null")) {
                continue;
            }
            allLong &= isLong(cell);
            allDouble &= isDouble(cell);
        }
        return allLong ? DataTypes.BIGINT() : allDouble ? DataTypes.DOUBLE() : DataTypes.STRING();
    }

    private static Object valueOf(String cell, DataType type) {
        if (cell == null || cell.equals("null")) {
            return null;
        }
        if (type.equals(DataTypes.BIGINT())) {
            return Long.parseLong(cell);
        }
        if (type.equals(DataTypes.DOUBLE())) {
            return Double.parseDouble(cell);
        }
        return cell;
    }

    private static boolean isLong(String cell) {
        try {
            Long.parseLong(cell);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean isDouble(String cell) {
        try {
            Double.parseDouble(cell);
            // NaN and Infinity parse, but are words in a table, not numbers to sum
            return !cell.chars().anyMatch(Character::isLetter);
        } catch (NumberFormatException e) {
            return false;
        }
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
