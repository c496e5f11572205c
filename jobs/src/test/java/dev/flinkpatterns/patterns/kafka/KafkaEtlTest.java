package dev.flinkpatterns.patterns.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.core.Api;
import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.ProcessingClock;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.DeadLetter;
import dev.flinkpatterns.io.Kafka;
import dev.flinkpatterns.io.KafkaRecord;
import dev.flinkpatterns.io.KafkaSettings;
import dev.flinkpatterns.run.PatternOutputs;
import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.testing.FlinkTests;
import dev.flinkpatterns.testing.KafkaTests;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * kafka-etl over 20,000 valid and 10,000 malformed records: the output is exactly the active valid records, the
 * dead letters are exactly the malformed ones (with topic, partition, offset and text), and the job never restarted
 * (the test cluster has no restart strategy: one failure would fail the test).
 */
class KafkaEtlTest {

    @RegisterExtension
    @Order(1)
    static final KafkaTests KAFKA = new KafkaTests();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    private static final int VALID = 20_000;
    private static final int MALFORMED = 10_000;
    private static final long PROCESSED_AT = 1_752_591_600_000L; // 2025-07-15 15:00:00

    @Test
    void outputIsExactlyTheActiveRecordsAndDeadLettersExactlyTheMalformedOnes() throws Exception {
        KAFKA.createTopic("etl-in", 2);
        List<Map.Entry<String, String>> input = new ArrayList<>();
        Set<String> malformed = new HashSet<>();
        Set<Object> activeIds = new HashSet<>();
        for (int id = 1; id <= VALID; id++) {
            String status = id % 3 == 0 ? "inactive" : "active";
            if (status.equals("active")) {
                activeIds.add((long) id); // typed: id is a bigint
            }
            input.add(Map.entry("k" + id, "{\"timestamp\":\"2025-07-15T10:00:00\",\"id\":" + id + ",\"user_id\":" + (id % 7)
                    + ",\"status\":\"" + status + "\",\"amount\":" + id + ".5}"));
            if (id % 2 == 0) {
                String bad = switch (id % 8) {
                    case 0 -> "not json " + id;
                    case 2 -> "{\"timestamp\":\"2025-07-15T10:00:00\",\"id\":" + id;
                    case 4 -> "{\"id\":" + id + ",\"user_id\":1,\"status\":\"active\",\"amount\":1.0}";
                    default -> "{\"timestamp\":\"2025-07-15T10:00:00\",\"id\":" + id + ",\"user_id\":1,\"status\":\"active\",\"amount\":\"lots\"}";
                };
                malformed.add(bad);
                input.add(Map.entry("bad" + id, bad));
            }
        }
        assertThat(malformed).hasSize(MALFORMED);
        KAFKA.produce("etl-in", input);

        StreamExecutionEnvironment env = FlinkTests.environment();
        env.setParallelism(2);
        DataStream<KafkaRecord> records = env.fromSource(
                Kafka.source(KafkaSettings.of(KAFKA.bootstrapServers(), "etl-in", "etl-test"), true),
                WatermarkStrategy.noWatermarks(), "kafka");
        PatternOutputs outputs = KafkaEtl.etl(records, Api.DATASTREAM, ProcessingClock.fixed(PROCESSED_AT), OutputMode.APPEND,
                Trigger.AVAILABLE_NOW);
        CloseableIterator<Change> rows = outputs.table().changes().collectAsync();
        CloseableIterator<DeadLetter> deadLetters = outputs.deadLetters().collectAsync();
        env.execute("kafka-etl test");

        List<Change> output = drain(rows);
        assertThat(output).hasSize(activeIds.size());
        assertThat(output).extracting(change -> change.cells().get(1)).containsExactlyInAnyOrderElementsOf(activeIds);
        assertThat(output).allSatisfy(change -> {
            assertThat(change.cells().get(3)).isEqualTo("active");
            assertThat(change.cells().get(5)).isEqualTo(java.time.LocalDateTime.of(2025, 7, 15, 15, 0));
        });
        List<DeadLetter> dead = drain(deadLetters);
        assertThat(dead).hasSize(MALFORMED);
        assertThat(dead).extracting(DeadLetter::record).containsExactlyInAnyOrderElementsOf(malformed);
        assertThat(dead).allSatisfy(letter -> assertThat(letter.source()).matches("kafka:etl-in/[01]"));
        assertThat(dead.stream().map(letter -> letter.source() + "@" + letter.line()).distinct()).hasSize(MALFORMED);
    }

    private static <T> List<T> drain(CloseableIterator<T> iterator) throws Exception {
        List<T> all = new ArrayList<>();
        iterator.forEachRemaining(all::add);
        iterator.close();
        return all;
    }
}
