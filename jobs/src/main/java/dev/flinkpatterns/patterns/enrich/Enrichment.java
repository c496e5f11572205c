package dev.flinkpatterns.patterns.enrich;

import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.FileSources;
import dev.flinkpatterns.io.PostgresConnection;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.io.SourceLine;
import dev.flinkpatterns.io.filetable.FileTable;
import dev.flinkpatterns.parse.ParseOrDeadLetter;
import dev.flinkpatterns.run.PatternOutputs;
import dev.flinkpatterns.sql.SqlEnvironments;
import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.table.ResultTable;
import dev.flinkpatterns.table.SortKeys;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;

/**
 * {@code enrich}: the workshop's stream-static join, {@code orders.join(spark.table("product_catalog"), "product_id",
 * "left")}: every order with its product's name, category and price, nulls when the catalog has no such product.
 * Two ways: {@link #withFileTable} broadcasts the catalog file to the join and switches to each new version of the
 * file from then on; {@link #withLookupJoin} looks each product up in a PostgreSQL table (Flink SQL's lookup join)
 * through a cache whose entries expire after a TTL. See docs/enrich.md.
 */
public final class Enrichment {

    public static final RowSchema ORDERS = RowSchema.of(
            RowSchema.Column.required("order_time", RowSchema.Type.TIMESTAMP),
            RowSchema.Column.required("order_id", RowSchema.Type.STRING),
            RowSchema.Column.required("user_id", RowSchema.Type.INT),
            RowSchema.Column.required("product_id", RowSchema.Type.STRING),
            RowSchema.Column.required("quantity", RowSchema.Type.INT),
            RowSchema.Column.required("amount", RowSchema.Type.DOUBLE));

    public static final RowSchema CATALOG = RowSchema.of(
            RowSchema.Column.required("product_id", RowSchema.Type.STRING),
            RowSchema.Column.nullable("product_name", RowSchema.Type.STRING),
            RowSchema.Column.nullable("category", RowSchema.Type.STRING),
            RowSchema.Column.nullable("price", RowSchema.Type.DOUBLE));

    public static final String KEY = "product_id";

    /** The order's columns, then the catalog's (without its key), nullable as a left join makes them. */
    public static final RowSchema RESULT_SCHEMA = new RowSchema(Stream.concat(ORDERS.columns().stream(),
            CATALOG.columns().stream().filter(column -> !column.name().equals(KEY))
                    .map(column -> RowSchema.Column.nullable(column.name(), column.type()))).toList());
    public static final List<String> COLUMNS = RESULT_SCHEMA.names();

    /** The name of the orders view and of the catalog table in the SQL variant. */
    public static final String ORDERS_VIEW = "orders";
    public static final String CATALOG_TABLE = "product_catalog";

    private static final int ORDER_TIME = ORDERS.indexOf("order_time");
    private static final int ORDER_ID = ORDERS.indexOf("order_id");
    private static final int PRODUCT_ID = ORDERS.indexOf(KEY);

    private Enrichment() {}

    /** The orders of the lines: rows, and dead letters for malformed lines. */
    public static ParseOrDeadLetter.Parsed<Row> orders(DataStream<SourceLine> lines) {
        return FileSources.csvRows(lines, ORDERS);
    }

    /**
     * DataStream: the catalog file's versions in broadcast state, each order joined with the version there when it
     * arrives (orders read before the first version wait for it). Dead letters: bad order lines and bad catalog lines.
     */
    public static PatternOutputs withFileTable(DataStream<SourceLine> orderLines, String catalogFile,
            Duration pollInterval, OutputMode mode, Trigger trigger) {
        var orders = orders(orderLines);
        FileTable catalog = FileTable.csv("catalog", catalogFile, CATALOG, KEY)
                .pollInterval(pollInterval)
                .bounded(trigger.isBounded());
        FileTable.Joined<Change> enriched = catalog.join(orders.records(),
                order -> (String) order.getField(PRODUCT_ID), FileTable.JoinType.LEFT,
                (order, product) -> product == null ? toChange(order, null, null, null)
                        : toChange(order, (String) product.getField(1), (String) product.getField(2),
                                (Double) product.getField(3)),
                TypeInformation.of(Change.class));
        return new PatternOutputs(new ResultTable(enriched.rows(), RESULT_SCHEMA, mode, trigger),
                orders.deadLetters().union(enriched.deadLetters()));
    }

