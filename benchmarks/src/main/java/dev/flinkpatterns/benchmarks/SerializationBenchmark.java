package dev.flinkpatterns.benchmarks;

import dev.flinkpatterns.io.SourceLine;
import dev.flinkpatterns.parse.MalformedRecordException;
import dev.flinkpatterns.parse.RowCsvParser;
import dev.flinkpatterns.patterns.csv.PositionedEvent;
import dev.flinkpatterns.patterns.kafka.KafkaEtl;
import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.table.ChangeAsRecord;
import java.io.IOException;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.Row;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What a record costs to cross a shuffle or enter state: Flink's serializer of the project's record types, written to
 * bytes and read back (a round trip), as the network stack and RocksDB do; and a result row as a Kafka JSON value.
 */
@State(Scope.Thread)
public class SerializationBenchmark extends ShortRun {

    private final DataOutputSerializer output = new DataOutputSerializer(256);
    private final DataInputDeserializer input = new DataInputDeserializer();
    private TypeSerializer<PositionedEvent> eventSerializer;
    private TypeSerializer<Row> rowSerializer;
    private TypeSerializer<Change> changeSerializer;
    private PositionedEvent event;
    private Row row;
    private Change change;

    @Setup
    public void serializers() throws MalformedRecordException {
        SerializerConfigImpl config = new SerializerConfigImpl();
        eventSerializer = TypeInformation.of(PositionedEvent.class).createSerializer(config);
        rowSerializer = KafkaEtl.SCHEMA.rowType().createSerializer(config);
        changeSerializer = TypeInformation.of(Change.class).createSerializer(config);
        event = new PositionedEvent.Parser().parse(new SourceLine("events_1.csv", 2, "2024-01-15T00:00:01.250,417,purchase"))
                .orElseThrow();
        row = new RowCsvParser(KafkaEtl.SCHEMA).parse(new SourceLine("etl.csv", 2, "2024-01-15 00:00:01,1000017,417,active,19.99"))
                .orElseThrow();
        change = Change.of("0000000000001000017", "2024-01-15 00:00:01", 1000017, 417, "active", 19.99, "2024-01-15 00:00:02.5");
    }

    @Benchmark
    public PositionedEvent positionedEventRoundTrip() throws IOException {
        return roundTrip(eventSerializer, event);
    }

    @Benchmark
    public Row rowRoundTrip() throws IOException {
        return roundTrip(rowSerializer, row);
    }

    @Benchmark
    public Change changeRoundTrip() throws IOException {
        return roundTrip(changeSerializer, change);
    }

    @Benchmark
    public String changeAsJson() {
        return ChangeAsRecord.json(change, KafkaEtl.RESULT_SCHEMA, false);
    }

    private <T> T roundTrip(TypeSerializer<T> serializer, T value) throws IOException {
        output.clear();
        serializer.serialize(value, output);
        input.setBuffer(output.getSharedBuffer(), 0, output.length());
        return serializer.deserialize(input);
    }
}
