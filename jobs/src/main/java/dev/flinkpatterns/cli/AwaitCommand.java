package dev.flinkpatterns.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinkpatterns.monitor.FlinkRest;
import dev.flinkpatterns.monitor.JobSummary;
import dev.flinkpatterns.monitor.MonitorException;
import java.io.PrintStream;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "await", mixinStandardHelpOptions = true,
        description = {"Waits until a job ends (Spark's query.awaitTermination(timeout)) and prints how it ended.",
                "Exit code: 0 the job FINISHED; 1 it FAILED or was CANCELED (or no REST API, no such job); "
                        + "124 --timeout passed first (the job goes on).",
                "A local run (./patterns <pattern>) exits with its job and takes its REST API "
                        + "along, so there the run's own exit code tells how the job ended."})
class AwaitCommand extends MonitorCommand {

    static final int TIMED_OUT = 124;
    private static final long POLL_MILLIS = 200;

    @Parameters(paramLabel = "JOB", description = "A job id or a job name (a unique prefix of either will do).")
    String job;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "Give up after this long (default: wait as long as the job runs).")
    Duration timeout;

    @Override
    int run(FlinkRest rest, PrintStream out) throws InterruptedException {
        JobSummary target = JobSummary.resolve(rest, job);
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        while (true) {
            String state;
            try {
                state = rest.get("/jobs/" + target.id()).path("state").asText();
            } catch (FlinkRest.Unreachable e) {
                throw new MonitorException("the REST API at " + rest.address() + " went away with " + describe(target)
                        + ": a local run exits when its job ends, so how it ended is unknown here (the run's exit code tells)");
            }
            if (state.equals("FINISHED")) {
                out.println(describe(target) + " FINISHED");
                return 0;
            }
            if (JobSummary.TERMINAL.contains(state)) {
                out.println(describe(target) + " " + state + (state.equals("FAILED") ? ": " + failure(rest, target) : ""));
                return ERROR;
            }
            if (System.nanoTime() - deadline >= 0) {
                out.println(describe(target) + " still " + state + " after " + elapsed(timeout.toMillis()));
                return TIMED_OUT;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private static String failure(FlinkRest rest, JobSummary target) {
        JsonNode latest = rest.get("/jobs/" + target.id() + "/exceptions").path("exceptionHistory").path("entries").path(0);
        return StopCommand.failure(FlinkRest.JSON.createObjectNode().put("stack-trace",
                latest.path("stacktrace").asText(latest.path("exceptionName").asText("unknown cause"))));
    }
}
