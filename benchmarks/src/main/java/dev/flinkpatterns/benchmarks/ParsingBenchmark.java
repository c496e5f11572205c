package dev.flinkpatterns.benchmarks;

import dev.flinkpatterns.io.SourceLine;
import dev.flinkpatterns.parse.MalformedRecordException;
import dev.flinkpatterns.parse.RowCsvParser;
import dev.flinkpatterns.parse.RowJsonParser;
import dev.flinkpatterns.patterns.csv.Event;
import dev.flinkpatterns.patterns.csv.EventCsvParser;
import dev.flinkpatterns.patterns.csv.PositionedEvent;
import dev.flinkpatterns.patterns.kafka.KafkaEtl;
import java.util.Optional;
import org.apache.flink.types.Row;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** One line through each parser the sources share: a line of the event files, a kafka-etl row as CSV and as JSON. */
@State(Scope.Thread)
public class ParsingBenchmark extends ShortRun {

    private final SourceLine eventLine = new SourceLine("events_1.csv", 2, "2024-01-15T00:00:01.250,417,purchase");
    private final SourceLine csvLine = new SourceLine("etl.csv", 2, "2024-01-15 00:00:01,1000017,417,active,19.99");
    private final SourceLine jsonLine = new SourceLine("kafka:etl/0", 2,
            "{\"timestamp\":\"2024-01-15 00:00:01\",\"id\":1000017,\"user_id\":417,\"status\":\"active\",\"amount\":19.99}");
    private final EventCsvParser eventParser = new EventCsvParser();
    private final PositionedEvent.Parser positionedParser = new PositionedEvent.Parser();
    private final RowCsvParser csvParser = new RowCsvParser(KafkaEtl.SCHEMA);
    private final RowJsonParser jsonParser = new RowJsonParser(KafkaEtl.SCHEMA);

    /** Fails the run (not silently measuring an exception path) when a sample line does not parse. */
    @Setup
    public void everyLineParses() throws MalformedRecordException {
        eventParser.parse(eventLine).orElseThrow();
        csvParser.parse(csvLine).orElseThrow();
        jsonParser.parse(jsonLine).orElseThrow();
    }

    @Benchmark
    public Optional<Event> eventCsv() throws MalformedRecordException {
        return eventParser.parse(eventLine);
    }

    @Benchmark
    public Optional<PositionedEvent> positionedEventCsv() throws MalformedRecordException {
        return positionedParser.parse(eventLine);
    }

    @Benchmark
    public Optional<Row> rowCsv() throws MalformedRecordException {
        return csvParser.parse(csvLine);
    }

    @Benchmark
    public Optional<Row> rowJson() throws MalformedRecordException {
        return jsonParser.parse(jsonLine);
    }
}
