package dev.flinkpatterns.patterns.windows;

import dev.flinkpatterns.core.Api;
import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.DeadLetter;
import dev.flinkpatterns.io.RowInput;
import dev.flinkpatterns.io.SourceLine;
import dev.flinkpatterns.parse.ParseOrDeadLetter;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.parse.Timestamps;
import dev.flinkpatterns.run.PatternOutputs;
import dev.flinkpatterns.sql.SqlEnvironments;
import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.table.KeyCells;
import dev.flinkpatterns.table.ResultTable;
import dev.flinkpatterns.table.SortKeys;
import dev.flinkpatterns.table.ResultTables;
import dev.flinkpatterns.time.EventTime;
import dev.flinkpatterns.time.LateRows;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.WindowedStream;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.Collector;

/**
 * {@code window-agg}: Spark's {@code withWatermark(...).groupBy(window(...), keys).agg(...)} in the DataStream
 * API and in SQL (window table functions). Both read the same stream after the same late-row split, so they drop
 * and count the same late rows and give the same windows; one difference remains, for sliding windows: a row late
 * for some of its windows only may still be counted by SQL in a window DataStream already closed (the SQL window
 * operator sits behind one more shuffle and sees the watermark a little later). See docs/window-agg.md.
 */
public final class WindowAggregation {

    /** The view the SQL variant queries. */
    public static final String VIEW = "measurements";

    /**
     * Complete mode's allowed lateness: a window and its state outlive any watermark a real event time can bring
     * (half of Long.MAX_VALUE, as Flink adds it to timestamps unchecked).
     */
    static final Duration KEEP_FOREVER = Duration.ofMillis(Long.MAX_VALUE / 2);

    private WindowAggregation() {}

    /** From lines of a preset dataset ({@code --source}): parse (bad lines to dead letters), then {@link #aggregate}. */
    public static <T> PatternOutputs fromLines(DataStream<SourceLine> lines, Dataset<T> dataset, WindowQuery query,
            Api api, OutputMode mode, Trigger trigger) {
        var parsed = ParseOrDeadLetter.parse(lines, dataset.parser(), dataset.type());
        return fromRecords(parsed.records(), dataset, query, api, mode, trigger, parsed.deadLetters());
    }

    /**
     * From the user's rows in any format ({@link Datasets#ofSchema}), timed by the TIMESTAMP column {@code eventTime}
     * (null without windows): a row with a null in the event time or in an aggregated column is a dead letter (Spark
     * would skip such nulls; here they are not lost silently).
     */
    public static PatternOutputs fromInput(RowInput input, String eventTime, WindowQuery query, Api api,
            OutputMode mode, Trigger trigger) {
        List<String> required = new ArrayList<>(query.inputs());
        if (eventTime != null) {
            required.add(eventTime);
        }
        var parsed = input.rows(required, null);
        return fromRecords(parsed.records(), Datasets.ofSchema(input.reader(), eventTime), query, api, mode, trigger,
                parsed.deadLetters());
    }

    /** From records already typed (the rate source), or parsed. */
    public static <T> PatternOutputs fromRecords(DataStream<T> records, Dataset<T> dataset, WindowQuery query, Api api,
            OutputMode mode, Trigger trigger, DataStream<DeadLetter> deadLetters) {
        DataStream<Measurement> measurements = records.map(dataset.measurements(query))
                .returns(TypeInformation.of(Measurement.class))
                .setParallelism(records.getParallelism())
                .name("select " + String.join(", ", query.columns()))
                .uid("measurements");
        return aggregate(measurements, query, api, mode, trigger, deadLetters);
    }

    /** The aggregation proper: event time, late split, windows, result table. */
    public static PatternOutputs aggregate(DataStream<Measurement> measurements, WindowQuery query, Api api,
            OutputMode mode, Trigger trigger, DataStream<DeadLetter> deadLetters) {
        if (!query.isWindowed()) {
            return new PatternOutputs(new ResultTable(runningAggregate(measurements, query), query.schema(), mode, trigger),
                    deadLetters, null);
        }
        DataStream<Measurement> timed = EventTime.assign(measurements, (row, previous) -> row.eventTime(), query.watermark());
        if (mode == OutputMode.COMPLETE) {
            // Spark's complete mode keeps every window for good, so no row is ever late: nothing is split off.
            DataStream<Change> changes = EventTime.afterState(
                    api == Api.SQL ? sql(timed, query, mode) : dataStream(timed, query, mode, trigger), query.watermark());
            return new PatternOutputs(new ResultTable(changes, query.schema(), mode, trigger), deadLetters, null);
        }
        LateRows.Split<Measurement> split = LateRows.split(
                timed, query.window().lateness(), query.watermark(), query::describe);
        DataStream<Change> changes = EventTime.afterState(
                api == Api.SQL ? sql(split.onTime(), query, mode) : dataStream(split.onTime(), query, mode, trigger),
                query.watermark());
        return new PatternOutputs(new ResultTable(changes, query.schema(), mode, trigger), deadLetters, split.late());
    }

