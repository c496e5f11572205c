package dev.flinkpatterns.sql;

import static org.apache.flink.table.api.Expressions.$;

import dev.flinkpatterns.io.RowSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.expressions.Expression;
import org.apache.flink.types.Row;

/** The one way a pattern gets a SQL environment: on the pattern's own stream environment, in streaming mode, UTC. */
public final class SqlEnvironments {

    private SqlEnvironments() {}

    public static StreamTableEnvironment on(StreamExecutionEnvironment env) {
        StreamTableEnvironment tables = StreamTableEnvironment.create(
                env, EnvironmentSettings.newInstance().inStreamingMode().build());
        // Event times in the data are local date-times read as UTC; show them the same way.
        tables.getConfig().setLocalTimeZone(java.time.ZoneOffset.UTC);
        return tables;
    }

    /**
     * Typed rows of {@code schema} (as {@link RowSchema#rowType()} carries them) as a table with the schema's column
     * types. A DECIMAL column is cast to its precision and scale: a BigDecimal field enters SQL as DECIMAL(38, 18),
     * which results (and files written from them) would keep.
     */
    public static Table typedView(StreamTableEnvironment tables, DataStream<Row> rows, RowSchema schema) {
        Table view = tables.fromDataStream(rows);
        if (schema.columns().stream().noneMatch(column -> column.type() == RowSchema.Type.DECIMAL)) {
            return view;
        }
        return view.select(schema.columns().stream().map(column -> column.type() == RowSchema.Type.DECIMAL
                ? $(column.name()).cast(DataTypes.DECIMAL(column.args().precision(), column.args().scale()))
                        .as(column.name())
                : $(column.name())).toArray(Expression[]::new));
    }

    /**
     * As above, with {@code eventTime} (a TIMESTAMP column of the schema, or null) as the view's rowtime: TIMESTAMP(3)
     * with the watermark of the stream ({@code SOURCE_WATERMARK()}), so window functions and interval joins take it.
     */
    public static Table typedView(StreamTableEnvironment tables, DataStream<Row> rows, RowSchema schema, String eventTime) {
        return typedView(tables, rows, schema, eventTime, null);
    }

    /**
     * As above, and with {@code procTime} (or null) a further column, the processing-time attribute
     * {@code PROCTIME()}: what a query orders by to mean "in the order the rows arrive" (deduplication's first row).
     */
    public static Table typedView(StreamTableEnvironment tables, DataStream<Row> rows, RowSchema schema, String eventTime,
            String procTime) {
        if (eventTime == null && procTime == null) {
            return typedView(tables, rows, schema);
        }
        Schema.Builder columns = Schema.newBuilder();
        // The types Flink derives from the rows, except the rowtime's precision and the decimals' own.
        tables.fromDataStream(rows).getResolvedSchema().getColumns().forEach(column -> {
            RowSchema.Column typed = schema.column(schema.indexOf(column.getName()));
            columns.column(column.getName(), column.getName().equals(eventTime) ? DataTypes.TIMESTAMP(3)
                    : typed.type() == RowSchema.Type.DECIMAL
                            ? DataTypes.DECIMAL(typed.args().precision(), typed.args().scale())
                            : column.getDataType());
        });
        if (eventTime != null) {
            columns.watermark(eventTime, "SOURCE_WATERMARK()");
        }
        if (procTime != null) {
            columns.columnByExpression(procTime, "PROCTIME()");
        }
        return tables.fromDataStream(rows, columns.build());
    }

    /** A column in Flink SQL: plain names as they are, others (and Flink's reserved words) in backquotes. */
    public static String identifier(String column) {
        return column.matches("[a-z][a-z0-9_]*") && !SQL_RESERVED.contains(column) ? column
                : "`" + column.replace("`", "``") + "`";
    }

    /** Reserved words of Flink SQL that are likely column names. */
    private static final java.util.Set<String> SQL_RESERVED = java.util.Set.of("timestamp", "time", "date", "user",
            "value", "values", "year", "month", "day", "hour", "minute", "second", "order", "group", "table", "from",
            "select", "where", "count", "position", "interval", "key", "result", "current", "end", "start", "system",
            "rows", "row", "range", "window", "language", "level", "local", "min", "max", "sum", "avg", "filter");
}
