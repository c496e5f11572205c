package dev.flinkpatterns.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flinkpatterns.monitor.FlinkRest;
import dev.flinkpatterns.monitor.JobSummary;
import dev.flinkpatterns.monitor.MonitorException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "stop", mixinStandardHelpOptions = true,
        description = {"Stops a job (Spark's query.stop()): cancels it, or with --savepoint stops it with a "
                + "savepoint (Flink's stop-with-savepoint: the sources stop, a last savepoint is taken, the job "
                + "FINISHES) and prints the savepoint's path. Waits until the job has ended."})
class StopCommand extends MonitorCommand {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final long POLL_MILLIS = 200;

    @Parameters(paramLabel = "JOB", description = "A job id or a job name (a unique prefix of either will do).")
    String job;

    @Option(names = "--savepoint", arity = "0..1", paramLabel = "DIR", fallbackValue = "",
            description = "Stop with a savepoint in DIR (a path or a URI such as s3://...; default: the cluster's "
                    + "execution.checkpointing.savepoint-dir). Give it after JOB, or as --savepoint=DIR.")
    String savepoint;

    @Override
    int run(FlinkRest rest, PrintStream out) throws InterruptedException {
        JobSummary target = JobSummary.resolve(rest, job);
        if (!target.isActive()) {
            throw new MonitorException(describe(target) + " has already ended (" + target.state() + ")");
        }
        if (savepoint == null) {
            rest.patch("/jobs/" + target.id() + "?mode=cancel");
            out.println("Cancelled " + describe(target) + ": " + awaitEnd(rest, target));
        } else {
            String location = stopWithSavepoint(rest, target);
            out.println("Stopped " + describe(target) + " with a savepoint: " + location);
            out.println("Job state: " + awaitEnd(rest, target));
        }
        return 0;
    }

    private String stopWithSavepoint(FlinkRest rest, JobSummary target) throws InterruptedException {
        ObjectNode request = FlinkRest.JSON.createObjectNode();
        request.put("drain", false);
        if (!savepoint.isBlank()) {
            request.put("targetDirectory", directory(savepoint));
        }
        String trigger = rest.post("/jobs/" + target.id() + "/stop", request).path("request-id").asText();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode answer = rest.get("/jobs/" + target.id() + "/savepoints/" + trigger);
            if (answer.path("status").path("id").asText().equals("COMPLETED")) {
                JsonNode operation = answer.path("operation");
                if (operation.hasNonNull("location")) {
                    return operation.path("location").asText();
                }
                throw new MonitorException("the savepoint of " + describe(target) + " failed: "
                        + failure(operation.path("failure-cause")));
            }
            Thread.sleep(POLL_MILLIS);
        }
        throw new MonitorException("the savepoint of " + describe(target) + " did not complete within "
                + TIMEOUT.toMinutes() + " min");
    }

    private String awaitEnd(FlinkRest rest, JobSummary target) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String state = rest.get("/jobs/" + target.id()).path("state").asText();
            if (JobSummary.TERMINAL.contains(state)) {
                return state;
            }
            Thread.sleep(POLL_MILLIS);
        }
        throw new MonitorException(describe(target) + " did not end within " + TIMEOUT.toMinutes() + " min");
    }

    /** A local path as an absolute file URI (the JobManager does not share our working directory). */
    private static String directory(String dir) {
        return dir.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") ? dir : Path.of(dir).toAbsolutePath().toUri().toString();
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