    static DataStream<Change> dataStream(DataStream<Measurement> rows, WindowQuery query, OutputMode mode, Trigger trigger) {
        WindowedStream<WindowPartials.Partial, String, TimeWindow> windows = WindowPartials.of(rows, query, trigger)
                .keyBy(WindowPartials.Partial::key, Types.STRING)
                .window(query.window().assigner());
        Duration lateness = mode == OutputMode.COMPLETE ? KEEP_FOREVER : query.watermark().allowedLateness();
        if (!lateness.isZero()) {
            windows = windows.allowedLateness(lateness);
        }
        if (mode != OutputMode.APPEND) {
            windows = windows.trigger(new FireOnEveryRow());
        }
        boolean retractMerged = mode != OutputMode.APPEND && query.window().kind() == WindowSpec.Kind.SESSION;
        return windows.aggregate(new WindowPartials.MergePartials(query), new WindowRows(query, retractMerged),
                        TypeInformation.of(WindowAccumulator.class), TypeInformation.of(WindowAccumulator.class),
                        TypeInformation.of(Change.class))
                .name(query.window() + " window by " + String.join(", ", query.keys()))
                .uid("windows");
    }

    /**
     * Spark's {@code groupBy(keys).agg(...)} without a window: one running aggregate per key, shown anew after each
     * of its rows (update and complete mode; no row is ever final, so no watermark and no append).
     */
    static DataStream<Change> runningAggregate(DataStream<Measurement> rows, WindowQuery query) {
        return WindowPartials.of(rows, query, Trigger.DEFAULT)
                .keyBy(WindowPartials.Partial::key, Types.STRING)
                .process(new RunningRows(query))
                .returns(TypeInformation.of(Change.class))
                .name("running aggregate by " + String.join(", ", query.keys()))
                .uid("running-aggregate");
    }

    /** A key's accumulator in state, merged with each partial and shown as a result row. */
    private static final class RunningRows extends KeyedProcessFunction<String, WindowPartials.Partial, Change> {
        private final WindowQuery query;
        private transient ValueState<WindowAccumulator> state;

        RunningRows(WindowQuery query) {
            this.query = query;
        }

        @Override
        public void open(OpenContext context) {
            state = getRuntimeContext().getState(
                    new ValueStateDescriptor<>("aggregate", TypeInformation.of(WindowAccumulator.class)));
        }

        @Override
        public void processElement(WindowPartials.Partial partial, Context context, Collector<Change> out) throws Exception {
            WindowAccumulator.Aggregate aggregate = new WindowAccumulator.Aggregate(query);
            WindowAccumulator acc = state.value();
            acc = aggregate.merge(acc == null ? aggregate.createAccumulator() : acc, partial.accumulator());
            state.update(acc);
            out.collect(toChange(query, 0, 0, partial.key(), acc));
        }
    }

    /** The window's aggregate as a result row; in update and complete mode a merged session replaces its parts. */
    private static final class WindowRows extends ProcessWindowFunction<WindowAccumulator, Change, String, TimeWindow> {
        private final WindowQuery query;
        private final boolean retractMerged;

        WindowRows(WindowQuery query, boolean retractMerged) {
            this.query = query;
            this.retractMerged = retractMerged;
        }

        @Override
        public void process(String key, Context context, Iterable<WindowAccumulator> aggregates, Collector<Change> out)
                throws Exception {
            TimeWindow window = context.window();
            if (retractMerged) {
                MapState<Long, Long> shown = shownSessions(context);
                List<Long> merged = new ArrayList<>();
                for (Map.Entry<Long, Long> session : shown.entries()) {
                    long start = session.getKey();
                    if (start != window.getStart() && start >= window.getStart() && session.getValue() <= window.getEnd()) {
                        merged.add(start);
                    }
                }
                for (long start : merged) {
                    shown.remove(start);
                    out.collect(Change.delete(rowKey(start, key)));
                }
                shown.put(window.getStart(), window.getEnd());
            }
            WindowAccumulator acc = aggregates.iterator().next();
            out.collect(toChange(query, window.getStart(), window.getEnd(), key, acc));
        }

        @Override
        public void clear(Context context) throws Exception {
            if (retractMerged) {
                shownSessions(context).remove(context.window().getStart());
            }
        }

