package dev.flinkpatterns.patterns.dedup;

import dev.flinkpatterns.core.Api;
import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.DeadLetter;
import dev.flinkpatterns.io.FileSources;
import dev.flinkpatterns.io.RowInput;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.io.SourceLine;
import dev.flinkpatterns.patterns.csv.CsvPatterns;
import dev.flinkpatterns.patterns.csv.EventCsvParser;
import dev.flinkpatterns.patterns.csv.PositionedEvent;
import dev.flinkpatterns.patterns.sql.SqlRows;
import dev.flinkpatterns.run.PatternOutputs;
import dev.flinkpatterns.sql.SqlEnvironments;
import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.table.ResultTable;
import dev.flinkpatterns.table.ResultTables;
import dev.flinkpatterns.time.EventTime;
import dev.flinkpatterns.time.LateRows.LateRow;
import dev.flinkpatterns.time.LateRows;
import dev.flinkpatterns.time.LatenessRule;
import dev.flinkpatterns.time.WatermarkSettings;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.api.config.ExecutionConfigOptions;
import org.apache.flink.types.Row;

/**
 * {@code dedup}: Spark's {@code withWatermark("timestamp", delay).dropDuplicates(columns)} over the event files,
 * as a pure topology: lines in; the first row of each key, late rows and dead letters out. {@code api} picks how the
 * first rows are kept, after the same parsing, event time and late-row split: {@link KeepFirst} (forgets a key by
 * the watermark) or Flink SQL's deduplication query (forgets a key by state TTL, in processing time).
 */
public final class Deduplication {

    private Deduplication() {}

    public static PatternOutputs dropDuplicates(DataStream<SourceLine> lines, DedupKey key, WatermarkSettings watermark,
            Api api, OutputMode mode, Trigger trigger) {
        var parsed = CsvPatterns.parsePositionedEvents(lines);
        DataStream<PositionedEvent> timed = EventTime.assign(parsed.records(), (row, recordTimestamp) -> row.event().eventTime(), watermark);
        // Late rows are dropped before the dedup state sees them, as Spark does: a row behind the watermark
        // could duplicate a key already forgotten.
        var split = LateRows.split(timed, LatenessRule.ROW, watermark, row -> row.event().toJson());
        DataStream<Change> firstRows = switch (api) {
            case DATASTREAM -> split.onTime()
                    .keyBy(row -> key.of(row.event()), Types.STRING)
                    .transform("drop duplicates by " + key, TypeInformation.of(PositionedEvent.class),
                            new KeepFirst<String, PositionedEvent>(retention(key, watermark)))
                    .uid("drop-duplicates")
                    .map(PositionedEvent::toRow)
                    .name("as table rows")
                    .uid("dedup-rows");
            case SQL -> firstRowsSql(split.onTime()
                            .map(row -> Row.of(row.event().timestamp(), row.event().userId(), row.event().event(),
                                    row.orderKey()))
                            .returns(POSITIONED_EVENT_ROWS.rowType())
                            .name("as rows").uid("dedup-event-rows"),
                    EventCsvParser.RESULT_SCHEMA, key.columns(), sqlStateTtl(key.hasTimestamp(), watermark));
        };
        return new PatternOutputs(new ResultTable(EventTime.afterState(firstRows, watermark), EventCsvParser.RESULT_SCHEMA, mode, trigger),
                parsed.deadLetters(), split.late());
    }

    /** The event files' rows as the SQL view reads them: their columns as the result shows them, and where read. */
    private static final RowSchema POSITIONED_EVENT_ROWS = FileSources.withOrderKey(EventCsvParser.RESULT_SCHEMA);

    /**
     * The same over the user's own files ({@code --format/--schema/...}): {@code input} in any format;
     * {@code key} any of its columns; {@code eventTime} a TIMESTAMP column, or null (then no watermark). The result
     * is the first row of each key with all the schema's columns, typed.
     */
    public static PatternOutputs dropDuplicates(RowInput input, List<String> key,
            String eventTime, WatermarkSettings watermark, Api api, OutputMode mode, Trigger trigger) {
        var parsed = input.positioned(eventTime == null ? List.of() : List.of(eventTime), null);
        return dropDuplicates(parsed.records(), parsed.deadLetters(), input.schema(), key, eventTime, watermark,
                api, mode, trigger);
    }

