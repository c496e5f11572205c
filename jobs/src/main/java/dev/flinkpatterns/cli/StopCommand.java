package dev.flinkpatterns.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flinkpatterns.core.DisplayPath;
import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.monitor.FlinkRest;
import dev.flinkpatterns.monitor.JobSummary;
import dev.flinkpatterns.monitor.MonitorException;
import dev.flinkpatterns.run.ExecutionRuntime;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "stop", mixinStandardHelpOptions = true,
        description = {"Stops a job or every job, optionally with a savepoint (Spark's query.stop(), stopAll()).",
                "Stops a job (Spark's query.stop()), or with --all every running job (spark.streams.stopAll()): cancels it, or with --savepoint stops it with a "
                + "savepoint (Flink's stop-with-savepoint: the sources stop, a last savepoint is taken, the job "
                + "FINISHES) and prints the savepoint's path. Waits until the job has ended.",
                "A local run (./patterns <pattern>) exits when its job ends, and its REST API with it."})
class StopCommand extends MonitorCommand {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final long POLL_MILLIS = 50;
    private static final long RETRY_MILLIS = 500;
    /** Flink's reasons for declining a savepoint of a job that has just started (it is still being deployed). */
    private static final List<String> NOT_RUNNING_YET = List.of("Not all required tasks are currently running",
            "not available while the JobManager is initializing");
    private static final String LOCAL_RUN_EXITED = "ended (its local run exited with it)";
    private static final String[] SAVEPOINT_DIR_KEYS = {"execution.checkpointing.savepoint-dir", "state.savepoints.dir"};

    @Parameters(paramLabel = "JOB", arity = "0..1",
            description = "A job id or a job name (a unique prefix of either will do).")
    String job;

    @Option(names = "--all", description = "Every running job, one after the other (Spark's spark.streams.stopAll()).")
    boolean all;

    @Option(names = "--savepoint", arity = "0..1", paramLabel = "DIR", fallbackValue = "",
            description = "Stop with a savepoint in DIR (a path or a URI such as s3://...; default: the cluster's "
                    + "execution.checkpointing.savepoint-dir). Give it after JOB, or as --savepoint=DIR.")
    String savepoint;

    @Option(names = "--drain",
            description = "With --savepoint: first advance the watermark to the end of time, so that every open window "
                    + "fires and every timer runs (flink stop --drain); for a job that will not be resumed.")
    boolean drain;

    @Override
    int run(FlinkRest rest, PrintStream out) throws InterruptedException {
        if (drain && savepoint == null) {
            throw new UsageException("--drain applies only with --savepoint");
        }
        if (all == (job != null)) {
            throw new UsageException(all ? "give JOB or --all, not both" : "give the JOB to stop, or --all");
        }
        if (all) {
            List<JobSummary> running = JobSummary.all(rest).stream().filter(JobSummary::isActive).toList();
            if (running.isEmpty()) {
                out.println("No running jobs at " + rest.address());
            }
            String directory = running.isEmpty() || savepoint == null ? null : savepointDirectory(rest);
            for (JobSummary target : running) {
                stop(rest, target, directory, out, true);
            }
            return 0;
        }
        JobSummary target = JobSummary.resolve(rest, job);
        if (!target.isActive()) {
            throw new MonitorException(describe(target) + " has already ended (" + target.state() + ")");
        }
        stop(rest, target, savepoint == null ? null : savepointDirectory(rest), out, false);
        return 0;
    }

    /**
     * Cancels {@code target}, or stops it with a savepoint in {@code directory} (not null), and waits for its end.
     * {@code oneLine}: the savepoint and the end state on one line (--all: a line per job).
     */
    private void stop(FlinkRest rest, JobSummary target, String directory, PrintStream out, boolean oneLine)
            throws InterruptedException {
        if (directory == null) {
            // A local run exits when its job ends: waiting for that, rather than for whichever of the end state and
            // the exit is seen first, says the same thing every time.
            boolean localRun = clusterSetting(rest, ExecutionRuntime.LOCAL_RUN.key()).map(Boolean::parseBoolean)
                    .orElse(false);
            rest.patch("/jobs/" + target.id() + "?mode=cancel");
            out.println("Cancelled " + describe(target) + ": " + awaitEnd(rest, target, localRun));
        } else {
            Stopped stopped = stopWithSavepoint(rest, target, directory);
            String saved = "Stopped " + describe(target) + " with a savepoint: " + DisplayPath.of(stopped.location());
            out.println(oneLine ? saved + " (" + stopped.jobState() + ")" : saved + "\nJob state: " + stopped.jobState());
        }
    }

