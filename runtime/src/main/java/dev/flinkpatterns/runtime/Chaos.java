package dev.flinkpatterns.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flinkpatterns.generator.BatchFileGenerator;
import dev.flinkpatterns.io.Kafka;
import dev.flinkpatterns.generator.EventCsvRows;
import dev.flinkpatterns.generator.GeneratorSettings;
import dev.flinkpatterns.services.EmbeddedPostgresServer;
import dev.flinkpatterns.services.KafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ConfigurationUtils;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code ./patterns chaos}: the failure scenarios of docs/reliability.md with real processes killed by SIGKILL
 * (kill -9). A standalone cluster (./patterns cluster, on free ports, 3 TaskManagers of one slot each: a job of
 * parallelism 2 runs on two, the third is a spare) loses a TaskManager that runs part of the job again and again:
 * the job restarts at once on the spare while a replacement starts through {@code add-taskmanager}, as an operator
 * would; local runs (./patterns, the embedded runtime) are killed whole and
 * resumed with {@code --resume-latest}. Each scenario compares what came out with what went in (or with an
 * uninterrupted run), prints {@code in, out, lost, duplicated, restarts}, and the suite exits 1 on any loss or
 * duplicate. Checkpoints every second, restarts after one (the suite's own config.yaml, derived from conf/).
 * Usage: {@code Chaos [scenario ...]}, default all of {@link #SCENARIOS}.
 */
public final class Chaos {

    static final List<String> SCENARIOS = List.of("kafka", "files-csv", "postgres-xa", "dedup-local", "window-agg-local",
            "window-agg-rescale");

    private static final Duration TIMEOUT = Duration.ofSeconds(150);
    private static final int KAFKA_RECORDS = 200_000;
    private static final int KAFKA_KILLS = 5;
    private static final Set<TransactionState> OPEN_TRANSACTION = Set.of(TransactionState.ONGOING,
            TransactionState.PREPARE_COMMIT, TransactionState.PREPARE_ABORT, TransactionState.PREPARE_EPOCH_FENCE);
    private static final int FILE_KILLS = 2;
    /** Input of the file scenarios: files of 500 events, one second of event time each. */
    private static final int FILES = 24;
    private static final int ROWS_PER_FILE = 500;
    private static final LocalDateTime START = LocalDateTime.parse("2026-01-01T10:00:00");
    /** The time of the last event, whose watermark closes every window of the rows before it. */
    private static final LocalDateTime FLUSH_TIME = START.plusMinutes(10);
    private static final String WINDOW_AGG = "window-agg --window 2s --watermark 10s --group-by event --distinct none --output-mode append";
    private static final String DEDUP = "dedup --key timestamp,user_id,event --watermark 10s";

    private final Path home;
    private final Path work;
    private final PrintStream report;
    private final ObjectMapper json = new ObjectMapper();
    private final RestJson rest = new RestJson();
    private final Random random = new Random();
    /** TaskManagers killed in the current scenario. */
    private int kills;
    private final ByteArrayOutputStream clusterOutput = new ByteArrayOutputStream();
    /** Starts the replacements of killed TaskManagers one after the other, while the job restarts on the spare. */
    private final ExecutorService replacements = Executors.newSingleThreadExecutor();
    private final List<Future<Integer>> pendingReplacements = new ArrayList<>();
    /** The output of the uninterrupted run of each pattern (the same generated input every time). */
    private final Map<String, List<String>> references = new HashMap<>();
    private ClusterService cluster;
    private int clusterRestPort;

    /** What a scenario saw. */
    record Outcome(String scenario, long in, long out, long lost, long duplicated, long restarts, String kills, String note) {
        boolean exact() {
            return lost == 0 && duplicated == 0 && note.isEmpty();
        }

        @Override
        public String toString() {
            return String.format("%-19s in %,9d  out %,9d  lost %,6d  duplicated %,6d  restarts %3d  %-28s %s%s", scenario, in,
                    out, lost, duplicated, restarts, kills, exact() ? "OK" : "FAILED", note.isEmpty() ? "" : " (" + note + ")");
        }
    }

    Chaos(Path home, Path work, PrintStream report) {
        this.home = home;
        this.work = work;
        this.report = report;
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(System.getProperty("patterns.home", ".")).toAbsolutePath().normalize();
        List<String> chosen = args.length == 0 ? SCENARIOS : List.of(args);
        for (String name : chosen) {
            if (!SCENARIOS.contains(name)) {
                System.err.println("patterns chaos: unknown scenario '" + name + "'; the scenarios: " + String.join(", ", SCENARIOS));
                System.exit(2);
            }
        }
        Chaos chaos = new Chaos(home, home.resolve("data/chaos"), System.out);
        System.exit(chaos.run(chosen));
    }

    int run(List<String> scenarios) throws Exception {
        long started = System.nanoTime();
        deleteRecursively(work);
        Files.createDirectories(work);
        writeConfiguration(work.resolve("conf-cluster"), 1);
        writeConfiguration(work.resolve("conf-local"), 2);
        report.println("Chaos suite: kill -9 of TaskManagers and of local runs; work directory " + home.relativize(work)
                + ", logs in " + home.relativize(work.resolve("log")));
        List<Outcome> outcomes = new ArrayList<>();
        try {
            for (String scenario : scenarios) {
                Outcome outcome;
                kills = 0;
                try {
                    outcome = switch (scenario) {
                        case "kafka" -> kafkaExactlyOnce();
                        case "files-csv" -> filesToCsv();
                        case "postgres-xa" -> filesToPostgres();
                        case "dedup-local" -> localKillAndResume("dedup-local", DEDUP, true);
                        case "window-agg-local" -> localKillAndResume("window-agg-local", WINDOW_AGG, false);
                        default -> savepointRescale();
                    };
                } catch (Exception | AssertionError e) {
                    outcome = new Outcome(scenario, 0, 0, 0, 0, 0, "", "error: " + e);
                }
                report.println(outcome);
                outcomes.add(outcome);
            }
        } finally {
            replacements.shutdownNow();
            if (cluster != null) {
                cluster.run(new String[] {"stop"});
            }
        }
        long failed = outcomes.stream().filter(o -> !o.exact()).count();
        report.printf("Chaos suite: %d of %d scenarios exact, in %d s%n", outcomes.size() - failed, outcomes.size(),
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
        return failed == 0 ? 0 : 1;
    }

    // ---------------------------------------------------------------- scenarios

    /** Kafka to Kafka exactly once through 5 TaskManager kills: read_committed sees every id once, no open transaction. */
    private Outcome kafkaExactlyOnce() throws Exception {
        ensureCluster();
        try (KafkaBroker broker = KafkaBroker.start(work.resolve("kafka"), 0);
                Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            Kafka.createTopicsIfMissing(broker.bootstrapServers(),
                    List.of(new NewTopic("chaos-in", 2, (short) 1), new NewTopic("chaos-out", 2, (short) 1)));
            String job = submit("kafka-read", "--bootstrap-servers", broker.bootstrapServers(), "--subscribe", "chaos-in",
                    "--starting-offsets", "earliest", "--sink", "kafka", "--output-topic", "chaos-out", "--kafka-key", "key",
                    "--kafka-value", "value", "--checkpoint-dir", work.resolve("checkpoints/kafka").toString());
            Thread producer = new Thread(() -> produce(broker.bootstrapServers()), "chaos-producer");
            producer.start();
            killTaskManagers(job, KAFKA_KILLS);
            producer.join(TIMEOUT.toMillis());
            Map<String, Integer> seen = new HashMap<>();
            try (KafkaConsumer<String, String> consumer = committedReader(broker.bootstrapServers(), "chaos-out")) {
                until("200,000 committed records", () -> {
                    readInto(consumer, seen);
                    return seen.size() >= KAFKA_RECORDS;
                });
                // Anything the last checkpoints commit on top (a duplicate) shows up here.
                awaitCheckpoints(clusterUrl(), job, 2);
                readInto(consumer, seen);
                stopWithSavepoint(clusterUrl(), job);
                readInto(consumer, seen);
            }
            long restarts = restarts(clusterUrl(), job);
            List<String> open = new ArrayList<>();
            try {
                until("no open transaction", Duration.ofSeconds(30), () -> {
                    open.clear();
                    List<String> ids = admin.listTransactions().all().get().stream().map(TransactionListing::transactionalId).toList();
                    admin.describeTransactions(ids).all().get().forEach((id, description) -> {
                        if (OPEN_TRANSACTION.contains(description.state())) {
                            open.add(id + " " + description.state());
                        }
                    });
                    return open.isEmpty();
                });
            } catch (AssertionError e) {
                // reported below, with the counts
            }
            long out = seen.values().stream().mapToLong(Integer::longValue).sum();
            long lost = 0;
            for (int id = 0; id < KAFKA_RECORDS; id++) {
                lost += seen.containsKey(recordId(id)) ? 0 : 1;
            }
            long duplicated = seen.values().stream().mapToLong(count -> count - 1).sum();
            return new Outcome("kafka", KAFKA_RECORDS, out, lost, duplicated, restarts, killed(),
                    open.isEmpty() ? "" : "open transactions: " + open);
        }
    }

    private static String recordId(int id) {
        return String.format("id-%06d", id);
    }

    /** The input, 200,000 records at about 5,000 a second: the kills fall while records flow. */
    private void produce(String bootstrapServers) {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            for (int id = 0; id < KAFKA_RECORDS; id++) {
                producer.send(new ProducerRecord<>("chaos-in", recordId(id), recordId(id)));
                if (id % 2_500 == 2_499) {
                    producer.flush();
                    TimeUnit.MILLISECONDS.sleep(500); // pacing, not synchronisation
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static KafkaConsumer<String, String> committedReader(String bootstrapServers, String topic) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    /** Everything committed so far (until a poll returns nothing). */
    private static void readInto(KafkaConsumer<String, String> consumer, Map<String, Integer> seen) {
        while (true) {
            var records = consumer.poll(Duration.ofMillis(500));
            if (records.isEmpty()) {
                return;
            }
            for (ConsumerRecord<String, String> record : records) {
                seen.merge(record.value(), 1, Integer::sum);
            }
        }
    }

    /** Files arriving while TaskManagers die, to the CSV file sink: every row once in the committed part files. */
    private Outcome filesToCsv() throws Exception {
        ensureCluster();
        Path input = Files.createDirectories(work.resolve("files-csv/input"));
        Path output = work.resolve("files-csv/output");
        List<Path> staged = generate(work.resolve("files-csv/staged"), false);
        String job = submit("csv-log", "--input", input.toString(), "--sink", "csv", "--output", output.toString(),
                "--checkpoint-dir", work.resolve("checkpoints/files-csv").toString());
        List<String> expected = arriveWhileKilling(staged, input, job);
        until("every row committed", () -> committedRows(output.resolve("results")).size() >= expected.size());
        awaitCheckpoints(clusterUrl(), job, 2);
        stopWithSavepoint(clusterUrl(), job);
        return compare("files-csv", expected, committedRows(output.resolve("results")), restarts(clusterUrl(), job), killed(), "");
    }

    /** Files arriving while TaskManagers die, to PostgreSQL through XA transactions: every row once, none left prepared. */
    private Outcome filesToPostgres() throws Exception {
        ensureCluster();
        Path input = Files.createDirectories(work.resolve("postgres-xa/input"));
        List<Path> staged = generate(work.resolve("postgres-xa/staged"), false);
        Path credentials = work.resolve("postgres-xa/credentials.properties");
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start()) {
            Files.writeString(credentials, "user=" + postgres.user() + "\npassword=chaos\n");
            String job = submit("csv-log", "--input", input.toString(), "--sink", "postgres", "--postgres", postgres.jdbcUrl(),
                    "--postgres-credentials", credentials.toString(), "--table", "chaos_rows",
                    "--output", work.resolve("postgres-xa/output").toString(),
                    "--checkpoint-dir", work.resolve("checkpoints/postgres-xa").toString());
            List<String> expected = arriveWhileKilling(staged, input, job);
            try (Connection connection = postgres.connect()) {
                until("every row committed", () -> tableRows(connection).size() >= expected.size());
                awaitCheckpoints(clusterUrl(), job, 2);
                stopWithSavepoint(clusterUrl(), job);
                List<String> prepared = new ArrayList<>();
                until("no prepared transaction", () -> {
                    prepared.clear();
                    prepared.addAll(query(connection, "SELECT gid FROM pg_prepared_xacts"));
                    return prepared.isEmpty();
                });
                return compare("postgres-xa", expected, tableRows(connection), restarts(clusterUrl(), job), killed(),
                        prepared.isEmpty() ? "" : prepared.size() + " prepared transactions left");
            } catch (AssertionError e) { // a timeout: what the table and pg_prepared_xacts hold says why
                try (Connection connection = postgres.connect()) {
                    return compare("postgres-xa", expected, tableRows(connection), restarts(clusterUrl(), job), killed(),
                            query(connection, "SELECT gid FROM pg_prepared_xacts").size() + " prepared transactions left; "
                                    + e.getMessage());
                }
            } finally {
                cancelAll(clusterUrl());
            }
        }
    }

    /**
     * A local run (the embedded runtime, its own JVM) killed with kill -9 twice between checkpoints and resumed with
     * --resume-latest, input arriving before each resume: its committed output equals an uninterrupted run's.
     */
    private Outcome localKillAndResume(String name, String pattern, boolean duplicates) throws Exception {
        Path dir = work.resolve(name);
        List<Path> staged = generate(dir.resolve("staged"), duplicates);
        List<String> expected = referenceRun(dir, pattern, staged);
        Path input = Files.createDirectories(dir.resolve("input"));
        Path output = dir.resolve("output");
        List<String> run = new ArrayList<>(List.of(pattern.split(" ")));
        run.addAll(List.of("--input", input.toString(), "--sink", "csv", "--output", output.toString(),
                "--checkpoint-dir", dir.resolve("checkpoints").toString()));
        int restarts = 0;
        List<List<Path>> parts = thirds(staged);
        for (int part = 0; part < parts.size(); part++) {
            arrive(parts.get(part), input);
            List<String> args = new ArrayList<>(run);
            if (part > 0) {
                args.add("--resume-latest");
                restarts++;
            }
            int port = freePort();
            args.addAll(List.of("--web-ui-port", Integer.toString(port)));
            Process local = startLocal(args, dir.resolve("run-" + part + ".out"));
            try {
                String url = "http://localhost:" + port;
                String job = await("the local job running", () -> runningJob(url));
                if (part < parts.size() - 1) {
                    awaitCheckpoints(url, job, 1);
                    TimeUnit.MILLISECONDS.sleep(200 + random.nextInt(1_300)); // somewhere between two checkpoints
                } else {
                    until("every row committed", () -> committedRows(output.resolve("results")).containsAll(expected));
                    awaitCheckpoints(url, job, 2);
                }
            } finally {
                local.destroyForcibly(); // kill -9: no shutdown hook, no final checkpoint
                local.waitFor();
            }
        }
        return compare(name, expected, withoutFlushRows(committedRows(output.resolve("results"))), restarts,
                "(" + restarts + " local runs killed)", "");
    }

    /**
     * window-agg stopped with a savepoint at parallelism 2 and resumed at 1, then stopped again and resumed at 2,
     * input arriving after each resume: its committed output equals an uninterrupted run's.
     */
    private Outcome savepointRescale() throws Exception {
        ensureCluster();
        Path dir = work.resolve("window-agg-rescale");
        List<Path> staged = generate(dir.resolve("staged"), false);
        List<String> expected = referenceRun(dir, WINDOW_AGG, staged);
        Path input = Files.createDirectories(dir.resolve("input"));
        Path output = dir.resolve("output");
        List<List<Path>> parts = thirds(staged);
        String savepoint = null;
        int[] parallelism = {2, 1, 2};
        for (int part = 0; part < parts.size(); part++) {
            List<String> args = new ArrayList<>(List.of(WINDOW_AGG.split(" ")));
            args.addAll(List.of("--input", input.toString(), "--sink", "csv", "--output", output.toString(), "--checkpoint-dir",
                    dir.resolve("checkpoints").toString(), "--parallelism", Integer.toString(parallelism[part])));
            if (savepoint != null) {
                args.addAll(List.of("--from-savepoint", savepoint));
            }
            String job = submit(args.toArray(String[]::new));
            arrive(parts.get(part), input); // after the resume
            if (part < parts.size() - 1) {
                awaitCheckpoints(clusterUrl(), job, 2);
                savepoint = stopWithSavepoint(clusterUrl(), job);
            } else {
                until("every row committed", () -> committedRows(output.resolve("results")).containsAll(expected));
                awaitCheckpoints(clusterUrl(), job, 2);
                stopWithSavepoint(clusterUrl(), job);
            }
        }
        return compare("window-agg-rescale", expected, withoutFlushRows(committedRows(output.resolve("results"))), 2,
                "(savepoints: p2 -> p1 -> p2)", "");
    }

    // ---------------------------------------------------------------- input and expected output

    /**
     * FILES generated event files (1 s of event time, 500 rows each), then one event 10 minutes later whose
     * watermark closes every window before it; with {@code duplicates} each file comes twice (dedup's input).
     */
    private List<Path> generate(Path staged, boolean duplicates) throws IOException, InterruptedException {
        GeneratorSettings settings = new GeneratorSettings(staged, FILES, ROWS_PER_FILE, Duration.ofSeconds(1), 42, START, 0);
        List<Path> files = new ArrayList<>(new BatchFileGenerator(settings, new EventCsvRows(1000), pause -> {}, LocalDateTime::now)
                .run(BatchFileGenerator.FileListener.SILENT));
        if (duplicates) {
            List<Path> withCopies = new ArrayList<>();
            for (Path file : files) {
                withCopies.add(file);
                withCopies.add(Files.copy(file, file.resolveSibling(file.getFileName().toString().replace(".csv", "_again.csv"))));
            }
            files = withCopies;
        }
        Path flush = staged.resolve("event_batch_flush.csv");
        Files.writeString(flush, EventCsvRows.HEADER + "\n" + FLUSH_TIME.format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS"))
                + ",1,view\n");
        files.add(flush);
        // Modification times one second apart, in the order written: the file source reads the oldest first, so
        // every run (killed or not) reads them in this order, not in the order of names (event_batch_10 before _2).
        for (int i = 0; i < files.size(); i++) {
            Files.setLastModifiedTime(files.get(i), FileTime.from(START.plusSeconds(i).toInstant(ZoneOffset.UTC)));
        }
        return files;
    }

    /** The rows of the staged files (their headers not), as csv-log writes them. */
    private static List<String> inputRows(List<Path> files) throws IOException {
        List<String> rows = new ArrayList<>();
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file);
            rows.addAll(lines.subList(1, lines.size()));
        }
        return rows;
    }

    /**
     * The rows an uninterrupted run writes: the pattern over every staged file at once, bounded (available-now)
     * and not killed; windows that only the end of the input closes (the flush event's) are left out, since a
     * watched directory never ends.
     */
    private List<String> referenceRun(Path dir, String pattern, List<Path> staged) throws Exception {
        if (!references.containsKey(pattern)) {
            references.put(pattern, uninterruptedRun(dir, pattern, staged));
        }
        return references.get(pattern);
    }

    private List<String> uninterruptedRun(Path dir, String pattern, List<Path> staged) throws Exception {
        Path input = Files.createDirectories(dir.resolve("reference-input"));
        for (Path file : staged) {
            Files.copy(file, input.resolve(file.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
        }
        Path output = dir.resolve("reference-output");
        List<String> args = new ArrayList<>(List.of(pattern.split(" ")));
        args.addAll(List.of("--input", input.toString(), "--trigger", "available-now", "--sink", "csv", "--output",
                output.toString(), "--checkpoint-dir", dir.resolve("reference-checkpoints").toString(),
                "--web-ui-port", Integer.toString(freePort())));
        Process reference = startLocal(args, dir.resolve("reference.out"));
        if (!reference.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS) || reference.exitValue() != 0) {
            reference.destroyForcibly();
            throw new IllegalStateException("the uninterrupted run failed; see " + dir.resolve("reference.out"));
        }
        return withoutFlushRows(committedRows(output.resolve("results")));
    }

    /**
     * The rows without those that start at the flush event's time (its window, or dedup's copy of the event): only
     * the end of a bounded input closes that window, so both sides of a comparison leave them out.
     */
    private static List<String> withoutFlushRows(List<String> rows) {
        // a timestamp as the CSV sink writes it (Spark's form: 2025-07-15T10:10:00.000Z)
        String flushTime = FLUSH_TIME.format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss"));
        return rows.stream().filter(row -> !row.startsWith(flushTime)).toList();
    }

    private static List<List<Path>> thirds(List<Path> files) {
        int third = files.size() / 3;
        return List.of(files.subList(0, third), files.subList(third, 2 * third), files.subList(2 * third, files.size()));
    }

    /** Files appear in the watched directory as a writer publishes them: a rename of a complete file. */
    private static void arrive(List<Path> files, Path input) throws IOException {
        for (Path file : files) {
            Files.copy(file, input.resolve("." + file.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            Files.move(input.resolve("." + file.getFileName()), input.resolve(file.getFileName()));
        }
    }

    /** The staged files arrive one every 200 ms while FILE_KILLS TaskManagers die; returns the rows they hold. */
    private List<String> arriveWhileKilling(List<Path> staged, Path input, String job) throws Exception {
        Thread writer = new Thread(() -> {
            try {
                for (Path file : staged) {
                    arrive(List.of(file), input);
                    TimeUnit.MILLISECONDS.sleep(200); // pacing, not synchronisation
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "chaos-files");
        writer.start();
        killTaskManagers(job, FILE_KILLS);
        writer.join(TIMEOUT.toMillis());
        return inputRows(staged);
    }

    private static Outcome compare(String scenario, List<String> expected, List<String> actual, long restarts, String kills,
            String note) {
        Map<String, Long> want = expected.stream().collect(Collectors.groupingBy(row -> row, Collectors.counting()));
        Map<String, Long> got = actual.stream().collect(Collectors.groupingBy(row -> row, Collectors.counting()));
        long lost = 0;
        long duplicated = 0;
        for (var entry : want.entrySet()) {
            lost += Math.max(0, entry.getValue() - got.getOrDefault(entry.getKey(), 0L));
        }
        for (var entry : got.entrySet()) {
            duplicated += Math.max(0, entry.getValue() - want.getOrDefault(entry.getKey(), 0L));
        }
        return new Outcome(scenario, expected.size(), actual.size(), lost, duplicated, restarts, kills, note);
    }

    /**
     * The rows of the committed CSV part files (in-progress ones start with a dot), in any directory below; each
     * part file starts with its header line, which is not a row.
     */
    private static List<String> committedRows(Path results) throws IOException {
        if (!Files.isDirectory(results)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(results)) {
            List<String> rows = new ArrayList<>();
            for (Path file : files.filter(Files::isRegularFile)
                    .filter(file -> !file.getFileName().toString().startsWith(".")).toList()) {
                List<String> lines = Files.readAllLines(file);
                rows.addAll(lines.subList(Math.min(1, lines.size()), lines.size()));
            }
            return rows;
        }
    }

    /** The table's rows as CSV lines of its columns (the key column left out). */
    private static List<String> tableRows(Connection connection) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT * FROM chaos_rows")) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                List<String> cells = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    if (!result.getMetaData().getColumnName(i).equals("row_key")) {
                        cells.add(result.getString(i));
                    }
                }
                rows.add(String.join(",", cells));
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return List.of(); // the sink has not created the table yet
            }
            throw e;
        }
        return rows;
    }

    private static List<String> query(Connection connection, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                values.add(result.getString(1));
            }
        }
        return values;
    }

    // ---------------------------------------------------------------- processes

    /** The chaos cluster: a JobManager and 3 TaskManagers of one slot each (one spare), on free ports; started once. */
    private void ensureCluster() throws Exception {
        if (cluster != null) {
            return;
        }
        ClusterService.Layout layout = new ClusterService.Layout(home, work.resolve("conf-cluster"), work.resolve("log"));
        PrintStream output = new PrintStream(clusterOutput, true, StandardCharsets.UTF_8);
        cluster = new ClusterService(layout, output, output, Duration.ofSeconds(120));
        clusterRestPort = freePort();
        int started = cluster.run(new String[] {"start", "--taskmanagers", "3", "--web-ui-port", Integer.toString(clusterRestPort),
                "--rpc-port", Integer.toString(freePort())});
        if (started != 0) {
            throw new IllegalStateException("the cluster did not start: " + clusterOutput.toString(StandardCharsets.UTF_8));
        }
    }

    private String killed() {
        return "(" + kills + " TaskManagers killed)";
    }

    private String clusterUrl() {
        return "http://localhost:" + clusterRestPort;
    }

    /** ./patterns submit: returns the job's id once it runs. */
    private String submit(String... args) throws Exception {
        clusterOutput.reset();
        int exit = cluster.submit(List.of(args));
        String printed = clusterOutput.toString(StandardCharsets.UTF_8);
        Matcher id = Pattern.compile("Submitted job ([0-9a-f]{32})").matcher(printed);
        if (exit != 0 || !id.find()) {
            throw new IllegalStateException("submit " + args[0] + " failed: " + printed.strip());
        }
        String job = id.group(1);
        until("job " + args[0] + " running", () -> "RUNNING".equals(jobState(clusterUrl(), job)));
        return job;
    }

    /**
     * {@code count} times: once the job runs and has completed a checkpoint since it last (re)started, a short random
     * wait (the chaos), then SIGKILL to a TaskManager that runs part of the job, and a replacement started in the
     * background as an operator would (add-taskmanager). Returns once every replacement has registered.
     */
    private void killTaskManagers(String job, int count) throws Exception {
        for (int kill = 0; kill < count; kill++) {
            until("job running", () -> "RUNNING".equals(jobState(clusterUrl(), job)) && allTasksRunning(clusterUrl(), job));
            awaitCheckpoints(clusterUrl(), job, 1);
            TimeUnit.MILLISECONDS.sleep(200 + random.nextInt(1_300));
            List<ProcessHandle> busy = await("a live TaskManager running job " + job,
                    () -> Optional.of(busyTaskManagers()).filter(list -> !list.isEmpty()));
            ProcessHandle victim = busy.get(random.nextInt(busy.size()));
            victim.destroyForcibly();
            victim.onExit().get(30, TimeUnit.SECONDS);
            kills++;
            pendingReplacements.add(replacements.submit(() -> cluster.run(new String[] {"add-taskmanager"})));
        }
        for (Future<Integer> replacement : pendingReplacements) {
            if (replacement.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS) != 0) {
                throw new IllegalStateException("add-taskmanager failed: " + clusterOutput.toString(StandardCharsets.UTF_8));
            }
        }
        pendingReplacements.clear();
    }

    /**
     * The live TaskManagers whose slots a job holds (the cluster runs one job at a time), found among the pid files
     * by the number in their REST API id. A TaskManager killed a moment ago may still be listed while its replacement
     * starts under the same pid file: the process must have been started with that very id.
     */
    private List<ProcessHandle> busyTaskManagers() throws IOException {
        List<ProcessHandle> busy = new ArrayList<>();
        for (JsonNode taskManager : get(clusterUrl() + "/taskmanagers").map(list -> list.path("taskmanagers"))
                .orElse(json.createArrayNode())) {
            String id = taskManager.path("id").asText();
            int index = ClusterService.taskManagerIndex(id);
            Path pidFile = work.resolve("log").resolve("flink-taskmanager-" + index + ".pid");
            if (index < 0 || taskManager.path("freeSlots").asInt() >= taskManager.path("slotsNumber").asInt()
                    || !Files.exists(pidFile)) {
                continue;
            }
            String started = TaskManagerOptions.TASK_MANAGER_RESOURCE_ID.key() + "=" + id;
            ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim()))
                    .filter(process -> BackgroundProcess.commandLine(process).orElse(List.of()).contains(started))
                    .ifPresent(busy::add);
        }
        return busy;
    }

    /** A local run: ./patterns with the suite's configuration, in its own JVM (killed with SIGKILL). */
    private Process startLocal(List<String> args, Path output) throws IOException {
        List<String> command = new ArrayList<>(List.of(BackgroundProcess.java(), "-Xmx1g"));
        command.addAll(ClusterService.java17Flags(home.resolve("conf")));
        command.addAll(List.of("-Dlog4j.configurationFile=" + home.resolve("conf/log4j2-local.properties"),
                "-Dpatterns.log.dir=" + work.resolve("log"), "-Dpatterns.conf.dir=" + work.resolve("conf-local"),
                "-Dpatterns.home=" + home, "-cp", System.getProperty("java.class.path"), LocalMain.class.getName()));
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    /** conf/config.yaml with checkpoints every second, restarts after a second, and no metrics reporter. */
    private void writeConfiguration(Path confDir, int slotsPerTaskManager) throws IOException {
        Files.createDirectories(confDir);
        for (String file : List.of("log4j.properties", "log4j2-local.properties", ClusterService.JAVA_17_FLAGS_FILE)) {
            Files.copy(home.resolve("conf").resolve(file), confDir.resolve(file));
        }
        Configuration config = GlobalConfiguration.loadConfiguration(home.resolve("conf").toString());
        Map<String, String> settings = new HashMap<>(config.toMap());
        settings.keySet().removeIf(key -> key.startsWith("metrics.reporter"));
        settings.putAll(Map.of(
                "execution.checkpointing.interval", "1s",
                "execution.checkpointing.min-pause", "200ms",
                "execution.checkpointing.timeout", "1min",
                "execution.checkpointing.dir", work.resolve("checkpoints/default").toUri().toString(),
                "execution.checkpointing.savepoint-dir", work.resolve("savepoints").toUri().toString(),
                "restart-strategy.type", "fixed-delay",
                "restart-strategy.fixed-delay.attempts", "100",
                "restart-strategy.fixed-delay.delay", "1s",
                "taskmanager.numberOfTaskSlots", Integer.toString(slotsPerTaskManager),
                "heartbeat.timeout", "10s"));
        Configuration derived = Configuration.fromMap(settings);
        Files.write(confDir.resolve(GlobalConfiguration.FLINK_CONF_FILENAME), ConfigurationUtils.convertConfigToWritableLines(derived, true));
    }

    // ---------------------------------------------------------------- the REST API

    private Optional<JsonNode> get(String url) {
        return rest.get(url);
    }

    private JsonNode send(String method, String url, String body) throws IOException, InterruptedException {
        return rest.send(method, url, body);
    }

    private String jobState(String url, String job) {
        return get(url + "/jobs/" + job).map(details -> details.path("state").asText()).orElse("UNKNOWN");
    }

    private boolean allTasksRunning(String url, String job) {
        return get(url + "/jobs/" + job).map(details -> {
            for (JsonNode vertex : details.path("vertices")) {
                if (!vertex.path("status").asText().equals("RUNNING")) {
                    return false;
                }
            }
            return true;
        }).orElse(false);
    }

    private Optional<String> runningJob(String url) {
        return get(url + "/jobs/overview").flatMap(overview -> {
            for (JsonNode job : overview.path("jobs")) {
                if (job.path("state").asText().equals("RUNNING")) {
                    return Optional.of(job.path("jid").asText());
                }
            }
            return Optional.empty();
        });
    }

    private long completedCheckpoints(String url, String job) {
        return get(url + "/jobs/" + job + "/checkpoints").map(c -> c.path("counts").path("completed").asLong()).orElse(0L);
    }

    /** Until {@code count} more checkpoints of the job have completed than now. */
    private void awaitCheckpoints(String url, String job, int count) throws Exception {
        long target = completedCheckpoints(url, job) + count;
        until(count + " more completed checkpoints", () -> completedCheckpoints(url, job) >= target);
    }

    /**
     * The job's failovers: the entries of its exception history (one per restart, concurrent failures grouped). The
     * numRestarts metric over REST lags by the metric fetcher's 10 s cache.
     */
    private long restarts(String url, String job) {
        return get(url + "/jobs/" + job + "/exceptions?maxExceptions=1000")
                .map(history -> (long) history.path("exceptionHistory").path("entries").size()).orElse(-1L);
    }

    /** Stop with a savepoint (the transactions of the last checkpoint commit, then the job finishes); its path. */
    private String stopWithSavepoint(String url, String job) throws Exception {
        String trigger = send("POST", url + "/jobs/" + job + "/stop",
                "{\"drain\": false, \"targetDirectory\": \"" + work.resolve("savepoints").toUri() + "\"}").path("request-id").asText();
        JsonNode done = await("the savepoint of " + job, () -> get(url + "/jobs/" + job + "/savepoints/" + trigger)
                .filter(status -> status.path("status").path("id").asText().equals("COMPLETED")));
        if (done.path("operation").has("failure-cause")) {
            throw new IllegalStateException("stop with a savepoint failed: " + done.path("operation").path("failure-cause"));
        }
        until("job " + job + " finished", () -> jobState(url, job).matches("FINISHED|CANCELED|FAILED"));
        return done.path("operation").path("location").asText();
    }

    private void cancelAll(String url) throws Exception {
        for (JsonNode job : get(url + "/jobs/overview").map(o -> o.path("jobs")).orElse(json.createArrayNode())) {
            if (!job.path("state").asText().matches("FINISHED|CANCELED|FAILED")) {
                send("PATCH", url + "/jobs/" + job.path("jid").asText() + "?mode=cancel", "");
            }
        }
    }

    // ---------------------------------------------------------------- waiting

    @FunctionalInterface
    private interface Check {
        boolean holds() throws Exception;
    }

    @FunctionalInterface
    private interface Probe<T> {
        Optional<T> poll() throws Exception;
    }

    private static void until(String what, Check check) throws Exception {
        until(what, TIMEOUT, check);
    }

    private static void until(String what, Duration timeout, Check check) throws Exception {
        await(what, timeout, () -> check.holds() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }

    /** Polls until {@code probe} has a value; fails after the timeout naming what was awaited. */
    private static <T> T await(String what, Probe<T> probe) throws Exception {
        return await(what, TIMEOUT, probe);
    }

    private static <T> T await(String what, Duration timeout, Probe<T> probe) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> value = probe.poll();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
