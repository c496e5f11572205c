package dev.flinkpatterns.patterns.csv;

import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.DeadLetter;
import dev.flinkpatterns.io.FileSources;
import dev.flinkpatterns.io.RowInput;
import dev.flinkpatterns.io.SourceLine;
import dev.flinkpatterns.parse.LineParser;
import dev.flinkpatterns.parse.ParseOrDeadLetter;
import dev.flinkpatterns.patterns.sql.SqlRows;
import dev.flinkpatterns.run.PatternOutputs;
import dev.flinkpatterns.sql.SqlEnvironments;
import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.table.KeyCells;
import dev.flinkpatterns.table.ResultTable;
import dev.flinkpatterns.table.ResultTables;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;

/**
 * The tutorial's two CSV modes as pure topologies: lines in, result batches and dead letters out. The CLI
 * wires files and the console; tests wire bounded inputs and collecting sinks. Each mode also as one SQL query
 * ({@code --api sql}) over the view {@value #VIEW} of the same typed rows, giving the same result table.
 */
public final class CsvPatterns {

    public static final RowSchema AGGREGATE_SCHEMA = ResultTables.countSchema("event");

    /** The view of the rows the SQL variants query. */
    public static final String VIEW = "events";

    private static final PositionedEvent.Parser POSITIONED = new PositionedEvent.Parser();

    private CsvPatterns() {}

    /** {@code csv-agg}: {@code df.groupBy("event").count()}, shown as a result table. */
    public static PatternOutputs eventCounts(DataStream<SourceLine> lines, OutputMode mode, Trigger trigger) {
        var parsed = parseEvents(lines);
        DataStream<String> eventTypes = parsed.records().map(Event::event).returns(Types.STRING)
                .name("event type").uid("event-type");
        DataStream<Change> counts = ResultTables.countByKey(eventTypes, "event", trigger);
        return new PatternOutputs(new ResultTable(counts, AGGREGATE_SCHEMA, mode, trigger), parsed.deadLetters());
    }

    /** {@code csv-log}: the rows themselves, in file and line order within a batch. */
    public static PatternOutputs rawRows(DataStream<SourceLine> lines, OutputMode mode, Trigger trigger) {
        LineParser<Change> rows = line -> POSITIONED.parse(line).map(PositionedEvent::toRow);
        var parsed = ParseOrDeadLetter.parse(lines, rows, TypeInformation.of(Change.class));
        return new PatternOutputs(
                new ResultTable(parsed.records(), EventCsvParser.RESULT_SCHEMA, mode, trigger),
                parsed.deadLetters());
    }

    /**
     * {@code csv-log} over the user's own files ({@code --format/--schema/...}): the rows of the input's schema,
     * typed, in file and line order within a batch.
     */
    public static PatternOutputs rawRows(RowInput input, OutputMode mode, Trigger trigger) {
        var parsed = input.positioned(List.of(), null);
        return new PatternOutputs(new ResultTable(asTableRows(parsed.records(), input.schema()), input.schema(),
                mode, trigger), parsed.deadLetters());
    }

    private static DataStream<Change> asTableRows(DataStream<Row> positioned, RowSchema schema) {
        return positioned.map(ResultTables.positionedRow(schema), TypeInformation.of(Change.class))
                .name("as table rows").uid("csv-rows");
    }

    /**
     * {@code csv-agg} over rows of {@code schema} (the user's own files): {@code df.groupBy(columns).count()}, the
     * columns any of the schema's, shown as text.
     */
    public static PatternOutputs counts(DataStream<Row> rows, DataStream<DeadLetter> deadLetters, RowSchema schema,
            List<String> columns, OutputMode mode, Trigger trigger) {
        int[] indexes = columns.stream().mapToInt(schema::indexOf).toArray();
        DataStream<String> keys = rows.map(row -> {
            List<Object> values = new ArrayList<>();
            for (int index : indexes) {
                values.add(row.getField(index));
            }
            return KeyCells.join(values);
        }).returns(Types.STRING).name("group by " + String.join(", ", columns)).uid("group-by-columns");
        List<RowSchema.Column> keyColumns = keyColumns(schema, columns);
        DataStream<Change> counts = ResultTables.countByKey(keys, String.join("-", columns), trigger)
                .map(change -> {
                    List<Object> cells = new ArrayList<>(KeyCells.cells((String) change.cells().get(0), keyColumns));
                    cells.add(change.cells().get(1));
                    return new Change(change.key(), cells);
                }, TypeInformation.of(Change.class)).name("key columns").uid("key-columns");
        return new PatternOutputs(new ResultTable(counts, countsSchema(keyColumns), mode, trigger), deadLetters);
    }

    /** The result columns of the group-by {@code columns} of {@code schema}. */
    private static List<RowSchema.Column> keyColumns(RowSchema schema, List<String> columns) {
        return columns.stream().map(c -> KeyCells.resultColumn(schema.column(schema.indexOf(c)))).toList();
    }

