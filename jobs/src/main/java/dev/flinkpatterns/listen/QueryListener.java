package dev.flinkpatterns.listen;

/**
 * Spark's {@code StreamingQueryListener} for a Flink job: told when the job starts, at each completed checkpoint (where
 * Spark reports a finished micro-batch) and when it ends. Register one on an environment with
 * {@link QueryListeners#register}; {@code --listener FILE} registers a {@link JsonLinesQueryListener}. The calls come
 * from one thread at a time, never on a task thread: a slow listener slows no job.
 */
public interface QueryListener {

    /** Spark's {@code onQueryStarted}: the job was submitted. */
    void onStarted(Started event);

    /** Spark's {@code onQueryProgress}: a checkpoint completed, or the job has ended (its last figures). */
    void onProgress(Progress event);

    /** Spark's {@code onQueryTerminated}: the job ended; {@code exception} only when it failed. */
    void onTerminated(Terminated event);

    /** Times are ISO-8601 UTC, as in Spark's events. */
    record Started(String id, String name, String timestamp) {}

    /**
     * {@code numInputRows}: rows read since the job started; {@code watermark}: null before the job has one;
     * {@code checkpointId} and {@code checkpointDurationMs}: null before the first checkpoint; {@code stateSizeBytes}:
     * the state in that checkpoint.
     */
    record Progress(String id, String name, String timestamp, long numInputRows, String watermark, Long checkpointId,
            Long checkpointDurationMs, long stateSizeBytes, long numRowsDroppedByWatermark, long deadLetters) {}

    /** How a job ended. */
    enum Reason {
        FINISHED, CANCELLED, FAILED;

        public String jsonName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    record Terminated(String id, String name, String timestamp, Reason reason, String exception) {}
}
