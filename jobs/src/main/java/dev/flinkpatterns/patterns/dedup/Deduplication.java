package dev.flinkpatterns.patterns.dedup;

import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.SourceLine;
import dev.flinkpatterns.patterns.csv.CsvPatterns;
import dev.flinkpatterns.patterns.csv.EventCsvParser;
import dev.flinkpatterns.patterns.csv.PositionedEvent;
import dev.flinkpatterns.run.PatternOutputs;
import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.table.ResultTable;
import dev.flinkpatterns.table.ResultTables;
import dev.flinkpatterns.time.EventTime;
import dev.flinkpatterns.time.LateRows;
import dev.flinkpatterns.time.LatenessRule;
import dev.flinkpatterns.time.WatermarkSettings;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;

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
     * How long after its first event time a key is remembered. With the time in the key, every duplicate has
     * that time and is late once the watermark passes it (Spark's dropDuplicates with the time column). Without
     * it, the key is kept a watermark delay longer, as Spark 3.5's {@code dropDuplicatesWithinWatermark}:
     * duplicates up to that far apart are dropped. Allowed lateness extends both, since it lets older rows in.
     */
    static long retention(DedupKey key, WatermarkSettings watermark) {
        if (!watermark.hasWatermark()) {
            return KeepFirst.KEEP_FOREVER;
        }
        long withinWatermark = key.hasTimestamp() ? 0 : watermark.delay().toMillis();
        return withinWatermark + watermark.allowedLateness().toMillis();
    }
}
