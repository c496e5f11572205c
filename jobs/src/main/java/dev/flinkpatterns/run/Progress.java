package dev.flinkpatterns.run;

import dev.flinkpatterns.parse.ParseOrDeadLetter;
import dev.flinkpatterns.time.LateRows;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The progress line a local run prints every interval (Spark logs a query's progress after each batch): records read
 * and their rate since the last line, late rows dropped, dead letters. It reads the job's accumulators, which the
 * TaskManagers report with their heartbeats, so the figures trail the job by up to {@code heartbeat.interval}.
 */
public final class Progress implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Progress.class);

    private final JobClient job;
    private final PrintStream err;
    private long previousRows;
    private long previousNanos = System.nanoTime();

    Progress(JobClient job, PrintStream err) {
        this.job = job;
        this.err = err;
    }

    @Override
    public void run() {
        try {
            Map<String, Object> accumulators = job.getAccumulators().get(10, TimeUnit.SECONDS);
            long now = System.nanoTime();
            long rows = total(accumulators, ParseOrDeadLetter.RECORDS_READ);
            err.println(line(accumulators, rows - previousRows, Duration.ofNanos(now - previousNanos)));
            previousRows = rows;
            previousNanos = now;
        } catch (Exception e) {
            // The job is ending or the cluster is busy: the next line will tell.
            LOG.debug("No progress from the job: {}", e.toString());
        }
    }

    /** {@code progress: 1200 records read (240 records/s), 3 late rows dropped, 1 dead letter}. */
    static String line(Map<String, Object> accumulators, long newRows, Duration since) {
        List<String> parts = new ArrayList<>();
        if (accumulators.containsKey(ParseOrDeadLetter.RECORDS_READ)) {
            long perSecond = since.toMillis() <= 0 ? 0 : newRows * 1000 / since.toMillis();
            parts.add(total(accumulators, ParseOrDeadLetter.RECORDS_READ) + " records read (" + perSecond + " records/s)");
        }
        if (accumulators.containsKey(LateRows.LATE_ROWS)) {
            parts.add(plural(total(accumulators, LateRows.LATE_ROWS), "late row") + " dropped");
        }
        parts.add(plural(total(accumulators, ParseOrDeadLetter.DEAD_LETTERS), "dead letter"));
        return "progress: " + String.join(", ", parts);
    }

    /** An accumulator's total; 0 when the job has none of that name. */
    public static long total(Map<String, Object> accumulators, String name) {
        return accumulators.get(name) instanceof Long value ? value : 0;
    }

    private static String plural(long count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }
}
