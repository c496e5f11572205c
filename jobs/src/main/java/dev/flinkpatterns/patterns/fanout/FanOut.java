package dev.flinkpatterns.patterns.fanout;

import dev.flinkpatterns.core.Api;
import dev.flinkpatterns.io.FileFormat;
import dev.flinkpatterns.io.FileSources;
import dev.flinkpatterns.io.RowInput;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.io.RowSchema.Column;
import dev.flinkpatterns.io.Sinks;
import dev.flinkpatterns.io.SourceLine;
import dev.flinkpatterns.parse.ParseOrDeadLetter;
import dev.flinkpatterns.run.PatternOutputs;
import dev.flinkpatterns.sql.SqlEnvironments;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.table.api.bridge.java.StreamStatementSet;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * {@code fan-out}: the workshop's "multiple output streams from one source". The source is read and parsed once;
 * each route's filter picks its rows, which go to the route's own file sink (exactly once). A row lands in every
 * route whose filter it passes, so routes may overlap. In the DataStream API one operator sends each row to the side
 * output of every route it passes; in SQL one statement set holds an {@code INSERT INTO} per route, planned as one
 * job that reads the source once.
 */
public final class FanOut {

    /** The tutorial's event files. */
    public static final RowSchema EVENTS = RowSchema.of(
            Column.required("timestamp", RowSchema.Type.TIMESTAMP),
            Column.required("user_id", RowSchema.Type.INT),
            Column.required("event", RowSchema.Type.STRING));

    /** The workshop's table_a / table_b, over the event files, plus one more route. */
    public static final List<String> DEFAULT_ROUTES =
            List.of("purchases:parquet:event=purchase", "views:json:event=view", "sessions:csv:event=login|logout");

    /** The view the SQL statements read. */
    public static final String VIEW = "events";

    /** Metric: rows that passed no route's filter. */
    public static final String UNROUTED_ROWS = "numUnroutedRows";

    private FanOut() {}

    /** Parses the lines once (bad lines to dead letters) and writes each route's rows under {@code outputDir}/route. */
    public static PatternOutputs fanOut(DataStream<SourceLine> lines, RowSchema schema, List<Route> routes,
            String outputDir, Api api) {
        return fanOut(FileSources.csvRows(lines, schema), schema, routes, outputDir, api);
    }

    /** As above over the user's own files in any format (Spark's format, schema and options). */
    public static PatternOutputs fanOut(RowInput input, List<Route> routes, String outputDir, Api api) {
        return fanOut(input.rows(List.of(), null), input.schema(), routes, outputDir, api);
    }

    private static PatternOutputs fanOut(ParseOrDeadLetter.Parsed<Row> parsed, RowSchema schema, List<Route> routes,
            String outputDir, Api api) {
        if (api == Api.SQL) {
            sql(parsed.records(), schema, routes, outputDir);
        } else {
            dataStream(parsed.records(), schema, routes, outputDir);
        }
        return PatternOutputs.ownSinks(routes.stream().map(route -> directory(outputDir, route)).toList(),
                parsed.deadLetters(), null);
    }

    public static String directory(String outputDir, Route route) {
        return outputDir + "/" + route.name();
    }

    static void dataStream(DataStream<Row> rows, RowSchema schema, List<Route> routes, String outputDir) {
        List<OutputTag<Row>> tags = new ArrayList<>();
        for (Route route : routes) {
            tags.add(new OutputTag<>("route-" + route.name(), schema.rowType()));
        }
        SingleOutputStreamOperator<Row> routed = rows.process(new RouteRows(schema, routes, tags), schema.rowType())
                .name("route rows: " + routes.stream().map(Route::toString).collect(Collectors.joining(", ")))
                .uid("route-rows");
        for (int i = 0; i < routes.size(); i++) {
            Route route = routes.get(i);
            routed.getSideOutput(tags.get(i))
                    .sinkTo(Sinks.files(route.format(), directory(outputDir, route), schema, null))
                    .name(route.name() + " (" + route.format().cliName() + " files)")
                    .uid("route-" + route.name());
        }
    }

    /** Sends each row to the side output of every route whose filter it passes; emits nothing on its main output. */
    static final class RouteRows extends ProcessFunction<Row, Row> {
        private final RowSchema schema;
        private final List<Route> routes;
        private final List<OutputTag<Row>> tags;
        private transient Counter unrouted;

        RouteRows(RowSchema schema, List<Route> routes, List<OutputTag<Row>> tags) {
            this.schema = schema;
            this.routes = List.copyOf(routes);
            this.tags = List.copyOf(tags);
        }

        @Override
        public void open(OpenContext openContext) {
            unrouted = getRuntimeContext().getMetricGroup().counter(UNROUTED_ROWS);
        }

        @Override
        public void processElement(Row row, Context context, Collector<Row> out) {
            boolean routedSomewhere = false;
            for (int i = 0; i < routes.size(); i++) {
                if (routes.get(i).filter().passes(row, schema)) {
                    context.output(tags.get(i), row);
                    routedSomewhere = true;
                }
            }
            if (!routedSomewhere) {
                unrouted.inc();
            }
        }
    }

    static void sql(DataStream<Row> rows, RowSchema schema, List<Route> routes, String outputDir) {
        StreamTableEnvironment tables = SqlEnvironments.on(rows.getExecutionEnvironment());
        tables.createTemporaryView(VIEW, SqlEnvironments.typedView(tables, rows, schema));
        ResolvedSchema columns = tables.from(VIEW).getResolvedSchema();
        StreamStatementSet statements = tables.createStatementSet();
        for (Route route : routes) {
            tables.executeSql(createTableSql(route, columns, directory(outputDir, route)));
            statements.addInsertSql(insertSql(route, schema));
        }
        // The INSERTs join the DataStream part (the file source, the dead letters) in one job.
        statements.attachAsDataStream();
    }

    /** A route's table: the filesystem connector, which commits its part files on checkpoints (exactly once). */
    public static String createTableSql(Route route, ResolvedSchema columns, String directory) {
        String columnList = columns.getColumns().stream()
                .map(column -> "  `" + column.getName() + "` " + column.getDataType().getLogicalType().asSummaryString())
                .collect(Collectors.joining(",\n"));
        String format = route.format().name().toLowerCase(Locale.ROOT);
        String formatOptions = route.format() == FileFormat.PARQUET
                // Timestamps as INT64 milliseconds, as the DataStream variant's Parquet files have them.
                ? ",\n  'parquet.write.int64.timestamp' = 'true',\n  'parquet.timestamp.time.unit' = 'millis'"
                // A DECIMAL as written (90.00), not in scientific notation (9E+1).
                : route.format() == FileFormat.JSON ? ",\n  'json.encode.decimal-as-plain-number' = 'true'"
                : "";
        return "CREATE TEMPORARY TABLE `" + route.name() + "` (\n" + columnList + "\n) WITH (\n"
                + "  'connector' = 'filesystem',\n  'path' = '" + directory.replace("'", "''") + "',\n"
                + "  'format' = '" + format + "'" + formatOptions + "\n)";
    }

    public static String insertSql(Route route, RowSchema schema) {
        return "INSERT INTO `" + route.name() + "` SELECT * FROM " + VIEW + " WHERE " + route.filter().sql(schema);
    }
}