    /** {@code positioned}: rows of {@code schema} with a last field, their order key. */
    private static PatternOutputs dropDuplicates(DataStream<Row> positioned, DataStream<DeadLetter> deadLetters,
            RowSchema schema, List<String> key, String eventTime, WatermarkSettings watermark, Api api,
            OutputMode mode, Trigger trigger) {
        int[] keyIndexes = key.stream().mapToInt(schema::indexOf).toArray();
        DataStream<Row> onTime = positioned;
        DataStream<LateRow> late = null;
        if (eventTime != null) {
            int time = schema.indexOf(eventTime);
            DataStream<Row> timed = EventTime.assign(onTime,
                    (row, recordTimestamp) -> row.getField(time) == null
                            ? Long.MIN_VALUE : RowSchema.millis((LocalDateTime) row.getField(time)), watermark);
            var split = LateRows.split(timed, LatenessRule.ROW, watermark, schema::toJson);
            onTime = split.onTime();
            late = split.late();
        }
        boolean keyHasTime = eventTime != null && key.contains(eventTime);
        String columns = String.join(",", key);
        DataStream<Change> firstRows = switch (api) {
            case DATASTREAM -> onTime
                    .keyBy(row -> keyOf(row, keyIndexes), Types.STRING)
                    .transform("drop duplicates by " + columns, onTime.getType(),
                            new KeepFirst<String, Row>(retention(keyHasTime, watermark)))
                    .uid("drop-duplicates")
                    .map(ResultTables.positionedRow(schema), TypeInformation.of(Change.class))
                    .name("as table rows")
                    .uid("dedup-rows");
            case SQL -> firstRowsSql(onTime, schema, key, sqlStateTtl(keyHasTime, watermark));
        };
        return new PatternOutputs(new ResultTable(EventTime.afterState(firstRows, watermark), schema, mode, trigger), deadLetters, late);
    }

    /**
     * Flink SQL's deduplication over the view {@code events} of the on-time rows ({@code schema}'s columns and their
     * order key): the first row of each key to arrive, as {@link KeepFirst} keeps it. Ordered by a processing-time
     * attribute, the planner runs it as a keep-first-row deduplication that only ever inserts rows.
     */
    static String sqlQuery(RowSchema schema, List<String> key) {
        String columns = schema.names().stream().map(Deduplication::quoted).collect(Collectors.joining(", "));
        return "SELECT " + columns + ", " + quoted(FileSources.ORDER_KEY) + "\nFROM (\n"
                + "  SELECT *, ROW_NUMBER() OVER (PARTITION BY "
                + key.stream().map(Deduplication::quoted).collect(Collectors.joining(", "))
                + " ORDER BY proc_time ASC) AS row_num\n"
                + "  FROM events)\n"
                + "WHERE row_num = 1";
    }

    /**
     * The SQL variant of the {@link KeepFirst} step: {@link #sqlQuery} with the state TTL {@code ttl} (zero: none),
     * its rows keyed by where they were read, as the DataStream variant keys them.
     */
    private static DataStream<Change> firstRowsSql(DataStream<Row> positioned, RowSchema schema, List<String> key,
            Duration ttl) {
        StreamTableEnvironment tables = SqlEnvironments.on(positioned.getExecutionEnvironment());
        tables.getConfig().set(ExecutionConfigOptions.IDLE_STATE_RETENTION, ttl);
        tables.createTemporaryView("events", SqlEnvironments.typedView(tables, positioned,
                FileSources.withOrderKey(schema), null, "proc_time"));
        return SqlRows.positioned(tables, tables.sqlQuery(sqlQuery(schema, key)), schema, "dedup-rows");
    }

    /**
     * How long the SQL variant remembers a key: Flink 2.2's ROW_NUMBER deduplication cannot forget a key when the
     * watermark passes (Flink 2.5's DEDUPLICATE table function can); it forgets by state TTL, in processing time after
     * the key was first seen. With a watermark, as long as the DataStream variant's {@link #retention} (or the
     * watermark delay, if that is 0); without one, never (zero: no TTL), as Spark.
     */
    static Duration sqlStateTtl(boolean keyHasTime, WatermarkSettings watermark) {
        if (!watermark.hasWatermark()) {
            return Duration.ZERO;
        }
        long retention = retention(keyHasTime, watermark);
        return retention > 0 ? Duration.ofMillis(retention) : watermark.delay();
    }

    private static String quoted(String column) {
        return "`" + column.replace("`", "``") + "`";
    }

    /** The key columns' values as one string; null and the text "null" differ. */
    private static String keyOf(Row row, int[] keyIndexes) {
        StringBuilder key = new StringBuilder();
        for (int index : keyIndexes) {
            Object value = row.getField(index);
            key.append(value == null ? "\u0000" : RowSchema.text(value)).append(KEY_SEPARATOR);
        }
        return key.toString();
    }

    /** Joins the key columns' values; a character text files do not hold. */
    private static final char KEY_SEPARATOR = '\u001f';

    /**
     * How long after its first event time a key is remembered. With the time in the key, every duplicate has
     * that time and is late once the watermark passes it (Spark's dropDuplicates with the time column). Without
     * it, the key is kept a watermark delay longer, as Spark 3.5's {@code dropDuplicatesWithinWatermark}:
     * duplicates up to that far apart are dropped. Allowed lateness extends both, since it lets older rows in.
     */
    static long retention(DedupKey key, WatermarkSettings watermark) {
        return retention(key.hasTimestamp(), watermark);
    }

    private static long retention(boolean keyHasTime, WatermarkSettings watermark) {
        if (!watermark.hasWatermark()) {
            return KeepFirst.KEEP_FOREVER;
        }
        long withinWatermark = keyHasTime ? 0 : watermark.delay().toMillis();
        return withinWatermark + watermark.allowedLateness().toMillis();
    }
}
