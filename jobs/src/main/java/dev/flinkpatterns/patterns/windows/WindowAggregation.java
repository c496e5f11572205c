package dev.flinkpatterns.patterns.windows;

import dev.flinkpatterns.core.Api;
import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.DeadLetter;
import dev.flinkpatterns.io.SourceLine;
import dev.flinkpatterns.parse.ParseOrDeadLetter;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.parse.Timestamps;
import dev.flinkpatterns.run.PatternOutputs;
import dev.flinkpatterns.sql.SqlEnvironments;
import dev.flinkpatterns.table.Change;
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
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.WindowedStream;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;
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

    private WindowAggregation() {}

    /** From lines of a dataset: parse (bad lines to dead letters), then {@link #aggregate}. */
    public static <T> PatternOutputs fromLines(DataStream<SourceLine> lines, Dataset<T> dataset, WindowQuery query,
            Api api, OutputMode mode, Trigger trigger) {
        var parsed = ParseOrDeadLetter.parse(lines, dataset.parser(), dataset.type());
        return fromRecords(parsed.records(), dataset, query, api, mode, trigger, parsed.deadLetters());
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
        DataStream<Measurement> timed = EventTime.assign(measurements, (row, previous) -> row.eventTime(), query.watermark());
        LateRows.Split<Measurement> split = LateRows.split(
                timed, query.window().lateness(), query.watermark().allowedLateness(), query::describe);
        DataStream<Change> changes = api == Api.SQL ? sql(split.onTime(), query) : dataStream(split.onTime(), query, mode, trigger);
        return new PatternOutputs(new ResultTable(changes, query.schema(), mode, trigger), deadLetters, split.late());
    }

    static DataStream<Change> dataStream(DataStream<Measurement> rows, WindowQuery query, OutputMode mode, Trigger trigger) {
        WindowedStream<WindowPartials.Partial, String, TimeWindow> windows = WindowPartials.of(rows, query, trigger)
                .keyBy(WindowPartials.Partial::key, Types.STRING)
                .window(query.window().assigner());
        Duration lateness = query.watermark().allowedLateness();
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
            out.collect(toChange(query, window.getStart(), window.getEnd(), key, acc.count, acc.sum, acc.average(),
                    acc.min, acc.max, acc.distinct == null ? 0 : acc.distinct.size()));
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

    /** The SQL the variant runs, as a user would write it. */
    public static String sqlText(WindowQuery query) {
        String keys = query.keys().stream().map(WindowAggregation::quoted).collect(Collectors.joining(", "));
        StringBuilder select = new StringBuilder("SELECT window_start, window_end");
        if (!keys.isEmpty()) {
            select.append(", ").append(keys);
        }
        for (WindowQuery.Output output : query.outputs()) {
            select.append(", ").append(switch (output.aggregate()) {
                case COUNT -> "COUNT(*)";
                case SUM -> "SUM(" + quoted(query.value()) + ")";
                case AVG -> "AVG(" + quoted(query.value()) + ")";
                case MIN -> "MIN(" + quoted(query.value()) + ")";
                case MAX -> "MAX(" + quoted(query.value()) + ")";
                case COUNT_DISTINCT -> "COUNT(DISTINCT " + quoted(query.distinct()) + ")";
            });
            if (!query.hasDefaultName(output)) {
                select.append(" AS ").append(quoted(output.name()));
            }
        }
        return select + "\nFROM TABLE(" + query.window().tableFunction(VIEW, "event_time", keys) + ")"
                + "\nGROUP BY window_start, window_end" + (keys.isEmpty() ? "" : ", " + keys);
    }

    static DataStream<Change> sql(DataStream<Measurement> rows, WindowQuery query) {
        StreamTableEnvironment tables = SqlEnvironments.on(rows.getExecutionEnvironment());
        List<String> columns = sqlColumns(query);
        RowTypeInfo rowType = new RowTypeInfo(columns.stream().map(c -> c.equals(query.value())
                        ? Types.DOUBLE : Types.STRING).toArray(TypeInformation[]::new), columns.toArray(String[]::new));
        DataStream<Row> input = rows.map(row -> toSqlRow(query, columns, row)).returns(rowType)
                .name("to SQL rows").uid("sql-rows");
        Table table = tables.fromDataStream(input, Schema.newBuilder()
                .columnByMetadata("event_time", DataTypes.TIMESTAMP_LTZ(3), "rowtime")
                .watermark("event_time", "SOURCE_WATERMARK()")
                .build());
        tables.createTemporaryView(VIEW, table);
        return tables.toDataStream(tables.sqlQuery(sqlText(query)))
                .map(row -> fromSqlRow(query, row))
                .returns(TypeInformation.of(Change.class))
                .name("SQL rows as table rows")
                .uid("sql-results");
    }

    /** The view's columns: the keys, then the value and distinct columns when they are not keys. */
    static List<String> sqlColumns(WindowQuery query) {
        LinkedHashSet<String> columns = new LinkedHashSet<>(query.keys());
        if (query.hasValue()) {
            columns.add(query.value());
        }
        if (query.hasDistinct()) {
            columns.add(query.distinct());
        }
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
            } else if (column.equals(query.value())) {
                sqlRow.setField(i, row.value());
            } else {
                sqlRow.setField(i, row.distinct());
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
        long count = 0, distinct = 0;
        double sum = Double.NaN, avg = Double.NaN, min = Double.NaN, max = Double.NaN;
        for (WindowQuery.Output output : query.outputs()) {
            Object value = row.getField(field++);
            switch (output.aggregate()) {
                case COUNT -> count = (Long) value;
                case SUM -> sum = (Double) value;
                case AVG -> avg = (Double) value;
                case MIN -> min = (Double) value;
                case MAX -> max = (Double) value;
                case COUNT_DISTINCT -> distinct = (Long) value;
            }
        }
        return toChange(query, start, end, String.join(WindowQuery.KEY_SEPARATOR, keyValues), count, sum, avg, min, max,
                distinct);
    }

    private static long millis(Object time) {
        if (time instanceof Instant instant) {
            return instant.toEpochMilli();
        }
        return ((LocalDateTime) time).toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    /** One result row, whichever API computed it. */
    static Change toChange(WindowQuery query, long start, long end, String key, long count, double sum, double avg,
            double min, double max, long distinct) {
        List<Object> cells = new ArrayList<>(List.of(RowSchema.toTime(start), RowSchema.toTime(end)));
        cells.addAll(query.keyValues(key));
        boolean integral = query.integralValue();
        for (WindowQuery.Output output : query.outputs()) {
            cells.add(switch (output.aggregate()) {
                case COUNT -> count;
                case SUM -> Cells.number(sum, integral);
                case AVG -> Cells.decimal(avg);
                case MIN -> Cells.number(min, integral);
                case MAX -> Cells.number(max, integral);
                case COUNT_DISTINCT -> distinct;
            });
        }
        return new Change(rowKey(start, key), cells);
    }

    /** Orders a batch by window, then key. */
    private static String rowKey(long windowStart, String key) {
        return SortKeys.zeroPadded(windowStart, 20) + WindowQuery.KEY_SEPARATOR + key;
    }

    private static String quoted(String column) {
        return "`" + column + "`";
    }
}
