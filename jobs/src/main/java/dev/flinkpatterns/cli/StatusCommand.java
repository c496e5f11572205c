package dev.flinkpatterns.cli;

import dev.flinkpatterns.monitor.FlinkRest;
import dev.flinkpatterns.monitor.JobSummary;
import dev.flinkpatterns.monitor.StatusReport;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"What a job is doing now (Spark's query.status).", "What a job is doing now (Spark's query.status), as JSON: its state, whether data arrives "
                + "(isDataAvailable) and is being processed (isProcessing), its last checkpoint."})
class StatusCommand extends MonitorCommand {

    @Parameters(paramLabel = "JOB", description = "A job id or a job name (a unique prefix of either will do).")
    String job;

    @Override
    int run(FlinkRest rest, PrintStream out) {
        out.println(FlinkRest.pretty(StatusReport.of(rest, JobSummary.resolve(rest, job).id())));
        return 0;
    }
}
