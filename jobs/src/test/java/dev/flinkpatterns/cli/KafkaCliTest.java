package dev.flinkpatterns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.run.ExecutionRuntime;
import dev.flinkpatterns.testing.Await;
import dev.flinkpatterns.testing.CapturedRun;
import dev.flinkpatterns.testing.FlinkTests;
import dev.flinkpatterns.testing.KafkaTests;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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
                + "\"partition\":0,\"offset\":0,\"timestamp\":\"");
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

    /** A topic that does not exist yet is created first: every row arrives, none waits out the delivery timeout. */
    @Test
    void generateKafkaCreatesAMissingTopicAndSendsEveryRow() throws Exception {
        CapturedRun run = CapturedRun.onContext("generate", "kafka", "--topic", "cli-gen-new", "--bootstrap-servers",
                KAFKA.bootstrapServers(), "--files", "2", "--rows", "3", "--interval", "0s", "--seed", "42",
                "--start-time", "2025-07-15T15:03:00");

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("sent 3 rows to cli-gen-new (1/2)\nsent 3 rows to cli-gen-new (2/2)\n");
        assertThat(KAFKA.readCommitted("cli-gen-new", 6, Duration.ofSeconds(30))).hasSize(6);
    }

    @Test
    void generateKafkaToATopicThatCannotBeCreatedSaysWhy() {
        CapturedRun run = CapturedRun.onContext("generate", "kafka", "--topic", "no spaces allowed", "--bootstrap-servers",
                KAFKA.bootstrapServers(), "--files", "1", "--rows", "1", "--interval", "0s");

        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("patterns: Topic name is invalid: 'no spaces allowed' contains one or more"
                + " characters other than ASCII alphanumerics, '.', '_' and '-' (InvalidTopicException)\n");
        assertThat(run.exitCode()).isEqualTo(1);
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
        ExecutionRuntime checkpointing = withSettings(Map.of("execution.checkpointing.interval", "10s",
                "execution.checkpointing.timeout", "5min", "restart-strategy.type", "exponential-delay"));
        CapturedRun tooLong = CapturedRun.of(checkpointing, concat(common, "--transaction-timeout", "20m"));
        tooLong.assertOneLineError("patterns kafka-read: --transaction-timeout 1200s exceeds the broker's"
                + " transaction.max.timeout.ms (900s): the Kafka producer would not start; lower it or raise the broker's"
                + " maximum (see 'patterns kafka-read --help')");
        // 10s interval + 5m checkpoint timeout + exponential delay's 1m max backoff with 10 % jitter (66s) = 376s
        CapturedRun tooShort = CapturedRun.of(checkpointing, concat(common, "--transaction-timeout", "6m"));
        tooShort.assertOneLineError("patterns kafka-read: --transaction-timeout 6m is too short: a transaction can stay"
                + " open for a checkpoint interval (10s) + the checkpoint timeout (5m) + the longest restart delay (66s)"
                + " = 376s, and one the broker aborts first loses its rows; give more, or lower"
                + " execution.checkpointing.timeout or the restart-strategy delay (see 'patterns kafka-read --help')");
    }

    @Test
    void aTransactionTimeoutBelowTheCheckpointTimeoutPlusTheRestartDelayIsRefused() throws Exception {
        KAFKA.createTopic("cli-timeout-in", 1);
        // 2 minutes: more than 2 checkpoint intervals + 1 minute (what was checked before), less than 10s + 5m + 10s
        CapturedRun run = CapturedRun.of(withSettings(Map.of("execution.checkpointing.interval", "10s",
                        "execution.checkpointing.timeout", "5min", "restart-strategy.type", "fixed-delay",
                        "restart-strategy.fixed-delay.delay", "10s")),
                "kafka-read", "--bootstrap-servers", KAFKA.bootstrapServers(), "--subscribe", "cli-timeout-in",
                "--starting-offsets", "earliest", "--trigger", "available-now", "--sink", "kafka",
                "--output-topic", "cli-timeout-out", "--transaction-timeout", "2m", "--output", tmp.toString(),
                "--checkpoint-dir", tmp.resolve("checkpoints").toString());

        run.assertOneLineError("patterns kafka-read: --transaction-timeout 2m is too short: a transaction can stay"
                + " open for a checkpoint interval (10s) + the checkpoint timeout (5m) + the longest restart delay (10s)"
                + " = 320s, and one the broker aborts first loses its rows; give more, or lower"
                + " execution.checkpointing.timeout or the restart-strategy delay (see 'patterns kafka-read --help')");
    }

    @Test
    @Timeout(60)
    void exactlyOnceOnAnUnboundedInputWithoutCheckpointsIsRefused() {
        // The test cluster does not checkpoint: the transactions would never commit.
        CapturedRun.onContext("kafka-read", "--bootstrap-servers", KAFKA.bootstrapServers(), "--subscribe",
                        "cli-unbounded-in", "--sink", "kafka", "--output-topic", "cli-unbounded-out",
                        "--output", tmp.toString(), "--checkpoint-dir", tmp.toString())
                .assertOneLineError("patterns kafka-read: --delivery exactly-once commits with each checkpoint, and"
                        + " checkpointing is off (execution.checkpointing.interval): turn it on, or use --delivery"
                        + " at-least-once (see 'patterns kafka-read --help')");
    }

    /**
     * Two exactly-once runs of one pattern into one topic at the same time, the second started while the first
     * has a transaction open: with one transactional-id prefix for both, the second fences the first's producer and
     * aborts its transaction. Each run must commit every one of its records, once.
     */
    @Test
    @Timeout(120)
    void twoConcurrentExactlyOnceRunsIntoOneTopicBothCommitEveryRecord() throws Exception {
        int records = 1500;
        for (String run : List.of("a", "b")) {
            KAFKA.createTopic("cli-concurrent-" + run, 1);
            KAFKA.produce("cli-concurrent-" + run, java.util.stream.IntStream.range(0, records)
                    .mapToObj(i -> Map.entry(run, run + "-" + i)).toList());
        }
        ExecutorService runs = Executors.newFixedThreadPool(2);
        try {
            Future<Integer> first = runs.submit(() -> concurrentRun("a"));
            Await.until("an open transaction of the first run", Duration.ofSeconds(60),
                    () -> !KAFKA.openTransactions("kafka-read-cli-concurrent-out").isEmpty());
            Future<Integer> second = runs.submit(() -> concurrentRun("b"));

            assertThat(first.get(90, TimeUnit.SECONDS)).isZero();
            assertThat(second.get(90, TimeUnit.SECONDS)).isZero();
        } finally {
            runs.shutdownNow();
        }
        List<String> values = KAFKA.readCommitted("cli-concurrent-out", 2 * records, Duration.ofSeconds(60)).stream()
                .map(ConsumerRecord::value).toList();
        List<String> expected = java.util.stream.Stream.of("a", "b")
                .flatMap(run -> java.util.stream.IntStream.range(0, records).mapToObj(i -> run + "-" + i)).toList();
        assertThat(values).hasSize(2 * records).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(KAFKA.openTransactions("kafka-read-cli-concurrent-out")).isEmpty();
    }

    /** One run of the concurrent test, slowed down (5 s or more) so that the two runs overlap. */
    private int concurrentRun(String run) {
        // Not CapturedRun: it redirects System.out, which two runs at once would leave redirected.
        java.io.PrintStream discard = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
        return PatternsCli.run(new String[] {"kafka-read", "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--subscribe", "cli-concurrent-" + run, "--starting-offsets", "earliest", "--trigger", "available-now",
                "--max-rows-per-second", "250", "--parallelism", "1", "--sink", "kafka", "--output-topic",
                "cli-concurrent-out", "--kafka-value", "value", "--progress-interval", "0s",
                "--output", tmp.resolve(run).toString(), "--checkpoint-dir", tmp.resolve(run + "-checkpoints").toString()},
                ExecutionRuntime.CONTEXT, discard, discard);
    }

    /** The test cluster, with these job settings added to every job (as a cluster's config.yaml would). */
    private static ExecutionRuntime withSettings(Map<String, String> settings) {
        Configuration extra = Configuration.fromMap(settings);
        return new ExecutionRuntime() {
            @Override
            public StreamExecutionEnvironment environment(Configuration jobSettings, java.io.PrintStream out) {
                Configuration all = new Configuration(extra);
                all.addAll(jobSettings);
                return CONTEXT.environment(all, out);
            }

            @Override
            public boolean isEmbedded() {
                return false;
            }
        };
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
