package dev.flinkpatterns.cli;

import static dev.flinkpatterns.testing.FlinkTests.writeLines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flinkpatterns.listen.QueryListener;
import dev.flinkpatterns.listen.QueryListeners;
import dev.flinkpatterns.monitor.FlinkRest;
import dev.flinkpatterns.monitor.JobSummary;
import dev.flinkpatterns.run.ExecutionRuntime;
import dev.flinkpatterns.testing.Await;
import dev.flinkpatterns.testing.CapturedRun;
import dev.flinkpatterns.testing.FlinkTests;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark's query management on a MiniCluster: {@code stop --all} (spark.streams.stopAll()) and {@code --listener FILE}
 * (a StreamingQueryListener writing JSON lines).
 */
class QueryManagementTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster(FlinkTests.freshReports());

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    /**
     * The test's MiniCluster, with its REST API in the job's configuration, as {@code flink run} has the cluster's:
     * where a listener watches the job.
     */
    private static final ExecutionRuntime CLUSTER_WITH_REST = new ExecutionRuntime() {
        @Override
        public StreamExecutionEnvironment environment(Configuration jobSettings, PrintStream out) {
            Configuration settings = new Configuration(jobSettings);
            settings.set(RestOptions.ADDRESS, CLUSTER.getClientConfiguration().get(RestOptions.ADDRESS));
            settings.set(RestOptions.PORT, CLUSTER.getClientConfiguration().get(RestOptions.PORT));
            return StreamExecutionEnvironment.getExecutionEnvironment(settings);
        }

        @Override
        public boolean isEmbedded() {
            return false;
        }
    };

    @TempDir
    Path tmp;

    private static String rest() {
        var client = CLUSTER.getClientConfiguration();
        return "http://" + client.get(RestOptions.ADDRESS) + ":" + client.get(RestOptions.PORT);
    }

    private static CapturedRun command(String... args) {
        String[] withRest = Arrays.copyOf(args, args.length + 2);
        withRest[args.length] = "--rest";
        withRest[args.length + 1] = rest();
        return CapturedRun.onContext(withRest);
    }

    private Path events() throws Exception {
        Path input = tmp.resolve("input");
        writeLines(input, "event_batch_0.csv", "timestamp,user_id,event", "2025-07-15T15:03:21,1,login",
                "2025-07-15T15:03:22,2,view", "2025-07-15T15:03:23,3,view");
        writeLines(input, "event_batch_1.csv", "timestamp,user_id,event", "2025-07-15T15:04:00,1,logout",
                "2025-07-15T15:04:01,2,login");
        return input;
    }

    private static List<JsonNode> lines(Path file) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            events.add(JSON.readTree(line));
        }
        return events;
    }

    private static List<String> kinds(List<JsonNode> events) {
        return events.stream().map(event -> event.path("event").asText()).toList();
    }

    @Test
    @Timeout(120)
    void aBoundedRunTellsItsListenerStartedProgressAndFinished() throws Exception {
        Path listener = tmp.resolve("listener/events.jsonl");
        CapturedRun run = CapturedRun.of(CLUSTER_WITH_REST, "csv-agg", "--input", events().toString(), "--trigger",
                "available-now", "--sink", "noop", "--output", tmp.resolve("out").toString(), "--checkpoint-interval",
                "1h", "--progress-interval", "0s", "--listener", listener.toString());
        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();

        List<JsonNode> events = lines(listener);
        List<String> kinds = kinds(events);
        assertThat(kinds.get(0)).isEqualTo("started");
        assertThat(kinds.get(kinds.size() - 1)).isEqualTo("terminated");
        assertThat(kinds.subList(1, kinds.size() - 1)).isNotEmpty().containsOnly("progress");
        String id = events.get(0).path("id").asText();
        assertThat(id).matches("[0-9a-f]{32}");
        for (JsonNode event : events) {
            assertThat(event.path("id").asText()).isEqualTo(id);
            assertThat(event.path("name").asText()).isEqualTo("csv-agg (complete, trigger available-now)");
            assertThat(event.path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        }
        JsonNode lastProgress = events.get(events.size() - 2);
        assertThat(lastProgress.path("numInputRows").asLong()).isEqualTo(5);
        assertThat(lastProgress.path("deadLetters").asLong()).isZero();
        assertThat(lastProgress.path("numRowsDroppedByWatermark").asLong()).isZero();
        JsonNode terminated = events.get(events.size() - 1);
        assertThat(terminated.path("reason").asText()).isEqualTo("finished");
        assertThat(terminated.has("exception")).isFalse();
    }

    @Test
    @Timeout(120)
    void stopAllCancelsEveryRunningJobAndTheListenerHearsCancelled() throws Exception {
        Path input = events();
        Path listener = tmp.resolve("cancelled.jsonl");
        PrintStream discard = new PrintStream(new ByteArrayOutputStream());
        CompletableFuture<Integer> csvLog = CompletableFuture.supplyAsync(() -> PatternsCli.run(new String[] {"csv-log",
                "--input", input.toString(), "--sink", "noop", "--parallelism", "1", "--progress-interval", "0s",
                "--checkpoint-interval", "300ms", "--checkpoint-dir", tmp.resolve("checkpoints").toString(),
                "--listener", listener.toString()}, CLUSTER_WITH_REST, discard, discard));
        CompletableFuture<Integer> csvAgg = CompletableFuture.supplyAsync(() -> PatternsCli.run(new String[] {"csv-agg",
                "--input", input.toString(), "--sink", "noop", "--parallelism", "1", "--progress-interval", "0s",
                "--output", tmp.resolve("out").toString()}, CLUSTER_WITH_REST, discard, discard));
        FlinkRest flink = new FlinkRest(rest());
        List<JobSummary> running = Await.value(() -> "two running jobs: " + JobSummary.all(flink), WAIT, () -> {
            List<JobSummary> jobs = JobSummary.all(flink).stream().filter(job -> job.state().equals("RUNNING")).toList();
            return jobs.size() == 2 ? java.util.Optional.of(jobs) : java.util.Optional.empty();
        });

        // Each completed checkpoint is a progress event; wait for one that has seen every row.
        JsonNode progress = Await.value(() -> "a progress event with 5 rows in " + listener, WAIT, () -> Files.exists(listener)
                ? lines(listener).stream().filter(event -> event.path("event").asText().equals("progress")
                        && event.path("numInputRows").asLong() == 5).findFirst()
                : java.util.Optional.empty());
        assertThat(progress.path("checkpointId").asLong()).isPositive();
        assertThat(progress.path("checkpointDurationMs").isIntegralNumber()).isTrue();
        assertThat(progress.path("stateSizeBytes").asLong()).isPositive();
        assertThat(progress.path("deadLetters").asLong()).isZero();

        CapturedRun stopAll = command("stop", "--all");
        assertThat(stopAll.err()).isEmpty();
        assertThat(stopAll.exitCode()).isZero();
        // Newest first, as jobs lists them.
        assertThat(stopAll.out()).isEqualTo(running.stream()
                .map(job -> "Cancelled job " + job.id() + " '" + job.name() + "': CANCELED\n")
                .reduce("", String::concat));
        assertThat(running).extracting(JobSummary::name).containsExactlyInAnyOrder(
                "csv-log (append, trigger default)", "csv-agg (complete, trigger default)");
        assertThat(csvLog.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(csvAgg.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1);

        // Started, a progress event per checkpoint, terminated; no last figures for a cancelled job.
        List<JsonNode> events = lines(listener);
        List<String> kinds = kinds(events);
        assertThat(kinds.get(0)).isEqualTo("started");
        assertThat(kinds.subList(1, kinds.size() - 1)).isNotEmpty().containsOnly("progress");
        assertThat(kinds.get(kinds.size() - 1)).isEqualTo("terminated");
        List<Long> checkpoints = events.stream().filter(event -> event.has("checkpointId"))
                .map(event -> event.path("checkpointId").asLong()).toList();
        assertThat(checkpoints).as("one event per checkpoint, in order").isSorted().doesNotHaveDuplicates();
        String csvLogId = running.stream().filter(job -> job.name().startsWith("csv-log")).findFirst().orElseThrow().id();
        assertThat(events).allSatisfy(event -> assertThat(event.path("id").asText()).isEqualTo(csvLogId));
        assertThat(events.get(events.size() - 1).path("reason").asText()).isEqualTo("cancelled");
        assertThat(events.get(events.size() - 1).has("exception")).isFalse();

        assertThat(command("stop", "--all").out()).isEqualTo("No running jobs at " + rest() + "\n");
    }

    @Test
    @Timeout(120)
    void stopAllWithASavepointStopsEveryJobWithItsOwnSavepoint() throws Exception {
        Path input = events();
        PrintStream discard = new PrintStream(new ByteArrayOutputStream());
        List<CompletableFuture<Integer>> runs = new ArrayList<>();
        for (String pattern : List.of("csv-log", "csv-agg")) {
            String[] args = {pattern, "--input", input.toString(), "--sink", "noop", "--parallelism", "1",
                    "--progress-interval", "0s"};
            runs.add(CompletableFuture.supplyAsync(() -> PatternsCli.run(args, CLUSTER_WITH_REST, discard, discard)));
        }
        FlinkRest flink = new FlinkRest(rest());
        List<JobSummary> running = Await.value(() -> "two running jobs: " + JobSummary.all(flink), WAIT, () -> {
            List<JobSummary> jobs = JobSummary.all(flink).stream().filter(job -> job.state().equals("RUNNING")).toList();
            return jobs.size() == 2 ? java.util.Optional.of(jobs) : java.util.Optional.empty();
        });

        Path savepoints = tmp.resolve("savepoints");
        CapturedRun stopAll = command("stop", "--all", "--savepoint=" + savepoints);
        assertThat(stopAll.err()).isEmpty();
        assertThat(stopAll.exitCode()).isZero();
        // A line per job, newest first: its savepoint, a directory of its own with the savepoint's metadata.
        List<String> lines = stopAll.out().lines().toList();
        assertThat(lines).hasSize(2);
        for (int i = 0; i < 2; i++) {
            JobSummary job = running.get(i);
            String prefix = "Stopped job " + job.id() + " '" + job.name() + "' with a savepoint: ";
            assertThat(lines.get(i)).startsWith(prefix).endsWith(" (FINISHED)");
            Path savepoint = Path.of(lines.get(i).substring(prefix.length(),
                    lines.get(i).length() - " (FINISHED)".length())).toAbsolutePath();
            assertThat(savepoint.getParent()).isEqualTo(savepoints.toAbsolutePath());
            assertThat(savepoint.getFileName().toString()).startsWith("savepoint-" + job.id().substring(0, 6));
            assertThat(savepoint.resolve("_metadata")).isRegularFile();
        }
        // Stopped with a savepoint, a job finishes: exit code 0.
        for (CompletableFuture<Integer> run : runs) {
            assertThat(run.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isZero();
        }
        assertThat(command("stop", "--all").out()).isEqualTo("No running jobs at " + rest() + "\n");
    }

    @Test
    @Timeout(60)
    void aListenerRegisteredInTheUsersOwnProgramHearsItsJob() throws Exception {
        List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        StreamExecutionEnvironment env = CLUSTER_WITH_REST.environment(new Configuration(), System.out);
        env.fromData(1, 2, 3).sinkTo(new DiscardingSink<>());
        QueryListeners.Registration registration = QueryListeners.register(env, new QueryListener() {
            @Override
            public void onStarted(Started event) {
                heard.add("started " + event.name());
            }

            @Override
            public void onProgress(Progress event) {
                heard.add("progress");
            }

            @Override
            public void onTerminated(Terminated event) {
                heard.add("terminated " + event.reason() + " " + event.exception());
            }
        });
        env.execute("my job");
        assertThat(registration.awaitTerminated(WAIT)).isTrue();
        // No parser counts its rows: the last progress is told once, with 0 rows.
        assertThat(heard).containsExactly("started my job", "progress", "terminated FINISHED null");

        // A failed job: no last figures, the root cause's message.
        heard.clear();
        env.fromData(1, 2, 3).map(value -> {
            if (value == 2) {
                throw new IllegalStateException("row 2 is bad");
            }
            return value;
        }).sinkTo(new DiscardingSink<>());
        assertThatThrownBy(() -> env.execute("my failing job")).isInstanceOf(Exception.class);
        assertThat(registration.awaitTerminated(WAIT)).isTrue();
        assertThat(heard).containsExactly("started my failing job", "terminated FAILED row 2 is bad");
    }

    @Test
    void stopTakesAJobOrAll() {
        CapturedRun.onContext("stop", "x", "--all").assertOneLineError(
                "patterns stop: give JOB or --all, not both (see 'patterns stop --help')");
        CapturedRun.onContext("stop").assertOneLineError(
                "patterns stop: give the JOB to stop, or --all (see 'patterns stop --help')");
    }
}
