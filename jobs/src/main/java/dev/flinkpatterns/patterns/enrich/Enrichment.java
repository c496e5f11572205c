package dev.flinkpatterns.patterns.enrich;

import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.FileSources;
import dev.flinkpatterns.io.PostgresConnection;
import dev.flinkpatterns.io.ReaderOptions;
import dev.flinkpatterns.io.RowInput;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.io.SourceLine;
import dev.flinkpatterns.io.filetable.FileTable;
import dev.flinkpatterns.parse.ParseOrDeadLetter;
import dev.flinkpatterns.run.PatternOutputs;
import dev.flinkpatterns.sql.SqlEnvironments;
import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.table.ResultTable;
import dev.flinkpatterns.table.SortKeys;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
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

    /**
     * The user's own orders and catalog ({@code --format/--schema/--key}, {@code --catalog-format/-schema/-key}):
     * how each file is read and the column each joins on.
     */
    public record OwnData(ReaderOptions stream, String streamKey, ReaderOptions catalog, String catalogKey)
            implements Serializable {

        /** The project's orders and product catalog, as own data (the SQL variant's catalog table has these columns). */
        public static OwnData ordersWith(ReaderOptions stream, String streamKey) {
            return new OwnData(stream, streamKey, ReaderOptions.of(ReaderOptions.Format.CSV, CATALOG), KEY);
        }

        /**
         * Spark's {@code stream.join(catalog, key, "left")}: the stream's columns, then the catalog's without its key,
         * nullable; a catalog column named as a stream column is prefixed {@code catalog_} (sinks refuse duplicates).
         */
        public RowSchema resultSchema() {
            RowSchema orders = stream.rowSchema();
            List<RowSchema.Column> columns = new ArrayList<>(orders.columns());
            for (RowSchema.Column column : catalogColumns()) {
                String name = orders.indexOf(column.name()) >= 0 ? "catalog_" + column.name() : column.name();
                columns.add(column.withName(name).withNullable(true));
            }
            return new RowSchema(columns);
        }

        /** The catalog's columns the result carries: all but its key. */
        List<RowSchema.Column> catalogColumns() {
            return catalog.rowSchema().columns().stream().filter(column -> !column.name().equals(catalogKey)).toList();
        }
    }

    /**
     * DataStream over the user's own files (any format): each stream row (a null key makes it a dead letter) joined with the
     * catalog file's version there when it arrives, in the files' order. Dead letters: bad rows of both inputs.
     */
    public static PatternOutputs withFileTable(RowInput input, OwnData data, String catalogFile,
            Duration pollInterval, OutputMode mode, Trigger trigger) {
        var rows = input.positioned(List.of(data.streamKey()), null);
        FileTable catalog = FileTable.of("catalog", catalogFile, data.catalog(), data.catalogKey())
                .pollInterval(pollInterval)
                .bounded(trigger.isBounded());
        int key = data.stream().rowSchema().indexOf(data.streamKey());
        int streamSize = data.stream().rowSchema().size();
        int[] catalogIndexes = data.catalogColumns().stream()
                .mapToInt(column -> data.catalog().rowSchema().indexOf(column.name())).toArray();
        FileTable.Joined<Change> enriched = catalog.join(rows.records(),
                row -> RowSchema.text(row.getField(key)), FileTable.JoinType.LEFT,
                (row, match) -> {
                    List<Object> cells = new ArrayList<>(streamSize + catalogIndexes.length);
                    for (int i = 0; i < streamSize; i++) {
                        cells.add(row.getField(i));
                    }
                    for (int index : catalogIndexes) {
                        cells.add(match == null ? null : match.getField(index));
                    }
                    return new Change((String) row.getField(streamSize), cells);
                },
                TypeInformation.of(Change.class));
        return new PatternOutputs(new ResultTable(enriched.rows(), data.resultSchema(), mode, trigger),
                rows.deadLetters().union(enriched.deadLetters()));
    }

    /**
     * SQL over the user's own stream files (any format): each row (a null key makes it a dead letter) looked up in the catalog
     * table by its key column; rows in the files' order.
     */
    public static PatternOutputs withLookupJoin(RowInput input, OwnData data, CatalogLookup lookup,
            OutputMode mode, Trigger trigger) {
        var rows = input.positioned(List.of(data.streamKey()), null);
        List<String> streamColumns = new ArrayList<>(data.stream().rowSchema().names());
        streamColumns.add(FileSources.ORDER_KEY);
        int orderKey = data.stream().rowSchema().size();
        RowSchema result = data.resultSchema();
        DataStream<Change> enriched = lookupJoin(rows.records(), lookup, streamColumns, data.streamKey())
                .map(row -> { // the stream's columns, its order key, the catalog's columns
                    List<Object> cells = new ArrayList<>(result.size());
                    for (int i = 0; i <= result.size(); i++) {
                        if (i != orderKey) {
                            RowSchema.Column column = result.column(cells.size());
                            Object value = row.getField(i);
                            // a BigDecimal leaves SQL as DECIMAL(38, 18): its column's scale back
                            cells.add(column.type() == RowSchema.Type.DECIMAL && value != null
                                    ? ((BigDecimal) value).setScale(column.args().scale(), RoundingMode.HALF_UP) : value);
                        }
                    }
                    return new Change((String) row.getField(orderKey), cells);
                }, TypeInformation.of(Change.class))
                .name("SQL rows as table rows")
                .uid("sql-results");
        return new PatternOutputs(new ResultTable(enriched, data.resultSchema(), mode, trigger), rows.deadLetters());
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
        return sqlText(ORDERS.names(), KEY);
    }

    /**
     * The lookup join of the orders view with {@code orderColumns} on {@code orderKey}: its select list is the
     * order's columns, then the catalog's (a catalog column named as an order column comes with its
     * {@link OwnData#resultSchema()} name); a column that is not a plain lower-case name is quoted.
     */
    public static String sqlText(List<String> orderColumns, String orderKey) {
        List<String> catalogColumns = new ArrayList<>();
        for (String column : CATALOG.names()) {
            if (!column.equals(KEY)) {
                catalogColumns.add("c." + column + (orderColumns.contains(column) ? " AS catalog_" + column : ""));
            }
        }
        return "SELECT " + String.join(", ",
                        orderColumns.stream().map(column -> "o." + SqlEnvironments.identifier(column)).toList())
                + ",\n       " + String.join(", ", catalogColumns) + "\n"
                + "FROM " + ORDERS_VIEW + " AS o\n"
                + "LEFT JOIN " + CATALOG_TABLE + " FOR SYSTEM_TIME AS OF o.proc_time AS c\n"
                + "  ON o." + SqlEnvironments.identifier(orderKey) + " = c." + KEY;
    }

    /** SQL: the orders as a view with a processing-time column, looked up in PostgreSQL through the cache. */
    public static PatternOutputs withLookupJoin(DataStream<SourceLine> orderLines, CatalogLookup lookup, OutputMode mode,
            Trigger trigger) {
        var orders = orders(orderLines);
        DataStream<Change> enriched = lookupJoin(orders.records(), lookup, ORDERS.names(), KEY)
                .map(Enrichment::fromSqlRow)
                .returns(TypeInformation.of(Change.class))
                .name("SQL rows as table rows")
                .uid("sql-results");
        return new PatternOutputs(new ResultTable(enriched, RESULT_SCHEMA, mode, trigger), orders.deadLetters());
    }

    /** The rows as the view {@value #ORDERS_VIEW} with a processing-time column, looked up in the catalog table. */
    private static DataStream<Row> lookupJoin(DataStream<Row> rows, CatalogLookup lookup, List<String> columns,
            String key) {
        StreamTableEnvironment tables = SqlEnvironments.on(rows.getExecutionEnvironment());
        tables.createTemporaryView(ORDERS_VIEW, tables.fromDataStream(rows, Schema.newBuilder()
                .columnByExpression("proc_time", "PROCTIME()")
                .build()));
        tables.executeSql(catalogTableDdl(lookup));
        return tables.toDataStream(tables.sqlQuery(sqlText(columns, key)));
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
