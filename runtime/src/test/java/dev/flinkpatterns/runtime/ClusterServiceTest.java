package dev.flinkpatterns.runtime;

import dev.flinkpatterns.testing.Await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ./patterns cluster start | status | stop and ./patterns submit: a real JobManager and TaskManager as processes
 * (on free ports, with their own log and pid directory, so a user's cluster on 8081 is never touched), a job
 * submitted with flink run -d, seen RUNNING through the REST API, its rows in its output, then everything gone.
 * Needs the jobs jar and cluster/target/classpath.txt, which {@code mvn verify} builds before this module's tests.
 */
class ClusterServiceTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Two JVMs starting on a machine busy with other tests. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Path HOME = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void startsAClusterRunsAJobOnItAndStopsEveryProcess() throws Exception {
        assertThat(HOME.resolve(ClusterService.CLASSPATH)).as("built by the cluster module").isRegularFile();
        assertThat(HOME.resolve(ClusterService.JOBS_JAR)).as("built by the jobs module").isRegularFile();
        Path logDir = tmp.resolve("log");
        ClusterService cluster = new ClusterService(new ClusterService.Layout(HOME, HOME.resolve("conf"), logDir),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), START_TIMEOUT);
        String restPort = Integer.toString(freePort());
        String rpcPort = Integer.toString(freePort());
        Path input = Files.createDirectories(tmp.resolve("input"));
        Files.writeString(input.resolve("event_batch_0.csv"), """
                timestamp,user_id,event
                2025-07-15T15:03:00.000000,1,login
                2025-07-15T15:03:01.000000,2,view
                """);
        Path output = tmp.resolve("output");
        List<ProcessHandle> processes = new ArrayList<>();
        try {
            assertThat(cluster.run(new String[] {"status"})).isEqualTo(ClusterService.EXIT_NOT_RUNNING);
            assertThat(cluster.run(new String[] {"start", "--taskmanagers", "1", "--web-ui-port", restPort, "--rpc-port", rpcPort}))
                    .as(err.toString(StandardCharsets.UTF_8)).isZero();
            processes.addAll(processes(logDir));
            assertThat(processes).hasSize(2).allMatch(ProcessHandle::isAlive);
            assertThat(cluster.rest("/taskmanagers").orElseThrow().path("taskmanagers")).hasSize(1);
            assertThat(cluster.run(new String[] {"start"})).isZero();
            assertThat(cluster.run(new String[] {"status"})).isZero();
            // conf/config.yaml's Prometheus reporter loads in both processes, on loopback, on a port of 9249-9259.
            assertThat(scrape(logDir.resolve("flink-jobmanager.log"))).contains("flink_jobmanager_numRegisteredTaskManagers");
            assertThat(scrape(logDir.resolve("flink-taskmanager-0.log"))).contains("flink_taskmanager_Status_JVM_CPU_Load");

            int submitted = cluster.submit(List.of("csv-log", "--input", input.toString(), "--sink", "csv",
                    "--output", output.toString(), "--checkpoint-dir", tmp.resolve("checkpoints").toString()));
            assertThat(submitted).as(err.toString(StandardCharsets.UTF_8)).isZero();
            Matcher submittedJob = Pattern.compile("Submitted job ([0-9a-f]{32}) \\(detached\\)").matcher(out.toString(StandardCharsets.UTF_8));
            assertThat(submittedJob.find()).as(out.toString(StandardCharsets.UTF_8)).isTrue();
            String jobId = submittedJob.group(1);

            await("the job RUNNING", () -> cluster.rest("/jobs/overview").map(jobs -> stateOf(jobs, jobId)).filter("RUNNING"::equals));
            assertThat(cluster.run(new String[] {"status"})).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8))
                    .contains("Running jobs: 1\n  " + jobId + "  csv-log (append, trigger default)  RUNNING\n");
            // The csv sink commits its part files on the first checkpoint (conf/config.yaml: every 10 s).
            assertThat(await("two committed rows", () -> Optional.of(committedRows(output.resolve("results"))).filter(rows -> rows.size() >= 2)))
                    .isEqualTo(List.of("2025-07-15T15:03:00.000000,1,login", "2025-07-15T15:03:01.000000,2,view"));

            HttpResponse<String> cancel = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + restPort + "/jobs/" + jobId + "?mode=cancel"))
                    .method("PATCH", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(cancel.statusCode()).isEqualTo(202);
            await("the job CANCELED", () -> cluster.rest("/jobs/overview").map(jobs -> stateOf(jobs, jobId)).filter("CANCELED"::equals));
        } finally {
            assertThat(cluster.run(new String[] {"stop"})).isZero();
        }
        assertThat(processes).noneMatch(ProcessHandle::isAlive);
        assertThat(processes(logDir)).isEmpty();
        assertThat(cluster.run(new String[] {"status"})).isEqualTo(ClusterService.EXIT_NOT_RUNNING);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains(
                "Flink cluster not running (start it with ./patterns cluster start)\n",
                "Flink cluster up: JobManager (pid ",
                "  web UI and REST API: http://localhost:" + restPort + "\n",
                "Flink cluster already running (JobManager pid ",
                "TaskManagers: 1 registered, task slots: 2 total, ",
                "Flink cluster stopped: TaskManager pid ");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    /**
     * An operator's day: a TaskManager killed with kill -9 shows as dead with its pid, add-taskmanager brings it back
     * under the same number, a TaskManager started by hand with the same command line has no pid file, and stop
     * stops every one of them.
     */
    @Test
    void showsEveryPidRestartsAKilledTaskManagerAndStopsTaskManagersItDidNotStart() throws Exception {
        Path logDir = tmp.resolve("log");
        ClusterService cluster = new ClusterService(new ClusterService.Layout(HOME, HOME.resolve("conf"), logDir),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), START_TIMEOUT);
        List<ProcessHandle> processes = new ArrayList<>();
        try {
            assertThat(cluster.run(new String[] {"add-taskmanager"})).isEqualTo(ClusterService.EXIT_NOT_RUNNING);
            assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(
                    "patterns cluster: no Flink cluster running at http://localhost:8081 (start one with ./patterns cluster start)\n");
            err.reset();
            assertThat(cluster.run(new String[] {"start", "--taskmanagers", "2", "--web-ui-port", Integer.toString(freePort()),
                    "--rpc-port", Integer.toString(freePort())})).as(err.toString(StandardCharsets.UTF_8)).isZero();
            ProcessHandle first = pidOf(logDir, "taskmanager-0");
            ProcessHandle killed = pidOf(logDir, "taskmanager-1");
            processes.addAll(List.of(pidOf(logDir, "jobmanager"), first, killed));
            // The REST API's ids name the pid files.
            assertThat(taskManagerIds(cluster)).hasSize(2)
                    .allMatch(id -> id.matches("taskmanager-[01]-[0-9a-z]+"))
                    .extracting(ClusterService::taskManagerIndex).containsExactlyInAnyOrder(0, 1);

            killed.destroyForcibly(); // kill -9
            killed.onExit().get();
            out.reset();
            assertThat(cluster.run(new String[] {"status"})).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains(
                    "  taskmanager-0  pid " + first.pid() + "  alive\n",
                    "  taskmanager-1  pid " + killed.pid() + "  dead\n");

            assertThat(cluster.run(new String[] {"add-taskmanager"})).as(err.toString(StandardCharsets.UTF_8)).isZero();
            ProcessHandle restarted = pidOf(logDir, "taskmanager-1");
            processes.add(restarted);
            assertThat(restarted.pid()).isNotEqualTo(killed.pid());
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("TaskManager 1 up (pid " + restarted.pid() + "): ");

            // A TaskManager started by hand: the command line of taskmanager-0, run again under an id of its own.
            List<String> registered = taskManagerIds(cluster);
            List<String> command = BackgroundProcess.commandLine(first).orElseThrow().stream()
                    .map(arg -> arg.startsWith("taskmanager.resource-id=") ? "taskmanager.resource-id=by-hand" : arg).toList();
            assertThat(ClusterService.taskManagerIndex("by-hand")).isEqualTo(-1);
            Process byHand = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(tmp.resolve("by-hand.out").toFile()).start();
            processes.add(byHand.toHandle());
            await("the TaskManager started by hand registered", () -> Optional.of(taskManagerIds(cluster))
                    .filter(ids -> !registered.containsAll(ids)));

            out.reset();
            assertThat(cluster.run(new String[] {"status"})).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains(
                    "  taskmanager-0  pid " + first.pid() + "  alive\n",
                    "  taskmanager-1  pid " + restarted.pid() + "  alive\n",
                    "  (no pid file)  pid " + byHand.pid() + "  alive\n");
        } finally {
            out.reset();
            assertThat(cluster.run(new String[] {"stop"})).isZero();
        }
        assertThat(processes).noneMatch(ProcessHandle::isAlive);
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Flink cluster stopped: TaskManager pid ")
                .contains("TaskManager pid " + processes.get(4).pid() + ",");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    private static List<String> taskManagerIds(ClusterService cluster) {
        List<String> ids = new ArrayList<>();
        cluster.rest("/taskmanagers").ifPresent(list -> list.path("taskmanagers").forEach(tm -> ids.add(tm.path("id").asText())));
        return ids;
    }

    private static ProcessHandle pidOf(Path logDir, String process) throws IOException {
        return ProcessHandle.of(Long.parseLong(Files.readString(logDir.resolve("flink-" + process + ".pid")).trim())).orElseThrow();
    }

    @Test
    void aBadCommandGetsTheUsageInOneLineAndSubmitNeedsACluster() throws Exception {
        ClusterService cluster = new ClusterService(new ClusterService.Layout(HOME, HOME.resolve("conf"), tmp.resolve("log")),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), TIMEOUT);
        assertThat(cluster.run(new String[] {"restart"})).isEqualTo(ClusterService.EXIT_USAGE);
        assertThat(cluster.run(new String[] {"start", "--taskmanagers", "0"})).isEqualTo(ClusterService.EXIT_USAGE);
        assertThat(cluster.run(new String[] {"submit"})).isEqualTo(ClusterService.EXIT_USAGE);
        assertThat(cluster.run(new String[] {"submit", "csv-log"})).isEqualTo(ClusterService.EXIT_NOT_RUNNING);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("""
                patterns cluster: %s (unknown 'restart')
                patterns cluster: %s
                patterns submit: usage: ./patterns submit <pattern> [options] (./patterns --help lists the patterns)
                patterns submit: no Flink cluster running at http://localhost:8081 (start one with ./patterns cluster start)
                """.formatted(ClusterService.USAGE, ClusterService.USAGE));
    }

    private static String stateOf(JsonNode overview, String jobId) {
        for (JsonNode job : overview.path("jobs")) {
            if (job.path("jid").asText().equals(jobId)) {
                return job.path("state").asText();
            }
        }
        return "UNKNOWN";
    }

    /**
     * The rows of the committed CSV part files (in-progress ones are hidden: their names start with a dot); each
     * part file starts with its header line, which is not a row.
     */
    private static List<String> committedRows(Path results) {
        if (!Files.isDirectory(results)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(results)) {
            List<String> rows = new ArrayList<>();
            for (Path file : files.filter(file -> !file.getFileName().toString().startsWith(".")).toList()) {
                List<String> lines = Files.readAllLines(file);
                rows.addAll(lines.subList(Math.min(1, lines.size()), lines.size()));
            }
            return rows.stream().sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The cluster's processes, by their pid files. */
    private static List<ProcessHandle> processes(Path logDir) throws IOException {
        if (!Files.isDirectory(logDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(logDir)) {
            List<ProcessHandle> processes = new ArrayList<>();
            for (Path pidFile : files.filter(file -> file.toString().endsWith(".pid")).sorted().toList()) {
                ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).ifPresent(processes::add);
            }
            return processes;
        }
    }

    /** Polls until {@code condition} has a value (see {@link Await}); fails after TIMEOUT. */
    private static <T> T await(String what, Await.Probe<T> condition) throws Exception {
        return Await.value(() -> what, TIMEOUT, condition);
    }

    /** The /metrics page of the process whose log says where its Prometheus reporter listens. */
    private static String scrape(Path log) throws Exception {
        Pattern started = Pattern.compile("Started PrometheusReporter HTTP server on port (\\d+) of 127\\.0\\.0\\.1\\.");
        String port = await("the Prometheus reporter's start in " + log, () -> {
            Matcher matcher = started.matcher(Files.isRegularFile(log) ? Files.readString(log) : "");
            return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
        });
        assertThat(Integer.parseInt(port)).isBetween(9249, 9259);
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        return metrics.body();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
