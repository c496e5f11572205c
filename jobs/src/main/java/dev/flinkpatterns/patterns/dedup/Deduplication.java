package dev.flinkpatterns.patterns.dedup;

import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.DeadLetter;
import dev.flinkpatterns.io.RowInput;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.io.SourceLine;
import dev.flinkpatterns.patterns.csv.CsvPatterns;
import dev.flinkpatterns.patterns.csv.EventCsvParser;
import dev.flinkpatterns.patterns.csv.PositionedEvent;
import dev.flinkpatterns.run.PatternOutputs;
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
import java.time.LocalDateTime;
import java.util.List;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.types.Row;

/**
 * {@code dedup}: Spark's {@code withWatermark("timestamp", delay).dropDuplicates(columns)} over the event files,
 * as a pure topology: lines in; the first row of each key, late rows and dead letters out.
 */
public final class Deduplication {

    private Deduplication() {}

    public static PatternOutputs dropDuplicates(
            DataStream<SourceLine> lines, DedupKey key, WatermarkSettings watermark, OutputMode mode, Trigger trigger) {
        var parsed = CsvPatterns.parsePositionedEvents(lines);
        DataStream<PositionedEvent> timed = EventTime.assign(parsed.records(), (row, recordTimestamp) -> row.event().eventTime(), watermark);
        // Late rows are dropped before the dedup state sees them, as Spark does: a row behind the watermark
        // could duplicate a key already forgotten.
        var split = LateRows.split(timed, LatenessRule.ROW, watermark.allowedLateness(), row -> row.event().toJson());
        DataStream<Change> firstRows = split.onTime()
                .keyBy(row -> key.of(row.event()), Types.STRING)
                .transform("drop duplicates by " + key, TypeInformation.of(PositionedEvent.class),
                        new KeepFirst<String, PositionedEvent>(retention(key, watermark)))
                .uid("drop-duplicates")
                .map(PositionedEvent::toRow)
                .name("as table rows")
                .uid("dedup-rows");
        return new PatternOutputs(new ResultTable(firstRows, EventCsvParser.RESULT_SCHEMA, mode, trigger),
                parsed.deadLetters(), split.late());
    }

    /**
     * The same over the user's own files ({@code --format/--schema/...}): {@code input} in any format;
     * {@code key} any of its columns; {@code eventTime} a TIMESTAMP column, or null (then no watermark). The result
     * is the first row of each key with all the schema's columns, typed.
     */
    public static PatternOutputs dropDuplicates(RowInput input, List<String> key,
            String eventTime, WatermarkSettings watermark, OutputMode mode, Trigger trigger) {
        var parsed = input.positioned(eventTime == null ? List.of() : List.of(eventTime), null);
        return dropDuplicates(parsed.records(), parsed.deadLetters(), input.schema(), key, eventTime, watermark,
                mode, trigger);
    }

    /** {@code positioned}: rows of {@code schema} with a last field, their order key. */
    private static PatternOutputs dropDuplicates(DataStream<Row> positioned, DataStream<DeadLetter> deadLetters,
            RowSchema schema, List<String> key, String eventTime, WatermarkSettings watermark, OutputMode mode,
            Trigger trigger) {
        int[] keyIndexes = key.stream().mapToInt(schema::indexOf).toArray();
        DataStream<Row> onTime = positioned;
        DataStream<LateRow> late = null;
        if (eventTime != null) {
            int time = schema.indexOf(eventTime);
            DataStream<Row> timed = EventTime.assign(onTime,
                    (row, recordTimestamp) -> row.getField(time) == null
                            ? Long.MIN_VALUE : RowSchema.millis((LocalDateTime) row.getField(time)), watermark);
            var split = LateRows.split(timed, LatenessRule.ROW, watermark.allowedLateness(), schema::toJson);
            onTime = split.onTime();
            late = split.late();
        }
        String columns = String.join(",", key);
        DataStream<Change> firstRows = onTime
                .keyBy(row -> keyOf(row, keyIndexes), Types.STRING)
                .transform("drop duplicates by " + columns, onTime.getType(),
                        new KeepFirst<String, Row>(retention(eventTime != null && key.contains(eventTime), watermark)))
                .uid("drop-duplicates")
                .map(ResultTables.positionedRow(schema), TypeInformation.of(Change.class))
                .name("as table rows")
                .uid("dedup-rows");
        return new PatternOutputs(new ResultTable(firstRows, schema, mode, trigger), deadLetters, late);
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
