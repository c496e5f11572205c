package dev.flinkpatterns.time;

import java.io.Serializable;

/**
 * When a row is too late to count, as Spark decides it: the row is dropped once the watermark has passed
 * the end of the last window that could take it (for a window aggregation), or the row's own time (for
 * deduplication). Spark's rule and Flink's window operator agree: Spark drops when {@code end <= watermark},
 * Flink when {@code end - 1 <= watermark'}, and Flink's watermark is Spark's minus one millisecond.
 */
@FunctionalInterface
public interface LatenessRule extends Serializable {

    /** The last timestamp (inclusive) of the state this row would update. */
    long lastTimestampOf(long eventTime);

    /** Dedup and other row-level state: a row is late once the watermark reaches its own time. */
    LatenessRule ROW = eventTime -> eventTime;

    /**
     * {@link #ROW} as Spark judges it, {@code timestamp <= watermark}: a row exactly at Spark's watermark (Flink's plus
     * 1 ms) is late too. The spark watermark policy uses it; the periodic policy keeps {@link #ROW}.
     */
    LatenessRule ROW_AT_WATERMARK = eventTime -> eventTime - 1;

    /** This rule under {@code settings}' policy. */
    default LatenessRule under(WatermarkSettings settings) {
        return settings.sparkPolicy() && this == ROW ? ROW_AT_WATERMARK : this;
    }
}
