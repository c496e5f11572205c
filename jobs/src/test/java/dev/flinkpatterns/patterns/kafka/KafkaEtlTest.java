package dev.flinkpatterns.patterns.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.flinkpatterns.core.Api;
import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.ProcessingClock;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.DeadLetter;
import dev.flinkpatterns.io.Kafka;
import dev.flinkpatterns.io.KafkaRecord;
import dev.flinkpatterns.io.KafkaSettings;
import dev.flinkpatterns.io.ReaderOptions;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.io.SchemaDdl;
import dev.flinkpatterns.io.SourceLine;
import dev.flinkpatterns.parse.ParseOrDeadLetter;
import dev.flinkpatterns.run.PatternOutputs;
import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.table.RowFilter;
import dev.flinkpatterns.testing.FlinkTests;
import dev.flinkpatterns.testing.KafkaTests;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * kafka-etl over 20,000 valid and 10,000 malformed records: the output is exactly the active valid records, the
 * dead letters are exactly the malformed ones (with topic, partition, offset and text), and the job never restarted
 * (the test cluster has no restart strategy: one failure would fail the test). Then kafka-etl and kafka-read in both
 * APIs ({@code --api datastream|sql}) on a few records: the same rows, keys, dead letters and records read.
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

    /** What a bounded run of one API's topology gave: its rows (sorted by key), dead letters and records read. */
    private record Run(List<Change> rows, List<DeadLetter> deadLetters, Long recordsRead) {}

    private static Run run(String topic, Function<DataStream<KafkaRecord>, PatternOutputs> topology) throws Exception {
        StreamExecutionEnvironment env = FlinkTests.environment();
        DataStream<KafkaRecord> records = env.fromSource(
                Kafka.source(KafkaSettings.of(KAFKA.bootstrapServers(), topic, topic + "-" + System.nanoTime()), true),
                WatermarkStrategy.noWatermarks(), "kafka");
        PatternOutputs outputs = topology.apply(records);
        CloseableIterator<Change> rows = outputs.table().changes().collectAsync();
        CloseableIterator<DeadLetter> deadLetters = outputs.hasDeadLetters() ? outputs.deadLetters().collectAsync() : null;
        JobClient job = env.executeAsync();
        List<Change> changes = new ArrayList<>(drain(rows));
        changes.sort(Comparator.comparing(Change::key));
        List<DeadLetter> dead = deadLetters == null ? List.of() : drain(deadLetters);
        JobExecutionResult result = job.getJobExecutionResult().get(60, TimeUnit.SECONDS);
        return new Run(changes, dead, result.getAccumulatorResult(ParseOrDeadLetter.RECORDS_READ));
    }

    private static final String ETL_TOPIC = "etl-apis";

    private static final List<Map.Entry<String, String>> ETL_RECORDS = List.of(
            Map.entry("a", "{\"timestamp\":\"2025-07-15T10:00:00\",\"id\":12,\"user_id\":1,\"status\":\"active\",\"amount\":10.5}"),
            Map.entry("b", "{\"timestamp\":\"2025-07-15T10:00:01\",\"id\":7,\"user_id\":2,\"status\":\"inactive\",\"amount\":3.0}"),
            Map.entry("c", "not json"),
            Map.entry("d", "{\"timestamp\":\"2025-07-15T10:00:02.250\",\"id\":3,\"user_id\":3,\"status\":\"active\",\"amount\":7.25}"),
            Map.entry("e", "{\"timestamp\":\"2025-07-15T10:00:03\",\"id\":4,\"user_id\":1,\"status\":\"active\"}"));

    @Test
    @Timeout(120)
    void etlInSqlGivesTheRowsKeysAndDeadLettersOfTheDataStreamApi() throws Exception {
        KAFKA.createTopic(ETL_TOPIC, 1);
        KAFKA.produce(ETL_TOPIC, ETL_RECORDS);
        ProcessingClock clock = ProcessingClock.fixed(PROCESSED_AT);

        Run sql = run(ETL_TOPIC, records -> KafkaEtl.etl(records, Api.SQL, clock, OutputMode.APPEND, Trigger.AVAILABLE_NOW));
        Run dataStream = run(ETL_TOPIC, records -> KafkaEtl.etl(records, Api.DATASTREAM, clock, OutputMode.APPEND,
                Trigger.AVAILABLE_NOW));

        LocalDateTime processed = LocalDateTime.of(2025, 7, 15, 15, 0);
        // Keyed by id, zero-padded: id 3 before id 12.
        assertThat(sql.rows()).containsExactly(
                new Change("0000000000000000003", List.of(LocalDateTime.of(2025, 7, 15, 10, 0, 2, 250_000_000), 3L, 3,
                        "active", 7.25, processed)),
                new Change("0000000000000000012", List.of(LocalDateTime.of(2025, 7, 15, 10, 0), 12L, 1, "active", 10.5,
                        processed)));
        assertThat(sql.deadLetters()).extracting(DeadLetter::line, DeadLetter::record).containsExactly(
                tuple(2L, "not json"), tuple(4L, ETL_RECORDS.get(4).getValue()));
        assertThat(sql).isEqualTo(dataStream);
        assertThat(sql.recordsRead()).isEqualTo(5L);
    }

    @Test
    @Timeout(120)
    void etlOfTheUsersValuesInSqlGivesTheRowsOfItsWhereAsTheDataStreamApi() throws Exception {
        String topic = "etl-apis-values";
        KAFKA.createTopic(topic, 1);
        KAFKA.produce(topic, List.of(
                Map.entry("a", "{\"read_at\":\"2024-01-15T10:00:00\",\"device\":{\"id\":7,\"country\":\"DE\"},\"celsius\":21.5,\"ok\":true}"),
                Map.entry("b", "{\"read_at\":\"2024-01-15T10:00:05\",\"device\":{\"id\":8,\"country\":\"FR\"},\"celsius\":\"warm\",\"ok\":true}"),
                Map.entry("c", "{\"read_at\":\"2024-01-15T10:00:09\",\"device\":{\"id\":9,\"country\":\"DE\"},\"celsius\":-3.0,\"ok\":false}"),
                Map.entry("d", "{\"read_at\":\"2024-01-15T10:00:12\",\"device\":null,\"celsius\":4.0,\"ok\":true}")));
        RowSchema schema = SchemaDdl.parse("read_at TIMESTAMP, device STRUCT<id: INT, country: STRING>, "
                + "celsius DECIMAL(4,1), ok BOOLEAN");
        ReaderOptions reader = ReaderOptions.of(ReaderOptions.Format.JSON, schema);
        RowFilter where = RowFilter.parse("ok=true", schema);
        ProcessingClock clock = ProcessingClock.fixed(PROCESSED_AT);

        Run sql = run(topic, records -> KafkaEtl.etl(records, reader, where, Api.SQL, clock, OutputMode.APPEND,
                Trigger.AVAILABLE_NOW));
        Run dataStream = run(topic, records -> KafkaEtl.etl(records, reader, where, Api.DATASTREAM, clock,
                OutputMode.APPEND, Trigger.AVAILABLE_NOW));

        LocalDateTime processed = LocalDateTime.of(2025, 7, 15, 15, 0);
        assertThat(sql.rows()).containsExactly(
                new Change(new SourceLine("kafka:" + topic + "/0", 0, "").orderKey(), List.of(
                        LocalDateTime.of(2024, 1, 15, 10, 0), Row.of(7, "DE"), new BigDecimal("21.5"), true, processed)),
                new Change(new SourceLine("kafka:" + topic + "/0", 3, "").orderKey(), Arrays.asList(
                        LocalDateTime.of(2024, 1, 15, 10, 0, 12), null, new BigDecimal("4.0"), true, processed)));
        assertThat(sql.deadLetters()).extracting(DeadLetter::line).containsExactly(1L);
        assertThat(sql).isEqualTo(dataStream);
        assertThat(KafkaEtl.sqlQuery(schema, where)).isEqualTo("""
                SELECT `read_at`, `device`, `celsius`, `ok`, processing_clock() AS processed_time, _order_key
                FROM records
                WHERE `ok` IN (true)""");
        assertThat(KafkaEtl.sqlQuery(schema, RowFilter.ALL)).doesNotContain("WHERE");
    }

    @Test
    @Timeout(120)
    void readInSqlGivesTheRecordsAndKeysOfTheDataStreamApiAndCountsThem() throws Exception {
        String topic = "read-apis";
        KAFKA.createTopic(topic, 1);
        long written = 1_752_573_600_123L; // 2025-07-15 10:00:00.123
        KAFKA.produce(topic, written, List.of(Map.entry("u1", "{\"event\":\"view\"}"),
                new AbstractMap.SimpleEntry<>(null, "no key"), Map.entry("u2", "")));

        Run sql = run(topic, records -> PatternOutputs.withoutDeadLetters(
                KafkaRead.sql(records, OutputMode.APPEND, Trigger.AVAILABLE_NOW)));
        Run dataStream = run(topic, records -> PatternOutputs.withoutDeadLetters(
                KafkaRead.records(records, OutputMode.APPEND, Trigger.AVAILABLE_NOW)));

        LocalDateTime timestamp = LocalDateTime.of(2025, 7, 15, 10, 0, 0, 123_000_000);
        String position = topic + "\u0000000000\u0000";
        assertThat(sql.rows()).containsExactly(
                new Change(position + "0000000000000000000", List.of("u1", "{\"event\":\"view\"}", topic, 0, 0L, timestamp)),
                new Change(position + "0000000000000000001", Arrays.asList(null, "no key", topic, 0, 1L, timestamp)),
                new Change(position + "0000000000000000002", List.of("u2", "", topic, 0, 2L, timestamp)));
        assertThat(sql).isEqualTo(dataStream);
        assertThat(sql.recordsRead()).isEqualTo(3L);
        assertThat(KafkaRead.SCHEMA.names()).containsExactly("key", "value", "topic", "partition", "offset", "timestamp");
    }

    private static <T> List<T> drain(CloseableIterator<T> iterator) throws Exception {
        List<T> all = new ArrayList<>();
        iterator.forEachRemaining(all::add);
        iterator.close();
        return all;
    }
}
