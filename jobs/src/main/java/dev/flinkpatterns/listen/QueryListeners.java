package dev.flinkpatterns.listen;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinkpatterns.monitor.FlinkRest;
import dev.flinkpatterns.monitor.MonitorException;
import dev.flinkpatterns.monitor.ProgressReport;
import dev.flinkpatterns.parse.ParseOrDeadLetter;
import dev.flinkpatterns.run.Progress;
import dev.flinkpatterns.time.LateRows;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.JobListener;
import org.apache.flink.runtime.client.JobCancellationException;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ExceptionUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers a {@link QueryListener} on an environment, Spark's {@code spark.streams.addListener}. It is a Flink
 * {@link JobListener}: each job the environment submits is watched over the REST API the environment's configuration
 * names ({@code rest.address}, {@code rest.port}: a local run's web UI, or the cluster {@code flink run} submits to),
 * with the figures of {@code ./patterns progress}.
 */
public final class QueryListeners {

    private static final Logger LOG = LoggerFactory.getLogger(QueryListeners.class);
    private static final Duration CHECKPOINT_POLL = Duration.ofMillis(100);

    private QueryListeners() {}

    /** Call before {@code execute} or {@code executeAsync}. */
    public static Registration register(StreamExecutionEnvironment env, QueryListener listener) {
        Registration registration = new Registration(listener, env.getConfiguration());
        env.registerJobListener(registration);
        return registration;
    }

    /** The REST API a job of this configuration is watched over. */
    static String restAddress(ReadableConfig configuration) {
        return "http://" + configuration.getOptional(RestOptions.ADDRESS).orElse("localhost") + ":"
                + configuration.get(RestOptions.PORT);
    }

    /** A listener on an environment; {@link #awaitTerminated} waits until its last job's end has been told. */
    public static final class Registration implements JobListener {

        private final QueryListener listener;
        private final String restAddress;
        private final String configuredName;
        private volatile CompletableFuture<Void> terminated = CompletableFuture.completedFuture(null);

        private Registration(QueryListener listener, ReadableConfig configuration) {
            this.listener = listener;
            this.restAddress = restAddress(configuration);
            this.configuredName = configuration.get(PipelineOptions.NAME);
        }

        @Override
        public void onJobSubmitted(JobClient job, Throwable error) {
            if (job != null) {
                Watch watch = new Watch(job);
                terminated = watch.told;
                watch.start();
            }
        }

        @Override
        public void onJobExecuted(JobExecutionResult result, Throwable error) {}

        /** True once the end of the last job submitted has reached the listener (or after {@code timeout}). */
        public boolean awaitTerminated(Duration timeout) throws InterruptedException {
            try {
                terminated.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return true;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                return false;
            }
        }

        /**
         * One job: every event is told from one thread, in order. Checkpoints are polled on {@code /checkpoints}
         * (one small request); a new one brings a whole progress report.
         */
        private final class Watch {
            private final JobClient job;
            private final String id;
            private final FlinkRest rest = new FlinkRest(restAddress);
            private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread t = new Thread(runnable, "patterns-query-listener");
                t.setDaemon(true);
                return t;
            });
            private final CompletableFuture<Void> told = new CompletableFuture<>();
            private String name;
            private ProgressReport.Sample sample;
            private QueryListener.Progress last;

            Watch(JobClient job) {
                this.job = job;
                this.id = job.getJobID().toHexString();
            }

            void start() {
                thread.execute(() -> {
                    name = jobName();
                    tell(() -> listener.onStarted(new QueryListener.Started(id, name, now())));
                });
                thread.scheduleWithFixedDelay(this::pollCheckpoints, CHECKPOINT_POLL.toMillis(), CHECKPOINT_POLL.toMillis(),
                        TimeUnit.MILLISECONDS);
                // Not on the thread that completes the result: that may be the JobManager's own, which the REST API needs.
                job.getJobExecutionResult().handleAsync((result, error) -> {
                    end(result, error);
                    return null;
                }, thread);
            }

            private String jobName() {
                try {
                    return rest.get("/jobs/" + id).path("name").asText(configuredName);
                } catch (MonitorException e) {
                    return configuredName;
                }
            }

            private void pollCheckpoints() {
                try {
                    JsonNode completed = rest.get("/jobs/" + id + "/checkpoints").path("latest").path("completed");
                    if (completed.isObject() && (last == null || last.checkpointId() == null
                            || completed.path("id").asLong() > last.checkpointId())) {
                        report();
                    }
                } catch (MonitorException e) {
                    // Busy, or gone with the job: the job's end is told from its result.
                    LOG.debug("No checkpoints of job {}: {}", id, e.getMessage());
                }
            }

            private void report() {
                ProgressReport.Report report = ProgressReport.of(rest, id, sample);
                sample = report.sample();
                QueryListener.Progress progress = progress(report.json());
                last = progress;
                tell(() -> listener.onProgress(progress));
            }

            private QueryListener.Progress progress(JsonNode json) {
                JsonNode checkpoint = json.path("checkpoint");
                JsonNode watermark = json.path("eventTime").path("watermark");
                return new QueryListener.Progress(id, name, json.path("timestamp").asText(),
                        json.path("numInputRows").asLong(), watermark.isMissingNode() ? null : watermark.asText(),
                        checkpoint.isObject() ? checkpoint.path("id").asLong() : null,
                        checkpoint.isObject() ? checkpoint.path("durationMs").asLong() : null,
                        checkpoint.path("stateSizeBytes").asLong(), json.path("numRowsDroppedByWatermark").asLong(),
                        json.path("deadLetters").asLong());
            }

            /**
             * A finished job's last figures first (Spark's last batch of availableNow), unless the last progress told
             * them already; then how it ended.
             */
            private void end(JobExecutionResult result, Throwable error) {
                try {
                    QueryListener.Reason reason = QueryListener.Reason.FINISHED;
                    String exception = null;
                    if (error != null) {
                        Throwable cause = ExceptionUtils.stripCompletionException(error);
                        boolean cancelled = ExceptionUtils.findThrowable(cause, JobCancellationException.class).isPresent();
                        reason = cancelled ? QueryListener.Reason.CANCELLED : QueryListener.Reason.FAILED;
                        exception = cancelled ? null : rootMessage(cause);
                    } else {
                        finalProgress(result);
                    }
                    QueryListener.Terminated terminatedEvent =
                            new QueryListener.Terminated(id, name, now(), reason, exception);
                    tell(() -> listener.onTerminated(terminatedEvent));
                } finally {
                    told.complete(null);
                    thread.shutdown();
                }
            }

            /**
             * The counts from the job's result (exact; the REST API serves a job's figures cached for up to
             * {@code web.refresh-interval}), the rest from a last report if the REST API is still there (a local run's
             * goes with its job), else as last told.
             */
            private void finalProgress(JobExecutionResult result) {
                QueryListener.Progress reported = last;
                try {
                    reported = progress(ProgressReport.of(rest, id, sample).json());
                } catch (MonitorException e) {
                    LOG.debug("No last report of job {}: {}", id, e.getMessage());
                }
                Map<String, Object> counts = result.getAllAccumulatorResults();
                QueryListener.Progress progress = new QueryListener.Progress(id, name, now(),
                        Progress.total(counts, ParseOrDeadLetter.RECORDS_READ),
                        reported == null ? null : reported.watermark(),
                        reported == null ? null : reported.checkpointId(),
                        reported == null ? null : reported.checkpointDurationMs(),
                        reported == null ? 0 : reported.stateSizeBytes(),
                        Progress.total(counts, LateRows.LATE_ROWS), Progress.total(counts, ParseOrDeadLetter.DEAD_LETTERS));
                if (last == null || progress.numInputRows() != last.numInputRows()
                        || !Objects.equals(progress.checkpointId(), last.checkpointId())) {
                    last = progress;
                    tell(() -> listener.onProgress(progress));
                }
            }

            /** A listener that throws must not stop the others, nor the watch. */
            private void tell(Runnable call) {
                try {
                    call.run();
                } catch (RuntimeException e) {
                    LOG.warn("Query listener {} failed", listener, e);
                }
            }
        }
    }

    private static String now() {
        return ProgressReport.sparkTime(System.currentTimeMillis());
    }

    /** The innermost cause: what went wrong, in one line. */
    static String rootMessage(Throwable error) {
        Throwable root = ExceptionUtils.findThrowable(error, t -> t.getCause() == null || t.getCause() == t).orElse(error);
        String message = root.getMessage() == null || root.getMessage().isBlank() ? root.getClass().getSimpleName()
                : root.getMessage();
        return message.lines().findFirst().orElse(message).strip();
    }
}