    /** The key columns, then {@code count}, Spark's bigint. */
    private static RowSchema countsSchema(List<RowSchema.Column> keyColumns) {
        List<RowSchema.Column> result = new ArrayList<>(keyColumns);
        result.add(RowSchema.Column.nullable("count", RowSchema.Type.LONG));
        return new RowSchema(result);
    }

    /** {@code csv-log}'s query: the rows as they are, with where each was read (to list them in the files' order). */
    public static String rowsQuery(RowSchema schema) {
        List<String> columns = new ArrayList<>(schema.names());
        columns.add(FileSources.ORDER_KEY);
        return "SELECT " + identifiers(columns) + " FROM " + VIEW;
    }

    /** {@code csv-agg}'s query: Spark's {@code df.groupBy(columns).count()}. */
    public static String countsQuery(List<String> columns) {
        String keys = identifiers(columns);
        return "SELECT " + keys + ", COUNT(*) AS `count` FROM " + VIEW + " GROUP BY " + keys;
    }

    private static String identifiers(List<String> columns) {
        return String.join(", ", columns.stream().map(SqlEnvironments::identifier).toList());
    }

    /** {@code csv-agg --api sql} over the event files: {@link #countsQuery} by event; the rows of {@link #eventCounts}. */
    public static PatternOutputs eventCountsSql(DataStream<SourceLine> lines, OutputMode mode, Trigger trigger) {
        var parsed = parseEvents(lines);
        DataStream<Row> rows = parsed.records()
                .map(event -> Row.of(event.timestamp(), event.userId(), event.event()),
                        EventCsvParser.RESULT_SCHEMA.rowType())
                .name("as event rows").uid("event-rows");
        return countsSql(rows, parsed.deadLetters(), EventCsvParser.RESULT_SCHEMA, List.of("event"), mode, trigger);
    }

    /** {@code csv-agg --api sql} over rows of {@code schema}: {@link #countsQuery}; the rows of {@link #counts}. */
    public static PatternOutputs countsSql(DataStream<Row> rows, DataStream<DeadLetter> deadLetters, RowSchema schema,
            List<String> columns, OutputMode mode, Trigger trigger) {
        StreamTableEnvironment tables = SqlEnvironments.on(rows.getExecutionEnvironment());
        tables.createTemporaryView(VIEW, SqlEnvironments.typedView(tables, rows, schema));
        RowSchema result = countsSchema(keyColumns(schema, columns));
        DataStream<Change> counts = SqlRows.upserts(tables, tables.sqlQuery(countsQuery(columns)), result,
                columns.size(), "sql-counts");
        return new PatternOutputs(new ResultTable(counts, result, mode, trigger), deadLetters);
    }

    /** {@code csv-log --api sql} over the event files: {@link #rowsQuery}; the rows of {@link #rawRows}. */
    public static PatternOutputs rawRowsSql(DataStream<SourceLine> lines, OutputMode mode, Trigger trigger) {
        var parsed = parsePositionedEvents(lines);
        RowSchema schema = EventCsvParser.RESULT_SCHEMA;
        DataStream<Row> rows = parsed.records()
                .map(positioned -> Row.of(positioned.event().timestamp(), positioned.event().userId(),
                        positioned.event().event(), positioned.orderKey()), FileSources.withOrderKey(schema).rowType())
                .name("as event rows").uid("event-rows");
        return rowsSql(rows, parsed.deadLetters(), schema, mode, trigger);
    }

    /** {@code csv-log --api sql} over the user's own files: {@link #rowsQuery}; the rows of {@link #rawRows}. */
    public static PatternOutputs rawRowsSql(RowInput input, OutputMode mode, Trigger trigger) {
        var parsed = input.positioned(List.of(), null);
        return rowsSql(parsed.records(), parsed.deadLetters(), input.schema(), mode, trigger);
    }

    /** Positioned rows of {@code schema} as the view {@value #VIEW}, and {@link #rowsQuery} over it. */
    private static PatternOutputs rowsSql(DataStream<Row> positioned, DataStream<DeadLetter> deadLetters,
            RowSchema schema, OutputMode mode, Trigger trigger) {
        StreamTableEnvironment tables = SqlEnvironments.on(positioned.getExecutionEnvironment());
        tables.createTemporaryView(VIEW,
                SqlEnvironments.typedView(tables, positioned, FileSources.withOrderKey(schema)));
        DataStream<Change> rows = SqlRows.positioned(tables, tables.sqlQuery(rowsQuery(schema)), schema, "sql-rows");
        return new PatternOutputs(new ResultTable(rows, schema, mode, trigger), deadLetters);
    }

    /** The events of the lines; malformed lines become dead letters. */
    public static ParseOrDeadLetter.Parsed<Event> parseEvents(DataStream<SourceLine> lines) {
        return ParseOrDeadLetter.parse(lines, new EventCsvParser(), TypeInformation.of(Event.class));
    }

    /** The events with their positions in the files; malformed lines become dead letters. */
    public static ParseOrDeadLetter.Parsed<PositionedEvent> parsePositionedEvents(DataStream<SourceLine> lines) {
        return ParseOrDeadLetter.parse(lines, POSITIONED, TypeInformation.of(PositionedEvent.class));
    }
}
