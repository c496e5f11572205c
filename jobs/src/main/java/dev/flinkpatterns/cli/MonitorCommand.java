package dev.flinkpatterns.cli;

import dev.flinkpatterns.monitor.FlinkRest;
import dev.flinkpatterns.monitor.JobSummary;
import dev.flinkpatterns.monitor.MonitorException;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A command that watches or steers jobs through the Flink REST API (of a local run or a cluster), like Spark's
 * streaming query API. It needs no Flink classes, only HTTP. Anything that goes wrong (no REST API there, no such
 * job) is one line on stderr and exit code 1.
 */
abstract class MonitorCommand implements Callable<Integer> {

    static final int ERROR = 1;

    @Spec
    CommandSpec spec;

    @Option(names = "--rest", paramLabel = "URL", defaultValue = "http://localhost:${env:PATTERNS_WEB_UI_PORT:-8081}",
            description = "The Flink REST API: a local run's web UI (--web-ui-port) or a cluster's JobManager "
                    + "(default: ${DEFAULT-VALUE}).")
    String rest;

    @Override
    public final Integer call() throws Exception {
        CliContext context = CliContext.of(spec);
        try {
            return run(new FlinkRest(rest), context.out());
        } catch (MonitorException e) {
            context.err().println(spec.qualifiedName(" ") + ": " + e.getMessage());
            return ERROR;
        }
    }

    abstract int run(FlinkRest rest, PrintStream out) throws Exception;

    /** {@code 5s}, {@code 3m 07s}, {@code 1h 02m 03s}. */
    static String elapsed(long millis) {
        long seconds = millis / 1000;
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format("%dm %02ds", seconds / 60, seconds % 60);
        }
        return String.format("%dh %02dm %02ds", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }

    static String describe(JobSummary job) {
        return "job " + job.id() + " '" + job.name() + "'";
    }
}
