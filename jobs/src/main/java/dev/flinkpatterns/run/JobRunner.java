package dev.flinkpatterns.run;

import dev.flinkpatterns.core.DisplayPath;
import dev.flinkpatterns.io.Sinks;
import dev.flinkpatterns.listen.QueryListeners;
import dev.flinkpatterns.parse.ParseOrDeadLetter;
import dev.flinkpatterns.time.LateRows;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.client.JobCancellationException;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.JobListener;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ExceptionUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a built job to its end, with its companions beside it. Ctrl+C (SIGINT/SIGTERM) stops the companions,
 * cancels the job and waits for both, so the JVM exits with no job, thread or half-written file left.
 */
public final class JobRunner {

    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
    private static final long STOP_TIMEOUT_SECONDS = 30;
    public static final int FINISHED = 0;
    public static final int FAILED = 1;
    public static final int STOPPED_BY_USER = 130;

    private final PrintStream out;
    private final PrintStream err;

    public JobRunner(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /**
     * What happened to the job: 0 finished, 1 failed, 130 stopped by the user. {@code resultDirs}: where file sinks
     * write (empty: none); like the dead-letter and late-row directories, they are cleared of the part files that
     * failed attempts abandoned once the job has finished.
     */
    public int run(StreamExecutionEnvironment env, String jobName, List<Companion> companions, List<String> resultDirs,
            String deadLetterDir, String lateRowDir, Duration progressInterval)
            throws Exception {
        JobClient job = submit(env, jobName);
        LOG.info("Submitted {} as job {}", jobName, job.getJobID());
        if (!env.getConfiguration().get(DeploymentOptions.ATTACHED)) {
            out.println("Submitted job " + job.getJobID() + " (detached)");
            return 0;
        }
        List<Thread> threads = new ArrayList<>();
        for (Companion companion : companions) {
            threads.add(start(companion));
        }
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "patterns-progress");
            thread.setDaemon(true);
            return thread;
        });
        if (!progressInterval.isZero()) {
            long millis = progressInterval.toMillis();
            progress.scheduleAtFixedRate(new Progress(job, err), millis, millis, TimeUnit.MILLISECONDS);
        }
        AtomicBoolean stoppedByUser = new AtomicBoolean();
        Thread stopper = new Thread(() -> {
            stoppedByUser.set(true);
            stop(threads);
            cancel(job);
        }, "patterns-shutdown");
        Runnable removeStopper = CommandScope.onStop(stopper);
        try {
            JobExecutionResult result = job.getJobExecutionResult().get();
            stop(threads);
            awaitListeners(env);
            List<String> written = new ArrayList<>(resultDirs);
            written.add(deadLetterDir);
            written.add(lateRowDir);
            removeAbandonedPartFiles(written);
            report(result, resultDirs, deadLetterDir, lateRowDir);
            return FINISHED;
        } catch (ExecutionException | CancellationException e) {
            stop(threads);
            awaitListeners(env);
            if (stoppedByUser.get()) {
                return STOPPED_BY_USER;
            }
            Throwable cause = ExceptionUtils.stripExecutionException(e);
            if (ExceptionUtils.findThrowable(cause, JobCancellationException.class).isPresent()) {
                err.println("patterns: the job was cancelled (./patterns stop, the web UI or the REST API)");
                return FAILED;
            }
            LOG.error("Job {} failed", jobName, cause);
            err.println("patterns: job failed: " + rootMessage(cause));
            return FAILED;
        } finally {
            progress.shutdownNow();
            removeStopper.run();
        }
    }

    /**
     * Another run can take the web UI port between the embedded runtime's check and the cluster's start: that is
     * the same usage error as a port found busy by the check, not a failed job.
     */
    private static JobClient submit(StreamExecutionEnvironment env, String jobName) throws Exception {
        try {
            return env.executeAsync(jobName);
        } catch (Exception e) {
            if (env instanceof LocalStreamEnvironment && ExceptionUtils.findThrowable(e, BindException.class).isPresent()) {
                LOG.info("The local cluster could not bind its web UI port", e);
                throw ExecutionRuntime.webUiPortInUse(env.getConfiguration().get(RestOptions.PORT));
            }
            throw e;
        }
    }

    /** The query listeners have been told how the job ended before the run reports it (and the JVM may exit). */
    private static void awaitListeners(StreamExecutionEnvironment env) throws InterruptedException {
        for (JobListener listener : env.getJobListeners()) {
            if (listener instanceof QueryListeners.Registration registration
                    && !registration.awaitTerminated(Duration.ofSeconds(STOP_TIMEOUT_SECONDS))) {
                LOG.warn("A query listener was not told the job's end within {} s", STOP_TIMEOUT_SECONDS);
            }
        }
    }

    private Thread start(Companion companion) {
        Thread thread = new Thread(() -> {
            try {
                companion.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.error("{} failed", companion.name(), e);
                err.println("patterns: " + companion.name() + " failed: " + rootMessage(e));
            }
        }, companion.name());
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void stop(List<Thread> threads) {
        for (Thread thread : threads) {
            thread.interrupt();
        }
        for (Thread thread : threads) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(STOP_TIMEOUT_SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void cancel(JobClient job) {
        try {
            job.cancel().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            job.getJobExecutionResult().handle((r, t) -> null).get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            err.println("patterns: stopped.");
        } catch (Exception e) {
            // The job may have ended on its own meanwhile; nothing left to stop.
            LOG.debug("Cancelling the job: {}", e.toString());
        }
    }

    private static void removeAbandonedPartFiles(List<String> directories) throws IOException {
        for (String directory : directories) {
            if (directory != null) {
                int removed = Sinks.removeAbandonedPartFiles(directory);
                if (removed > 0) {
                    LOG.info("Removed {} part file(s) abandoned by failed attempts under {}", removed, directory);
                }
            }
        }
    }

    private void report(JobExecutionResult result, List<String> resultDirs, String deadLetterDir, String lateRowDir) {
        for (String resultDir : resultDirs) {
            out.println("Results: written to " + DisplayPath.of(resultDir));
        }
        Object deadLetters = result.getAllAccumulatorResults().get(ParseOrDeadLetter.DEAD_LETTERS);
        if (deadLetters instanceof Long count && count > 0) {
            out.println("Dead letters: " + count + " malformed record(s) written to " + DisplayPath.of(deadLetterDir));
        }
        Object lateRows = result.getAllAccumulatorResults().get(LateRows.LATE_ROWS);
        if (lateRows instanceof Long count && count > 0) {
            out.println("Late rows: " + count + " dropped behind the watermark"
                    + (lateRowDir == null ? " (see them with --late-output DIR)" : ", written to " + DisplayPath.of(lateRowDir)));
        }
    }

    /** The innermost cause in one line, and where its stack trace is: what a user can act on. */
    public static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null || root.getMessage().isBlank()
                ? root.getClass().getSimpleName()
                : root.getMessage() + " (" + root.getClass().getSimpleName() + ")";
        String logDir = System.getProperty("patterns.log.dir");
        return logDir == null ? message : message + "; details in " + DisplayPath.of(Path.of(logDir, "patterns.log"));
    }
}
