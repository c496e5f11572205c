package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.monitor.FlinkRest;
import dev.flinkpatterns.monitor.JobSummary;
import dev.flinkpatterns.monitor.ProgressReport;
import java.io.PrintStream;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "progress", mixinStandardHelpOptions = true,
        description = {"A job's progress (Spark's lastProgress, recentProgress).", "A job's progress as JSON, with Spark's field names (query.lastProgress; with --follow, "
                + "query.recentProgress as it happens): numInputRows, inputRowsPerSecond, processedRowsPerSecond, "
                + "the latest checkpoint (id, durationMs, sizes), eventTime.watermark, stateOperators (state size "
                + "per operator), numRowsDroppedByWatermark, deadLetters, backpressure per operator.",
                "Rates are over the time since the previous report (the first: since the job started); "
                        + "processedRowsPerSecond is Flink's one-minute meter of the job's last operators."})
class ProgressCommand extends MonitorCommand {

    @Parameters(paramLabel = "JOB", description = "A job id or a job name (a unique prefix of either will do).")
    String job;

    @Option(names = "--follow", description = "A report every --interval until the job ends (Ctrl+C stops watching, not the job).")
    boolean follow;

    @Option(names = "--interval", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            defaultValue = "5s", description = "Time between reports with --follow (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Override
    int run(FlinkRest rest, PrintStream out) throws InterruptedException {
        if (interval.isZero()) {
            throw new UsageException("--interval must be longer than 0");
        }
        String jobId = JobSummary.resolve(rest, job).id();
        ProgressReport.Report report = ProgressReport.of(rest, jobId, null);
        out.println(FlinkRest.pretty(report.json()));
        while (follow && !report.jobEnded()) {
            Thread.sleep(interval.toMillis());
            try {
                report = ProgressReport.of(rest, jobId, report.sample());
            } catch (FlinkRest.Unreachable e) {
                out.println("The REST API at " + rest.address() + " went away: a local run exits when its job ends.");
                return 0;
            }
            out.println(FlinkRest.pretty(report.json()));
        }
        return 0;
    }
}