        private static MapState<Long, Long> shownSessions(Context context) {
            return context.globalState().getMapState(new MapStateDescriptor<>("shown-sessions", Types.LONG, Types.LONG));
        }
    }

    /**
     * Why the SQL variant cannot run {@code window} in {@code mode}, or null: it emits a window once when the watermark
     * closes it (append) or after each of its rows for good (complete), and Flink SQL's session windows take no emit
     * strategy.
     */
    public static String sqlRefusal(WindowSpec window, OutputMode mode) {
        if (mode == OutputMode.UPDATE) {
            return "--api sql emits each window once, when the watermark closes it (append), or after each of its rows "
                    + "for good (complete); for --output-mode update use --api datastream";
        }
        if (mode == OutputMode.COMPLETE && window.kind() == WindowSpec.Kind.SESSION) {
            return "--api sql: Flink SQL's session windows take no emit strategy, so they cannot show a session before "
                    + "it closes nor keep it for late rows (complete mode); use --api datastream";
        }
        return null;
    }

    /** The SQL the variant runs in append mode, as a user would write it. */
    public static String sqlText(WindowQuery query) {
        return sqlText(query, OutputMode.APPEND);
    }

    /**
     * The SQL the variant runs, as a user would write it: a window table function, or in complete mode a group window
     * (the syntax Flink's emit strategy applies to, see {@link #keepEveryWindow}).
     */
    public static String sqlText(WindowQuery query, OutputMode mode) {
        String keys = query.keys().stream().map(WindowAggregation::quoted).collect(Collectors.joining(", "));
        boolean groupWindow = mode == OutputMode.COMPLETE;
        WindowSpec window = query.window();
        StringBuilder select = new StringBuilder(groupWindow
                ? "SELECT " + window.groupWindow("event_time", "_START") + " AS window_start, "
                        + window.groupWindow("event_time", "_END") + " AS window_end"
                : "SELECT window_start, window_end");
        if (!keys.isEmpty()) {
            select.append(", ").append(keys);
        }
        for (WindowQuery.Output output : query.outputs()) {
            String column = output.column() == null ? "*" : quoted(output.column());
            select.append(", ").append(switch (output.aggregate()) {
                case COUNT -> "COUNT(" + column + ")";
                case SUM -> "SUM(" + column + ")";
                case AVG -> "AVG(" + column + ")";
                case MIN -> "MIN(" + column + ")";
                case MAX -> "MAX(" + column + ")";
                case COUNT_DISTINCT -> "COUNT(DISTINCT " + column + ")";
                case APPROX_COUNT_DISTINCT -> throw new IllegalArgumentException(
                        "approx_count_distinct is not available in streaming Flink SQL; use --api datastream");
            });
            if (!hasDefaultName(output)) {
                select.append(" AS ").append(quoted(output.name()));
            }
        }
        if (groupWindow) {
            return select + "\nFROM " + VIEW + "\nGROUP BY " + window.groupWindow("event_time", "")
                    + (keys.isEmpty() ? "" : ", " + keys);
        }
        return select + "\nFROM TABLE(" + window.tableFunction(VIEW, "event_time", keys) + ")"
                + "\nGROUP BY window_start, window_end" + (keys.isEmpty() ? "" : ", " + keys);
    }

    static DataStream<Change> sql(DataStream<Measurement> rows, WindowQuery query, OutputMode mode) {
        StreamTableEnvironment tables = SqlEnvironments.on(rows.getExecutionEnvironment());
        if (mode == OutputMode.COMPLETE) {
            keepEveryWindow(tables);
        }
        List<String> columns = sqlColumns(query);
        RowTypeInfo rowType = new RowTypeInfo(columns.stream().map(c -> !query.keys().contains(c) && query.isNumericInput(c)
                        ? Types.DOUBLE : Types.STRING).toArray(TypeInformation[]::new), columns.toArray(String[]::new));
        DataStream<Row> input = rows.map(row -> toSqlRow(query, columns, row)).returns(rowType)
                .name("to SQL rows").uid("sql-rows");
        Table table = tables.fromDataStream(input, Schema.newBuilder()
                .columnByMetadata("event_time", DataTypes.TIMESTAMP_LTZ(3), "rowtime")
                .watermark("event_time", "SOURCE_WATERMARK()")
                .build());
        tables.createTemporaryView(VIEW, table);
        Table result = tables.sqlQuery(sqlText(query, mode));
        if (mode != OutputMode.COMPLETE) {
            return tables.toDataStream(result)
                    .map(row -> fromSqlRow(query, row))
                    .returns(TypeInformation.of(Change.class))
                    .name("SQL rows as table rows")
                    .uid("sql-results");
        }
        // An update replaces its row by key: its retraction (UPDATE_BEFORE) says nothing more.
        return tables.toChangelogStream(result)
                .filter(row -> row.getKind() != RowKind.UPDATE_BEFORE)
                .name("drop retractions")
                .uid("sql-drop-retractions")
                .map(row -> row.getKind() == RowKind.DELETE ? Change.delete(fromSqlRow(query, row).key())
                        : fromSqlRow(query, row))
                .returns(TypeInformation.of(Change.class))
                .name("SQL rows as table rows")
                .uid("sql-results");
    }

