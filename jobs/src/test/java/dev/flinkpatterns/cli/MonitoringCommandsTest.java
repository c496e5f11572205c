package dev.flinkpatterns.cli;

import java.util.concurrent.atomic.AtomicReference;
import java.util.Optional;
import dev.flinkpatterns.core.DisplayPath;
import dev.flinkpatterns.testing.Await;
import static dev.flinkpatterns.testing.FlinkTests.writeLines;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flinkpatterns.run.ExecutionRuntime;
import dev.flinkpatterns.testing.CapturedRun;
import dev.flinkpatterns.testing.FlinkTests;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * jobs, status, progress, stop and await against the REST API of a real MiniCluster, on a csv-log job over a watched
 * directory of known files: every row is read long before the job ends, so the counts are exact.
 */
class MonitoringCommandsTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private static String rest() {
        var client = CLUSTER.getClientConfiguration();
        return "http://" + client.get(RestOptions.ADDRESS) + ":" + client.get(RestOptions.PORT);
    }

    /** csv-log over {@code input}, running until stopped; completes with the run's exit code. */
    private CompletableFuture<Integer> startCsvLog(Path input) {
        PrintStream discard = new PrintStream(new ByteArrayOutputStream());
        return CompletableFuture.supplyAsync(() -> PatternsCli.run(new String[] {"csv-log", "--input", input.toString(),
                "--sink", "noop", "--discovery-interval", "200ms", "--progress-interval", "0s"}, ExecutionRuntime.CONTEXT,
                discard, discard));
    }

    private static CapturedRun command(String... args) {
        String[] withRest = java.util.Arrays.copyOf(args, args.length + 2);
        withRest[args.length] = "--rest";
        withRest[args.length + 1] = rest();
        return CapturedRun.onContext(withRest);
    }

    /** Runs {@code progress} until its report satisfies {@code done}. */
    private static JsonNode progressUntil(String job, Predicate<JsonNode> done) throws Exception {
        AtomicReference<CapturedRun> last = new AtomicReference<>();
        return Await.value(() -> "progress of " + job + ": " + last.get().out() + last.get().err(), WAIT, () -> {
            CapturedRun run = command("progress", job);
            last.set(run);
            return run.exitCode() != 0 ? Optional.empty() : Optional.of(JSON.readTree(run.out())).filter(done);
        });
    }

    @Test
    @Timeout(180)
    void aJobWatchedListedAndStoppedWithASavepoint() throws Exception {
        Path input = tmp.resolve("input");
        writeLines(input, "event_batch_0.csv", "timestamp,user_id,event", "2025-07-15T15:03:21,1,login",
                "2025-07-15T15:03:22,2,view", "not,a valid,row,at all", "2025-07-15T15:03:23,3,view");
        writeLines(input, "event_batch_1.csv", "timestamp,user_id,event", "2025-07-15T15:04:00,1,logout");
        CompletableFuture<Integer> run = startCsvLog(input);

        // 5 rows, one of them malformed (the 2 headers are no rows).
        JsonNode progress = progressUntil("csv-log", report -> report.path("numInputRows").asLong() == 5);
        String id = progress.path("id").asText();
        assertThat(progress.path("name").asText()).startsWith("csv-log");
        assertThat(progress.path("state").asText()).isEqualTo("RUNNING");
        assertThat(progress.path("deadLetters").asLong()).isEqualTo(1);
        assertThat(progress.path("numRowsDroppedByWatermark").asLong()).isZero();
        assertThat(progress.path("backpressure").size()).isEqualTo(progress.path("backpressure").findValues("level").size()).isPositive();

        CapturedRun jobs = command("jobs");
        assertThat(jobs.exitCode()).isZero();
        assertThat(jobs.out().lines().toList()).hasSize(2);
        assertThat(jobs.out().lines().toList().get(0)).matches("ID {32}NAME +STATE +START TIME \\(UTC\\) +DURATION");
        assertThat(jobs.out().lines().toList().get(1))
                .matches(id + "  csv-log .*  RUNNING  +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d  \\d+s");

        CapturedRun status = command("status", id.substring(0, 8));
        assertThat(status.exitCode()).isZero();
        JsonNode statusJson = JSON.readTree(status.out());
        assertThat(statusJson.path("id").asText()).isEqualTo(id);
        assertThat(statusJson.path("state").asText()).isEqualTo("RUNNING");
        assertThat(statusJson.path("message").asText()).isIn("Processing new data", "Waiting for data to arrive");

        CapturedRun timedOut = command("await", "csv-log", "--timeout", "300ms");
        assertThat(timedOut.exitCode()).isEqualTo(124);
        assertThat(timedOut.out()).matches("job " + id + " 'csv-log .*' still RUNNING after 0s\n");

        CapturedRun noDirectory = command("stop", "csv-log", "--savepoint");
        assertThat(noDirectory.exitCode()).isEqualTo(1);
        assertThat(noDirectory.err()).isEqualTo("patterns stop: the cluster at " + rest() + " has no default savepoint"
                + " directory (execution.checkpointing.savepoint-dir): give one with --savepoint=DIR\n");

        Path savepoints = tmp.resolve("savepoints");
        CapturedRun stop = command("stop", "csv-log", "--savepoint=" + savepoints);
        assertThat(stop.err()).isEmpty();
        assertThat(stop.exitCode()).isZero();
        // Under the working directory, so shown relative to it, as --from-savepoint takes it back.
        assertThat(stop.out()).matches("Stopped job " + id + " 'csv-log .*' with a savepoint: "
                + DisplayPath.of(savepoints) + "/savepoint-" + id.substring(0, 6) + "-\\w+\nJob state: FINISHED\n");
        String location = stop.out().lines().findFirst().orElseThrow().replaceAll(".* with a savepoint: ", "");
        assertThat(Path.of(location).resolve("_metadata")).isRegularFile();
        assertThat(run.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isZero();

        CapturedRun finished = command("await", id);
        assertThat(finished.exitCode()).isZero();
        assertThat(finished.out()).matches("job " + id + " 'csv-log .*' FINISHED\n");
        assertThat(command("jobs").out()).isEqualTo("No running jobs at " + rest() + "\n");
        CapturedRun followEnded = command("progress", "csv-log", "--follow", "--interval", "200ms");
        assertThat(followEnded.exitCode()).isZero();
        JsonNode last = JSON.readTree(followEnded.out());
        assertThat(last.path("state").asText()).isEqualTo("FINISHED");
        assertThat(last.path("numInputRows").asLong()).isEqualTo(5);
        assertThat(followEnded.out().lines().filter(line -> line.equals("{")).count()).as("one report: the job has ended").isEqualTo(1);
        assertThat(command("jobs", "--all").out()).contains(id).contains("FINISHED");

        CapturedRun again = command("stop", id);
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).matches("patterns stop: job " + id + " 'csv-log .*' has already ended \\(FINISHED\\)\n");

        // A second run of the same name: the running one is meant; cancelled, it ends CANCELED (await: exit 1).
        CompletableFuture<Integer> second = startCsvLog(input);
        String secondId = progressUntil("csv-log", report -> report.path("state").asText().equals("RUNNING")).path("id").asText();
        assertThat(secondId).isNotEqualTo(id);
        CapturedRun cancel = command("stop", "csv-log");
        assertThat(cancel.exitCode()).isZero();
        assertThat(cancel.out()).matches("Cancelled job " + secondId + " 'csv-log .*': CANCELED\n");
        assertThat(second.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1);
        CapturedRun canceled = command("await", "csv-log", "--timeout", "5s");
        assertThat(canceled.exitCode()).as("two ended jobs of that name").isEqualTo(1);
        assertThat(canceled.err()).matches("patterns await: 'csv-log' names 2 jobs: " + secondId + " \\(csv-log .*, CANCELED\\), "
                + id + " \\(csv-log .*, FINISHED\\); give a job id\n");
        CapturedRun awaitCanceled = command("await", secondId);
        assertThat(awaitCanceled.exitCode()).isEqualTo(1);
        assertThat(awaitCanceled.out()).matches("job " + secondId + " 'csv-log .*' CANCELED\n");

        CapturedRun unknown = command("status", "no-such-job");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).startsWith("patterns status: no job 'no-such-job' at " + rest() + "; jobs: ").doesNotContain("\n\n");
        assertThat(unknown.err().lines()).hasSize(1);
    }

    @Test
    void aRestAddressWithNothingBehindItIsOneLine() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName("localhost"))) {
            port = free.getLocalPort();
        }
        String address = "http://localhost:" + port;
        for (String[] args : new String[][] {{"jobs"}, {"status", "x"}, {"progress", "x"}, {"stop", "x"}, {"await", "x"}}) {
            String[] withRest = java.util.Arrays.copyOf(args, args.length + 2);
            withRest[args.length] = "--rest";
            withRest[args.length + 1] = address;
            CapturedRun run = CapturedRun.onContext(withRest);
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.out()).isEmpty();
            assertThat(run.err()).isEqualTo("patterns " + args[0] + ": no Flink REST API at " + address
                    + ": start a pattern or ./patterns cluster start\n");
        }
    }

    @Test
    void aRestAddressThatIsNoHttpUrlIsAUsageError() {
        CapturedRun.onContext("jobs", "--rest", "ftp://localhost:8081").assertOneLineError("patterns jobs: --rest"
                + " ftp://localhost:8081 is not an http:// URL (example: http://localhost:8081) (see 'patterns jobs --help')");
        CapturedRun.onContext("progress", "x", "--interval", "0s").assertOneLineError(
                "patterns progress: --interval must be longer than 0 (see 'patterns progress --help')");
    }

    @Test
    void awaitsHelpNamesItsExitCodes() {
        CapturedRun help = CapturedRun.onContext("await", "--help");
        assertThat(help.out()).contains("Exit code: 0 the job FINISHED; 1 it FAILED or was CANCELED")
                .contains("124 --timeout passed first");
    }
}