    /** The directory as a URI the JobManager understands: the one given, else the cluster's default. */
    private String savepointDirectory(FlinkRest rest) {
        if (!savepoint.isBlank()) {
            // A local path made absolute: the JobManager does not share our working directory.
            return savepoint.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") ? savepoint
                    : Path.of(savepoint).toAbsolutePath().toUri().toString();
        }
        return clusterSetting(rest, SAVEPOINT_DIR_KEYS).orElseThrow(() -> new MonitorException("the cluster at "
                + rest.address() + " has no default savepoint directory"
                + " (execution.checkpointing.savepoint-dir): give one with --savepoint=DIR"));
    }

    /** The value of the first of these keys that the cluster's configuration has. */
    private static Optional<String> clusterSetting(FlinkRest rest, String... keys) {
        for (JsonNode entry : rest.get("/jobmanager/config")) {
            for (String key : keys) {
                if (entry.path("key").asText().equals(key)) {
                    return Optional.of(entry.path("value").asText());
                }
            }
        }
        return Optional.empty();
    }

    /** Where the savepoint went, and the job's state after it. */
    private record Stopped(String location, String jobState) {}

    private Stopped stopWithSavepoint(FlinkRest rest, JobSummary target, String directory) throws InterruptedException {
        ObjectNode request = FlinkRest.JSON.createObjectNode();
        request.put("drain", drain);
        request.put("targetDirectory", directory);
        String trigger = rest.post("/jobs/" + target.id() + "/stop", request).path("request-id").asText();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode answer;
            try {
                answer = rest.get("/jobs/" + target.id() + "/savepoints/" + trigger);
            } catch (FlinkRest.Unreachable e) {
                // A local run: the job finished after its savepoint and took the REST API along before we saw it.
                return writtenSavepoint(directory, target)
                        .map(location -> new Stopped(location, LOCAL_RUN_EXITED))
                        .orElseThrow(() -> new MonitorException("the REST API at " + rest.address() + " went away before "
                                + describe(target) + " reported its savepoint (a local run ends with its job); look under "
                                + directory));
            }
            if (answer.path("status").path("id").asText().equals("COMPLETED")) {
                JsonNode operation = answer.path("operation");
                // Flink reports a stop's savepoint only once the job has FINISHED; a job that failed while
                // stopping reports a failure instead.
                if (operation.hasNonNull("location")) {
                    return new Stopped(operation.path("location").asText(), "FINISHED");
                }
                String cause = operation.path("failure-cause").toString();
                if (NOT_RUNNING_YET.stream().anyMatch(cause::contains)) {
                    // Asked again, it stops once its tasks run.
                    Thread.sleep(RETRY_MILLIS);
                    trigger = rest.post("/jobs/" + target.id() + "/stop", request).path("request-id").asText();
                    continue;
                }
                throw new MonitorException("the savepoint of " + describe(target) + " failed: "
                        + failure(operation.path("failure-cause")));
            }
            Thread.sleep(POLL_MILLIS);
        }
        throw new MonitorException("the savepoint of " + describe(target) + " did not complete within "
                + TIMEOUT.toMinutes() + " min");
    }

    /** Flink names a savepoint {@code savepoint-<first 6 characters of the job id>-<random>}; local directories only. */
    private static Optional<String> writtenSavepoint(String directory, JobSummary target) {
        if (!directory.startsWith("file:")) {
            return Optional.empty();
        }
        Path dir = Path.of(URI.create(directory));
        String prefix = "savepoint-" + target.id().substring(0, 6) + "-";
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(child -> child.getFileName().toString().startsWith(prefix))
                    .filter(child -> Files.exists(child.resolve("_metadata")))
                    .max((a, b) -> Long.compare(a.toFile().lastModified(), b.toFile().lastModified()))
                    .map(child -> "file:" + child);
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The job's end state; for a local run, once the run has exited with its job. */
    private String awaitEnd(FlinkRest rest, JobSummary target, boolean localRun) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String state;
            try {
                state = rest.get("/jobs/" + target.id()).path("state").asText();
            } catch (FlinkRest.Unreachable e) {
                return LOCAL_RUN_EXITED;
            }
            if (!localRun && JobSummary.TERMINAL.contains(state)) {
                return state;
            }
            Thread.sleep(POLL_MILLIS);
        }
        throw new MonitorException(describe(target) + " did not end within " + TIMEOUT.toMinutes() + " min");
    }

    /** The innermost "Caused by" of Flink's serialized failure: what went wrong, in one line. */
    static String failure(JsonNode cause) {
        String trace = cause.path("stack-trace").asText(cause.path("class").asText("unknown cause"));
        String reason = trace.lines().findFirst().orElse("unknown cause");
        for (String line : trace.lines().toList()) {
            if (line.startsWith("Caused by: ")) {
                reason = line.substring("Caused by: ".length());
            }
        }
        return reason.strip();
    }
}
