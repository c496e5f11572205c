package dev.flinkpatterns.time;

import java.io.Serializable;
import java.time.Duration;

/**
 * Spark's {@code withWatermark(column, delay)} and what Flink adds to it.
 *
 * @param delay how far behind the newest event time the watermark trails (null: no watermark, as a Spark query
 *     without {@code withWatermark}: windows never close, state is never released)
 * @param idleTimeout a source split or partition quiet for this long stops holding the watermark back (null: never)
 * @param allowedLateness how long after the watermark passes a window its rows are still accepted, updating the
 *     window already emitted (Flink only; zero as in Spark)
 * @param everyEvent emit the watermark after every event instead of periodically: deterministic, for tests
 * @param policy how the watermark moves: Flink's (periodic or every event) or Spark's micro-batch rule
 */
public record WatermarkSettings(Duration delay, Duration idleTimeout, Duration allowedLateness, boolean everyEvent,
        Policy policy) implements Serializable {

    public static final WatermarkSettings NONE = new WatermarkSettings(null, null, Duration.ZERO, false);

    /**
     * {@code periodic}: Flink's bounded out-of-orderness watermark, moved every 200 ms (or after every row); a row is
     * judged by the watermark when it arrives. {@code spark}: Spark's micro-batch rule ({@link SparkMicroBatchWatermark}):
     * the watermark moves only between batches of files, a batch's rows are judged by the watermark of two batches
     * before, and the end of the input does not close what is still open.
     */
    public enum Policy {
        PERIODIC, SPARK;

        public String cliName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public WatermarkSettings(Duration delay, Duration idleTimeout, Duration allowedLateness, boolean everyEvent) {
        this(delay, idleTimeout, allowedLateness, everyEvent, Policy.PERIODIC);
    }

    public WatermarkSettings {
        policy = policy == null ? Policy.PERIODIC : policy;
        allowedLateness = allowedLateness == null ? Duration.ZERO : allowedLateness;
        if (delay != null && delay.isNegative()) {
            throw new IllegalArgumentException("--watermark must not be negative, got " + delay);
        }
        if (allowedLateness.isNegative()) {
            throw new IllegalArgumentException("--allowed-lateness must not be negative, got " + allowedLateness);
        }
        if (idleTimeout != null && (idleTimeout.isNegative() || idleTimeout.isZero())) {
            throw new IllegalArgumentException("--idle-timeout must be positive, got " + idleTimeout);
        }
    }

    public static WatermarkSettings of(Duration delay) {
        return new WatermarkSettings(delay, null, Duration.ZERO, false);
    }

    public boolean hasWatermark() {
        return delay != null;
    }

    public WatermarkSettings withAllowedLateness(Duration lateness) {
        return new WatermarkSettings(delay, idleTimeout, lateness, everyEvent, policy);
    }

    public WatermarkSettings withPolicy(Policy newPolicy) {
        return new WatermarkSettings(delay, idleTimeout, allowedLateness, everyEvent, newPolicy);
    }

    /** Spark's micro-batch watermark: rows come tagged with their batch ({@link SparkMicroBatches}). */
    public boolean sparkPolicy() {
        return delay != null && policy == Policy.SPARK;
    }

    /** Watermarks after every event: which rows are late no longer depends on timing. */
    public WatermarkSettings emittedOnEveryEvent() {
        return new WatermarkSettings(delay, idleTimeout, allowedLateness, true, policy);
    }
}
