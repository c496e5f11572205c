package dev.flinkpatterns.cli;

import dev.flinkpatterns.monitor.FlinkRest;
import dev.flinkpatterns.monitor.JobSummary;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "jobs", mixinStandardHelpOptions = true,
        description = {"The running jobs (Spark's spark.streams.active).", "Lists the running jobs (Spark's spark.streams.active): id, name, state, start time (UTC), "
                + "duration. Over the Flink REST API of a local run or a cluster."})
class JobsCommand extends MonitorCommand {

    private static final DateTimeFormatter START = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    @Option(names = "--all", description = "Ended jobs too (finished, failed, canceled), as long as the JobManager keeps them.")
    boolean all;

    @Override
    int run(FlinkRest rest, PrintStream out) {
        List<JobSummary> jobs = JobSummary.all(rest).stream().filter(job -> all || job.isActive()).toList();
        if (jobs.isEmpty()) {
            out.println("No " + (all ? "" : "running ") + "jobs at " + rest.address());
            return 0;
        }
        int nameWidth = Math.max(4, jobs.stream().mapToInt(job -> job.name().length()).max().orElse(0));
        String format = "%-32s  %-" + nameWidth + "s  %-12s  %-19s  %s%n";
        out.printf(format, "ID", "NAME", "STATE", "START TIME (UTC)", "DURATION");
        for (JobSummary job : jobs) {
            out.printf(format, job.id(), job.name(), job.state(), START.format(Instant.ofEpochMilli(job.startTime())),
                    elapsed(job.durationMs()));
        }
        return 0;
    }
}
