package dev.flinkpatterns.runtime;

import dev.flinkpatterns.core.Durations;
import dev.flinkpatterns.io.Kafka;
import dev.flinkpatterns.io.KafkaRecord;
import dev.flinkpatterns.io.KafkaSettings;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.io.SourceLine;
import dev.flinkpatterns.parse.ParseOrDeadLetter;
import dev.flinkpatterns.parse.RowJsonParser;
import dev.flinkpatterns.services.KafkaBroker;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;
import org.apache.flink.util.FileUtils;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code ./patterns benchmark latency}: end-to-end latency of Kafka → parse (JSON), filter and keyed state
 * (RocksDB) → Kafka on the embedded runtime, at a fixed input rate. A producer writes each event with the time it
 * sent it; a consumer (read_committed) takes consume time − send time for every output record. Everything runs in
 * this JVM, so both times come from the same {@link System#nanoTime()} clock. Prints figures; it is not a test.
 */
public final class LatencyBenchmark {

    static final String INPUT_TOPIC = "latency-in";
    static final String OUTPUT_TOPIC = "latency-out";

    /** The events: what kafka-etl reads, plus the producer's send time. */
    static final RowSchema SCHEMA = RowSchema.of(
            RowSchema.Column.required("id", RowSchema.Type.LONG),
            RowSchema.Column.required("user_id", RowSchema.Type.INT),
            RowSchema.Column.required("status", RowSchema.Type.STRING),
            RowSchema.Column.required("amount", RowSchema.Type.DOUBLE),
            RowSchema.Column.required("sent_nanos", RowSchema.Type.LONG));

    private static final int USER_ID = SCHEMA.indexOf("user_id");
    private static final int STATUS = SCHEMA.indexOf("status");
    private static final int SENT_NANOS = SCHEMA.indexOf("sent_nanos");

    private LatencyBenchmark() {}

    /**
     * Parse (dead letters counted and dropped), keep {@code status == active}, and count the events of each user in
     * keyed state: one output line {@code sent_nanos,user_id,count} per active event.
     */
    public static DataStream<String> runningCountPerUser(DataStream<KafkaRecord> records) {
        DataStream<SourceLine> values = KafkaRecord.lines(records);
        var parsed = ParseOrDeadLetter.parse(values, new RowJsonParser(SCHEMA), SCHEMA.rowType());
        return parsed.records()
                .filter(row -> "active".equals(row.getField(STATUS)))
                .setParallelism(values.getParallelism())
                .name("status == active")
                .uid("active")
                .keyBy(row -> (Integer) row.getField(USER_ID), Types.INT)
                .process(new CountPerUser())
                .name("running count per user")
                .uid("count-per-user");
    }

    /** The running count of a user's events, in keyed state. */
    static final class CountPerUser extends KeyedProcessFunction<Integer, Row, String> {
        private transient ValueState<Long> count;

        @Override
        public void open(OpenContext openContext) {
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
        }

        @Override
        public void processElement(Row row, Context ctx, Collector<String> out) throws Exception {
            Long previous = count.value();
            long now = previous == null ? 1 : previous + 1;
            count.update(now);
            out.collect(row.getField(SENT_NANOS) + "," + ctx.getCurrentKey() + "," + now);
        }
    }

    /** Output lines as Kafka record values, without a key. */
    private static final class ValueOnly implements Kafka.KeyValue<String> {
        @Override
        public String key(String line) {
            return null;
        }

        @Override
        public String value(String line) {
            return line;
        }
    }

    public static void main(String[] args) throws Exception {
        int exit;
        try {
            exit = run(LatencyOptions.parse(args), System.out);
        } catch (dev.flinkpatterns.core.UsageException e) {
            System.err.println("benchmark latency: " + e.getMessage());
            exit = 2;
        }
        System.exit(exit); // MiniCluster and Kafka threads must not keep the JVM alive
    }

    static int run(LatencyOptions options, PrintStream out) throws Exception {
        Path kafkaDir = Files.createTempDirectory("latency-kafka");
        Set<Long> threadsBeforeBroker = ThreadCpu.now().threadIds();
        KafkaBroker broker = KafkaBroker.start(kafkaDir, 0);
        EmbeddedRuntime runtime = new EmbeddedRuntime(Path.of(System.getProperty("patterns.conf.dir", "conf")));
        try {
            String bootstrap = broker.bootstrapServers();
            Kafka.createTopicsIfMissing(bootstrap, List.of(new NewTopic(INPUT_TOPIC, options.parallelism, (short) 1),
                    new NewTopic(OUTPUT_TOPIC, options.parallelism, (short) 1)));
            Set<Long> brokerThreads = new HashSet<>(ThreadCpu.now().threadIds());
            brokerThreads.removeAll(threadsBeforeBroker);
            StreamExecutionEnvironment env = runtime.environment(jobSettings(options), out);
            env.setParallelism(options.parallelism);
            KafkaSettings settings = new KafkaSettings(bootstrap, List.of(INPUT_TOPIC), null, "earliest",
                    "latency-benchmark", true, BATCHING, KafkaSettings.DEFAULT_TRANSACTION_TIMEOUT);
            DataStream<KafkaRecord> records = env.fromSource(Kafka.source(settings, false), WatermarkStrategy.noWatermarks(),
                    "kafka " + INPUT_TOPIC).uid("kafka-source");
            runningCountPerUser(records).sinkTo(Kafka.sink(settings, OUTPUT_TOPIC, options.deliveryGuarantee(),
                    "latency-benchmark-" + UUID.randomUUID(), new ValueOnly())).name("kafka " + OUTPUT_TOPIC).uid("kafka-sink");
            JobClient job = env.executeAsync("latency benchmark");
            try {
                awaitRunning(job);
                return measure(options, bootstrap, brokerThreads, out);
            } finally {
                job.cancel().get(60, TimeUnit.SECONDS);
            }
        } finally {
            broker.close();
            FileUtils.deleteDirectoryQuietly(kafkaDir.toFile());
            runtime.removeWorkingDirectory();
        }
    }

    static Configuration jobSettings(LatencyOptions options) {
        Configuration settings = new Configuration();
        settings.setString("rest.port", Integer.toString(options.webUiPort));
        settings.setString("parallelism.default", Integer.toString(options.parallelism));
        settings.setString("execution.checkpointing.interval", options.checkpointInterval().toMillis() + " ms");
        // conf/config.yaml's 2 s pause between checkpoints would stretch a 1 s interval to 3 s.
        settings.setString("execution.checkpointing.min-pause", "0 ms");
        settings.setString("execution.checkpointing.externalized-checkpoint-retention", "DELETE_ON_CANCELLATION");
        settings.setString("execution.buffer-timeout.interval", options.bufferTimeout().toMillis() + " ms");
        // At-least-once output needs no aligned barriers: a subtask does not hold back one input while it waits
        // for the barrier on the other, which is where a checkpoint shows in the latency tail.
        settings.setString("state.backend.type", options.stateBackend());
        settings.setString("execution.checkpointing.mode",
                options.deliveryGuarantee() == DeliveryGuarantee.EXACTLY_ONCE ? "EXACTLY_ONCE" : "AT_LEAST_ONCE");
        return settings;
    }

    private static int measure(LatencyOptions options, String bootstrap, Set<Long> brokerThreads, PrintStream out)
            throws Exception {
        long warmUpNanos = TimeUnit.SECONDS.toNanos(options.warmUpSeconds);
        long measuredNanos = TimeUnit.SECONDS.toNanos(options.seconds);
        LatencyConsumer consumer = new LatencyConsumer(bootstrap, options.parallelism);
        Thread consuming = new Thread(consumer, CONSUMER_THREAD);
        consuming.start();
        long start = System.nanoTime();
        long measureFrom = start + warmUpNanos;
        long measureUntil = measureFrom + measuredNanos;
        consumer.window(measureFrom, measureUntil);
        out.printf("Producing %d events/s: %d s warm-up, then %d s measured (%s, checkpoints every %s)...%n",
                options.rate, options.warmUpSeconds, options.seconds, options.delivery, Durations.format(options.checkpointInterval()));
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        double loadBefore = os.getSystemLoadAverage();
        long cpuBefore = os.getProcessCpuTime();
        ThreadCpu threadsBefore = ThreadCpu.now();
        long producerThread = Thread.currentThread().getId();
        long[] produced = produce(bootstrap, options, start, measureFrom, measureUntil);
        // What else ran: on a shared machine the figures depend on it.
        long elapsed = System.nanoTime() - start;
        double coresUsed = (os.getProcessCpuTime() - cpuBefore) / (double) elapsed;
        Map<String, Double> coresByOwner = ThreadCpu.now().coresSince(threadsBefore, elapsed,
                (id, name) -> owner(id, name, brokerThreads, producerThread));
        double loadAfter = os.getSystemLoadAverage();
        long expected = produced[1];
        // Let the last measured events through: with exactly-once they show at the next checkpoint's commit.
        long drainUntil = System.nanoTime() + options.checkpointInterval().multipliedBy(3).plusSeconds(10).toNanos();
        while (consumer.received() < expected && System.nanoTime() < drainUntil) {
            Thread.sleep(50); // polling the consumer's count, not a test race
        }
        consumer.stop();
        consuming.join(10_000);
        long[] latencies = consumer.latencies();
        Arrays.sort(latencies);
        double achievedRate = produced[0] / (measuredNanos / 1e9);
        out.printf("%-14s %10s %10s %10s %10s %9s %9s %9s %9s%n", "delivery", "checkpoint", "target/s", "achieved/s",
                "outputs", "p50 ms", "p99 ms", "p99.9 ms", "max ms");
        out.printf("%-14s %10s %10d %10.0f %10s %9s %9s %9s %9s%n", options.delivery, Durations.format(options.checkpointInterval()),
                options.rate, achievedRate, latencies.length + "/" + expected, millis(latencies, 0.50), millis(latencies, 0.99),
                millis(latencies, 0.999), millis(latencies, 1.0));
        // Steady backlog or a few stalls: the worst latency of each measured second tells them apart.
        StringBuilder worst = new StringBuilder("Worst latency of each measured second, ms:");
        for (int second = 0; second < options.seconds; second++) {
            worst.append(' ').append(consumer.worstPerSecond()[second] / 1_000_000);
        }
        out.println(worst);
        out.printf("This JVM (Kafka broker, producer, job, consumer) used %.2f of %d cores; machine load average %.1f before, %.1f after.%n",
                coresUsed, os.getAvailableProcessors(), loadBefore, loadAfter);
        out.println("Cores used, by thread: " + OWNERS.stream()
                .map(owner -> String.format("%s %.2f", owner, coresByOwner.getOrDefault(owner, 0.0)))
                .collect(Collectors.joining(", ")) + String.format(", the JVM itself (JIT compilers, GC) %.2f.",
                coresUsed - coresByOwner.values().stream().mapToDouble(Double::doubleValue).sum()));
        return latencies.length == 0 ? 1 : 0;
    }

    private static final String PRODUCER_CLIENT_ID = "latency-benchmark-producer";
    /**
     * Every Kafka client of the benchmark (producer, the job's source and sink, consumer) waits up to 2 ms to fill a
     * request: without it each record is a request of its own, and the broker took a third of the two cores.
     */
    static final Properties BATCHING = new Properties();
    static {
        BATCHING.setProperty("linger.ms", "2");
        BATCHING.setProperty("fetch.min.bytes", "65536");
        BATCHING.setProperty("fetch.max.wait.ms", "2");
    }
    private static final String CONSUMER_THREAD = "latency-consumer";
    private static final List<String> OWNERS = List.of("job", "Kafka broker", "producer", "consumer");

    /**
     * Whose work a thread does: the broker's threads are those its start created; the producer is this thread (the
     * send loop) and its client's network thread; the job is every other thread: Flink's, and its Kafka clients'.
     */
    static String owner(long id, String name, Set<Long> brokerThreads, long producerThread) {
        if (brokerThreads.contains(id)) {
            return "Kafka broker";
        }
        if (id == producerThread || name.endsWith("| " + PRODUCER_CLIENT_ID)) {
            return "producer";
        }
        return name.equals(CONSUMER_THREAD) ? "consumer" : "job";
    }

    /** The {@code p} quantile (nearest rank) in milliseconds. */
    static String millis(long[] sortedNanos, double p) {
        if (sortedNanos.length == 0) {
            return "-";
        }
        int rank = (int) Math.ceil(p * sortedNanos.length);
        return String.format("%.1f", sortedNanos[Math.max(0, rank - 1)] / 1e6);
    }

    /**
     * Sends {@code options.rate} events per second until {@code measureUntil}; returns the events sent in the
     * measured window and how many of them are active (each gives one output record).
     */
    private static long[] produce(String bootstrap, LatencyOptions options, long start, long measureFrom, long measureUntil) {
        Properties properties = new Properties();
        properties.setProperty("bootstrap.servers", bootstrap);
        properties.setProperty("client.id", PRODUCER_CLIENT_ID);
        properties.putAll(BATCHING);
        long measured = 0;
        long measuredActive = 0;
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer())) {
            StringBuilder value = new StringBuilder(128);
            for (long id = 0; ; id++) {
                long due = start + (long) (id * 1e9 / options.rate);
                long now = System.nanoTime();
                if (due >= measureUntil) {
                    break;
                }
                if (due > now) {
                    LockSupport.parkNanos(due - now);
                }
                boolean active = id % 10 != 0;
                value.setLength(0);
                long sent = System.nanoTime();
                value.append("{\"id\":").append(id).append(",\"user_id\":").append(id % options.users)
                        .append(",\"status\":\"").append(active ? "active" : "inactive")
                        .append("\",\"amount\":").append(id % 1000).append(".5,\"sent_nanos\":").append(sent).append('}');
                producer.send(new ProducerRecord<>(INPUT_TOPIC, value.toString()));
                if (sent >= measureFrom && sent < measureUntil) {
                    measured++;
                    if (active) {
                        measuredActive++;
                    }
                }
            }
        }
        return new long[] {measured, measuredActive};
    }

    /** Reads the output topic (committed records only) and keeps the latency of each record sent in the window. */
    private static final class LatencyConsumer implements Runnable {
        private final KafkaConsumer<String, String> consumer;
        private final List<TopicPartition> partitions = new ArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong received = new AtomicLong();
        private volatile long measureFrom = Long.MAX_VALUE;
        private volatile long measureUntil = Long.MIN_VALUE;
        private long[] latencies = new long[1 << 20];
        private int count;
        private volatile long[] worstPerSecond = new long[0];

        LatencyConsumer(String bootstrap, int partitionCount) {
            Properties properties = new Properties();
            properties.setProperty("bootstrap.servers", bootstrap);
            properties.setProperty("isolation.level", "read_committed");
            properties.setProperty("enable.auto.commit", "false");
            properties.putAll(BATCHING);
            consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer());
            for (int p = 0; p < partitionCount; p++) {
                partitions.add(new TopicPartition(OUTPUT_TOPIC, p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        void window(long from, long until) {
            worstPerSecond = new long[(int) ((until - from) / 1_000_000_000L) + 1];
            measureFrom = from;
            measureUntil = until;
        }

        /** After the consuming thread ended: the highest latency of the events sent in each measured second. */
        long[] worstPerSecond() {
            return worstPerSecond;
        }

        @Override
        public void run() {
            try {
                while (running.get()) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                        long now = System.nanoTime();
                        String value = record.value();
                        long sent = Long.parseLong(value, 0, value.indexOf(','), 10);
                        if (sent >= measureFrom && sent < measureUntil) {
                            add(now - sent);
                            int second = (int) ((sent - measureFrom) / 1_000_000_000L);
                            worstPerSecond[second] = Math.max(worstPerSecond[second], now - sent);
                        }
                    }
                }
            } finally {
                consumer.close();
            }
        }

        private void add(long latency) {
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = latency;
            received.set(count);
        }

        long received() {
            return received.get();
        }

        void stop() {
            running.set(false);
        }

        /** After the consuming thread ended. */
        long[] latencies() {
            return Arrays.copyOf(latencies, count);
        }
    }

    private static void awaitRunning(JobClient job) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (job.getJobStatus().get(10, TimeUnit.SECONDS) != JobStatus.RUNNING) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the latency benchmark's job did not start within 60 s");
            }
            Thread.sleep(100); // polling the job's status
        }
    }
}
