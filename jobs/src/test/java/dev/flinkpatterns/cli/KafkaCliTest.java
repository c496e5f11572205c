package dev.flinkpatterns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.testing.CapturedRun;
import dev.flinkpatterns.testing.FlinkTests;
import dev.flinkpatterns.testing.KafkaTests;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** kafka-read and --sink kafka through the CLI, against a real broker. */
class KafkaCliTest {

    @RegisterExtension
    @Order(1)
    static final KafkaTests KAFKA = new KafkaTests();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    @TempDir
    Path tmp;

    @Test
    void kafkaReadShowsTheRecordsOfATopicAsSparksKafkaSourceDoes() throws Exception {
        KAFKA.createTopic("cli-read", 1);
        KAFKA.produce("cli-read", List.of(Map.entry("u1", "{\"event\":\"view\"}"), Map.entry("u2", "{\"event\":\"login\"}")));

        CapturedRun run = CapturedRun.onContext("kafka-read", "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--subscribe", "cli-read", "--starting-offsets", "earliest", "--trigger", "available-now",
                "--output", tmp.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        List<String> rows = run.out().lines().filter(line -> line.startsWith("|")).toList();
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0)).isEqualTo("|key|            value|   topic|partition|offset|           timestamp|");
        assertThat(rows.get(1)).startsWith("| u1| {\"event\":\"view\"}|cli-read|        0|     0|");
        assertThat(rows.get(2)).startsWith("| u2|{\"event\":\"login\"}|cli-read|        0|     1|");
    }

    @Test
    void sinkKafkaCopiesKeyAndValueExactlyOnce() throws Exception {
        KAFKA.createTopic("cli-copy-in", 2);
        KAFKA.produce("cli-copy-in", List.of(Map.entry("a", "1"), Map.entry("b", "2"), Map.entry("a", "3")));

        CapturedRun run = CapturedRun.onContext("kafka-read", "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--subscribe", "cli-copy-in", "--starting-offsets", "earliest", "--trigger", "available-now",
                "--sink", "kafka", "--output-topic", "cli-copy-out", "--kafka-key", "key", "--kafka-value", "value",
                "--output", tmp.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        List<ConsumerRecord<String, String>> copied = KAFKA.readCommitted("cli-copy-out", 3, Duration.ofSeconds(30));
        assertThat(copied).extracting(record -> record.key() + "=" + record.value())
                .containsExactlyInAnyOrder("a=1", "b=2", "a=3");
    }

    @Test
    void sinkKafkaWritesTheWholeRowAsJsonByDefault() throws Exception {
        KAFKA.createTopic("cli-json-in", 1);
        KAFKA.produce("cli-json-in", List.of(Map.entry("k", "v")));

        CapturedRun run = CapturedRun.onContext("kafka-read", "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--subscribe", "cli-json-in", "--starting-offsets", "earliest", "--trigger", "available-now",
                "--sink", "kafka", "--output-topic", "cli-json-out", "--delivery", "at-least-once",
                "--output", tmp.toString());

        assertThat(run.exitCode()).isZero();
        List<ConsumerRecord<String, String>> written = KAFKA.readCommitted("cli-json-out", 1, Duration.ofSeconds(30));
        assertThat(written).hasSize(1);
        assertThat(written.get(0).key()).isNull();
        assertThat(written.get(0).value()).startsWith("{\"key\":\"k\",\"value\":\"v\",\"topic\":\"cli-json-in\","
                + "\"partition\":\"0\",\"offset\":\"0\",\"timestamp\":\"");
    }

    @Test
    void generateKafkaSendsTheGeneratorsRowsOneRecordEach() throws Exception {
        KAFKA.createTopic("cli-gen", 2);
        CapturedRun run = CapturedRun.onContext("generate", "kafka", "--topic", "cli-gen", "--bootstrap-servers",
                KAFKA.bootstrapServers(), "--files", "2", "--rows", "5", "--interval", "0s", "--seed", "7",
                "--start-time", "2025-07-15T10:00:00");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("sent 5 rows to cli-gen (1/2)\nsent 5 rows to cli-gen (2/2)\n");
        List<ConsumerRecord<String, String>> sent = KAFKA.readCommitted("cli-gen", 10, Duration.ofSeconds(30));
        assertThat(sent).hasSize(10);
        assertThat(sent).allSatisfy(record -> {
            assertThat(record.key()).isNull();
            assertThat(record.value()).matches("2025-07-15T10:00:00\\.\\d{6},\\d+,(login|logout|view|purchase)");
        });
    }

    @Test
    void windowAggCountsEventsReadFromKafka() throws Exception {
        KAFKA.createTopic("cli-events", 1);
        KAFKA.produce("cli-events", List.of(
                Map.entry("1", "2025-07-15T10:00:05,1,view"), Map.entry("2", "2025-07-15T10:00:30,2,view"),
                Map.entry("1", "2025-07-15T10:00:50,1,login"), Map.entry("3", "2025-07-15T10:01:05,3,view"),
                Map.entry("x", "not,a,row"), Map.entry("1", "2025-07-15T10:01:20,1,view")));

        CapturedRun run = CapturedRun.onContext("window-agg", "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--subscribe", "cli-events", "--starting-offsets", "earliest", "--trigger", "available-now",
                "--window", "1m", "--watermark", "10s", "--output", tmp.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).contains("""
                +-------------------+-------------------+-----+-----+--------------------+
                |       window_start|         window_end|event|count|count(DISTINCT us...|
                +-------------------+-------------------+-----+-----+--------------------+
                |2025-07-15 10:00:00|2025-07-15 10:01:00|login|    1|                   1|
                |2025-07-15 10:00:00|2025-07-15 10:01:00| view|    2|                   2|
                |2025-07-15 10:01:00|2025-07-15 10:02:00| view|    2|                   2|
                +-------------------+-------------------+-----+-----+--------------------+
                """);
        assertThat(run.out()).contains("Dead letters: 1 malformed record(s)");
    }

    @Test
    void aTransactionTimeoutThatCannotWorkIsRefusedAtStart() {
        String[] common = {"kafka-read", "--bootstrap-servers", KAFKA.bootstrapServers(), "--subscribe", "t",
                "--sink", "kafka", "--output-topic", "out", "--output", tmp.toString(), "--checkpoint-dir", tmp.toString()};
        CapturedRun tooLong = CapturedRun.onContext(concat(common, "--transaction-timeout", "20m"));
        tooLong.assertOneLineError("patterns kafka-read: --transaction-timeout 1200s exceeds the broker's"
                + " transaction.max.timeout.ms (900s): the Kafka producer would not start; lower it or raise the broker's"
                + " maximum (see 'patterns kafka-read --help')");
        CapturedRun tooShort = CapturedRun.onContext(concat(common, "--transaction-timeout", "30s"));
        assertThat(tooShort.exitCode()).isEqualTo(2);
        assertThat(tooShort.err()).startsWith("patterns kafka-read: --transaction-timeout 30s is too short for checkpoints every ");
    }

    @Test
    void refusesWithOneLine() {
        CapturedRun.onContext("kafka-read", "--bootstrap-servers", KAFKA.bootstrapServers())
                .assertOneLineError("patterns kafka-read: give exactly one of --subscribe TOPICS and --subscribe-pattern REGEX"
                        + " (see 'patterns kafka-read --help')");
        CapturedRun.onContext("kafka-read", "--subscribe", "t", "--starting-offsets", "yesterday")
                .assertOneLineError("patterns kafka-read: --starting-offsets yesterday is not one of earliest, latest,"
                        + " committed or timestamp:EPOCH_MILLIS (see 'patterns kafka-read --help')");
        CapturedRun.onContext("kafka-read", "--subscribe", "t", "--kafka", "embedded")
                .assertOneLineError("patterns kafka-read: --kafka embedded runs only locally (./patterns); here give"
                        + " --bootstrap-servers (see 'patterns kafka-read --help')");
        CapturedRun.onContext("kafka-read", "--subscribe", "t", "--sink", "kafka")
                .assertOneLineError("patterns kafka-read: --sink kafka needs --output-topic TOPIC (see 'patterns kafka-read --help')");
        CapturedRun.onContext("kafka-read", "--bootstrap-servers", KAFKA.bootstrapServers(), "--subscribe", "missing",
                        "--trigger", "available-now")
                .assertOneLineError("patterns kafka-read: topic missing does not exist on " + KAFKA.bootstrapServers()
                        + " (see 'patterns kafka-read --help')");
        CapturedRun.onContext("kafka-read", "--bootstrap-servers", "localhost:1", "--subscribe", "t")
                .assertOneLineError("patterns kafka-read: cannot reach Kafka at localhost:1 (TimeoutException); start one"
                        + " with ./patterns kafka start, or use --kafka embedded (see 'patterns kafka-read --help')");
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }
}