    /** The catalog in PostgreSQL for the lookup join: its table there and how long a looked-up row is cached. */
    public record CatalogLookup(PostgresConnection database, String table, Duration cacheTtl) {}

    /** The Flink table over the PostgreSQL catalog table: the JDBC connector with a partial lookup cache. */
    public static String catalogTableDdl(CatalogLookup lookup) {
        PostgresConnection database = lookup.database();
        StringBuilder ddl = new StringBuilder("CREATE TEMPORARY TABLE " + CATALOG_TABLE + " (\n"
                + "  product_id STRING,\n"
                + "  product_name STRING,\n"
                + "  category STRING,\n"
                + "  price DOUBLE,\n"
                + "  PRIMARY KEY (product_id) NOT ENFORCED\n"
                + ") WITH (\n"
                + "  'connector' = 'jdbc',\n"
                + "  'url' = " + literal(database.jdbcUrl()) + ",\n"
                + "  'table-name' = " + literal(lookup.table()) + ",\n");
        if (database.user() != null) {
            ddl.append("  'username' = ").append(literal(database.user())).append(",\n")
                    .append("  'password' = ").append(literal(database.password() == null ? "" : database.password()))
                    .append(",\n");
        }
        return ddl.append("  'lookup.cache' = 'PARTIAL',\n")
                .append("  'lookup.partial-cache.expire-after-write' = '").append(lookup.cacheTtl().toMillis()).append(" ms',\n")
                .append("  'lookup.partial-cache.max-rows' = '10000',\n")
                .append("  'lookup.partial-cache.cache-missing-key' = 'true',\n")
                .append("  'lookup.max-retries' = '3'\n")
                .append(")").toString();
    }

    /** The lookup join: each order meets the catalog row as of its processing time. */
    public static String sqlText() {
        return "SELECT o.order_time, o.order_id, o.user_id, o.product_id, o.quantity, o.amount,\n"
                + "       c.product_name, c.category, c.price\n"
                + "FROM " + ORDERS_VIEW + " AS o\n"
                + "LEFT JOIN " + CATALOG_TABLE + " FOR SYSTEM_TIME AS OF o.proc_time AS c\n"
                + "  ON o.product_id = c.product_id";
    }

    /** SQL: the orders as a view with a processing-time column, looked up in PostgreSQL through the cache. */
    public static PatternOutputs withLookupJoin(DataStream<SourceLine> orderLines, CatalogLookup lookup, OutputMode mode,
            Trigger trigger) {
        var orders = orders(orderLines);
        StreamTableEnvironment tables = SqlEnvironments.on(orderLines.getExecutionEnvironment());
        tables.createTemporaryView(ORDERS_VIEW, tables.fromDataStream(orders.records(), Schema.newBuilder()
                .columnByExpression("proc_time", "PROCTIME()")
                .build()));
        tables.executeSql(catalogTableDdl(lookup));
        DataStream<Change> enriched = tables.toDataStream(tables.sqlQuery(sqlText()))
                .map(Enrichment::fromSqlRow)
                .returns(TypeInformation.of(Change.class))
                .name("SQL rows as table rows")
                .uid("sql-results");
        return new PatternOutputs(new ResultTable(enriched, RESULT_SCHEMA, mode, trigger), orders.deadLetters());
    }

    private static Change fromSqlRow(Row row) {
        Row order = new Row(ORDERS.size());
        for (int i = 0; i < ORDERS.size(); i++) {
            order.setField(i, row.getField(i));
        }
        int product = ORDERS.size();
        return toChange(order, (String) row.getField(product), (String) row.getField(product + 1),
                (Double) row.getField(product + 2));
    }

    /**
     * One result row, whichever API joined it; ordered by order time, then order id. The key is also the row's
     * primary key with {@code --sink postgres}, so it holds no character PostgreSQL's text refuses (NUL).
     */
    static Change toChange(Row order, String productName, String category, Double price) {
        List<Object> cells = new ArrayList<>(COLUMNS.size());
        for (int i = 0; i < ORDERS.size(); i++) {
            cells.add(order.getField(i));
        }
        cells.add(productName);
        cells.add(category);
        cells.add(price);
        long orderTime = RowSchema.millis((LocalDateTime) order.getField(ORDER_TIME));
        return new Change(SortKeys.zeroPadded(orderTime, 20) + ' ' + order.getField(ORDER_ID), cells);
    }

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