    /**
     * Complete mode in SQL: Flink's emit strategy (early and late fire on every row) shows a window after each of its
     * rows, and an allowed lateness no watermark reaches keeps every window, as Spark's complete mode does.
     */
    private static void keepEveryWindow(StreamTableEnvironment tables) {
        var config = tables.getConfig();
        config.set("table.exec.emit.early-fire.enabled", "true");
        config.set("table.exec.emit.early-fire.delay", "0 ms");
        config.set("table.exec.emit.late-fire.enabled", "true");
        config.set("table.exec.emit.late-fire.delay", "0 ms");
        config.set("table.exec.emit.allow-lateness", KEEP_FOREVER.toMillis() + " ms");
    }

    /** The view's columns: the keys, then the aggregated columns that are not keys. */
    static List<String> sqlColumns(WindowQuery query) {
        LinkedHashSet<String> columns = new LinkedHashSet<>(query.keys());
        columns.addAll(query.inputs());
        return new ArrayList<>(columns);
    }

    private static Row toSqlRow(WindowQuery query, List<String> columns, Measurement row) {
        List<String> keyValues = query.keyValues(row.key());
        Row sqlRow = new Row(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            String column = columns.get(i);
            int keyIndex = query.keys().indexOf(column);
            if (keyIndex >= 0) {
                sqlRow.setField(i, keyValues.get(keyIndex));
            } else {
                int input = query.inputs().indexOf(column);
                sqlRow.setField(i, query.isNumericInput(column) ? (Object) row.numbers()[input] : row.texts()[input]);
            }
        }
        return sqlRow;
    }

    private static Change fromSqlRow(WindowQuery query, Row row) {
        int field = 0;
        long start = millis(row.getField(field++));
        long end = millis(row.getField(field++));
        List<String> keyValues = new ArrayList<>();
        for (int i = 0; i < query.keys().size(); i++) {
            keyValues.add((String) row.getField(field++));
        }
        List<Object> cells = new ArrayList<>(List.of(RowSchema.toTime(start), RowSchema.toTime(end)));
        String key = KeyCells.join(keyValues);
        cells.addAll(query.keyCells(key));
        for (WindowQuery.Output output : query.outputs()) {
            Object value = row.getField(field++);
            cells.add(switch (output.aggregate()) {
                case COUNT, COUNT_DISTINCT, APPROX_COUNT_DISTINCT -> value;
                case AVG -> value == null ? null : Cells.decimal((Double) value);
                case SUM, MIN, MAX -> value == null ? null : Cells.number((Double) value, output.integral());
            });
        }
        return new Change(rowKey(start, key), cells);
    }

    private static long millis(Object time) {
        if (time instanceof Instant instant) {
            return instant.toEpochMilli();
        }
        return ((LocalDateTime) time).toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    /** A window's (or, without window, a key's) accumulator as a result row. */
    static Change toChange(WindowQuery query, long start, long end, String key, WindowAccumulator acc) {
        List<Object> cells = new ArrayList<>();
        if (query.isWindowed()) {
            cells.add(RowSchema.toTime(start));
            cells.add(RowSchema.toTime(end));
        }
        cells.addAll(query.keyCells(key));
        for (int i = 0; i < query.outputs().size(); i++) {
            cells.add(acc.result(query, i));
        }
        return new Change(query.isWindowed() ? rowKey(start, key) : key, cells);
    }

    /** True when the output is named as Spark names it without an alias (the short form's {@code count} too). */
    private static boolean hasDefaultName(WindowQuery.Output output) {
        return output.name().equals(WindowQuery.sparkName(output.aggregate(), output.column()))
                || output.column() == null && output.name().equals("count");
    }

    /** Orders a batch by window, then key. */
    private static String rowKey(long windowStart, String key) {
        return SortKeys.zeroPadded(windowStart, 20) + WindowQuery.KEY_SEPARATOR + key;
    }

    private static String quoted(String column) {
        return "`" + column + "`";
    }
}
