package dev.flinkpatterns.patterns.csv;

import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.SourceLine;
import dev.flinkpatterns.parse.LineParser;
import dev.flinkpatterns.parse.ParseOrDeadLetter;
import dev.flinkpatterns.run.PatternOutputs;
import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.table.ResultTable;
import dev.flinkpatterns.table.ResultTables;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The tutorial's two CSV modes as pure topologies: lines in, result batches and dead letters out. The CLI
 * wires files and the console; tests wire bounded inputs and collecting sinks.
 */
public final class CsvPatterns {

    public static final RowSchema AGGREGATE_SCHEMA = ResultTables.countSchema("event");

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

    /** The events of the lines; malformed lines become dead letters. */
    public static ParseOrDeadLetter.Parsed<Event> parseEvents(DataStream<SourceLine> lines) {
        return ParseOrDeadLetter.parse(lines, new EventCsvParser(), TypeInformation.of(Event.class));
    }

    /** The events with their positions in the files; malformed lines become dead letters. */
    public static ParseOrDeadLetter.Parsed<PositionedEvent> parsePositionedEvents(DataStream<SourceLine> lines) {
        return ParseOrDeadLetter.parse(lines, POSITIONED, TypeInformation.of(PositionedEvent.class));
    }
}
