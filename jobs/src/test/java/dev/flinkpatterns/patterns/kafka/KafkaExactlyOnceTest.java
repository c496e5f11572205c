package dev.flinkpatterns.patterns.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.Kafka;
import dev.flinkpatterns.io.KafkaRecord;
import dev.flinkpatterns.io.KafkaSettings;
import dev.flinkpatterns.io.Throttle;
import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.table.ChangeAsRecord;
import dev.flinkpatterns.testing.FailureInjector;
import dev.flinkpatterns.testing.FlinkTests;
import dev.flinkpatterns.testing.KafkaTests;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Kafka to Kafka, exactly once, proven by breaking the job: 100,000 keyed, sequence-numbered records are copied by
 * kafka-read and --sink kafka while the job fails three times at different points and recovers from its
 * checkpoints; a read_committed reader then finds every record exactly once, each key's sequence without a gap, and
 * no transaction of the job left open.
 */
class KafkaExactlyOnceTest {

    @RegisterExtension
    @Order(1)
    static final KafkaTests KAFKA = new KafkaTests();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    private static final int RECORDS = 100_000;
    private static final int KEYS = 100;

    @Test
    void everyRecordArrivesExactlyOnceThroughThreeFailures() throws Exception {
        KAFKA.createTopic("eo-in", 2);
        KAFKA.createTopic("eo-out", 2);
        List<Map.Entry<String, String>> input = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            String key = "k" + (i % KEYS);
            input.add(Map.entry(key, key + ":" + (i / KEYS)));
        }
        KAFKA.produce("eo-in", input);

        StreamExecutionEnvironment env = FlinkTests.environment();
        env.setParallelism(2);
        env.enableCheckpointing(200);
        env.configure(FlinkTests.restarts());

        KafkaSettings settings = KafkaSettings.of(KAFKA.bootstrapServers(), "eo-in", "eo-test");
        DataStream<KafkaRecord> records = env.fromSource(Kafka.source(settings, true), WatermarkStrategy.noWatermarks(), "kafka")
                .uid("kafka-source");
        // Slow enough (about 5 s) that checkpoints complete mid-run, and failures fall mid-run.
        DataStream<Change> rows = KafkaRead.records(Throttle.perSecond(records, 20_000), OutputMode.APPEND, Trigger.AVAILABLE_NOW)
                .changes()
                .map(FailureInjector.<Change>failAfterCheckpoints("kafka-eo", 2, 4, 1))
                .returns(TypeInformation.of(Change.class))
                .uid("failures");
        rows.sinkTo(Kafka.sink(settings, "eo-out", DeliveryGuarantee.EXACTLY_ONCE, "kafka-eo-test",
                new ChangeAsRecord(KafkaRead.SCHEMA, "key", "value"))).uid("kafka-sink");
        env.execute("kafka exactly-once");

        assertThat(FailureInjector.failures("kafka-eo")).isEqualTo(3);
        List<ConsumerRecord<String, String>> output = KAFKA.readCommitted("eo-out", RECORDS, Duration.ofSeconds(60));
        assertThat(output.size()).as("records read back").isEqualTo(RECORDS);
        Map<String, List<Integer>> sequences = new HashMap<>();
        for (ConsumerRecord<String, String> record : output) {
            String[] parts = record.value().split(":");
            assertThat(parts[0]).isEqualTo(record.key());
            sequences.computeIfAbsent(record.key(), key -> new ArrayList<>()).add(Integer.parseInt(parts[1]));
        }
        assertThat(sequences).hasSize(KEYS);
        for (List<Integer> sequence : sequences.values()) {
            // A key lives in one partition, so its records keep their order: 0, 1, 2, ... with no gap and no repeat.
            assertThat(sequence).hasSize(RECORDS / KEYS);
            for (int i = 0; i < sequence.size(); i++) {
                assertThat(sequence.get(i)).isEqualTo(i);
            }
        }
        assertThat(KAFKA.openTransactions("kafka-eo-test")).isEmpty();
    }
}
