package dev.flinkpatterns.patterns.windows;

import dev.flinkpatterns.core.Durations;
import dev.flinkpatterns.time.LatenessRule;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.streaming.api.windowing.assigners.EventTimeSessionWindows;
import org.apache.flink.streaming.api.windowing.assigners.SlidingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.WindowAssigner;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * Spark's {@code window(col, size)}, {@code window(col, size, slide)} and {@code session_window(col, gap)}: the
 * same windows as a Flink assigner, a SQL window table function, and the rule of when a row is too late.
 */
public record WindowSpec(Kind kind, Duration size, Duration slide) implements Serializable {

    public enum Kind { TUMBLING, SLIDING, SESSION }

    public WindowSpec {
        if (size.isZero() || size.isNegative()) {
            throw new IllegalArgumentException("a window must be longer than zero, got " + Durations.format(size));
        }
        if (kind == Kind.SLIDING && (slide.isZero() || slide.isNegative() || slide.compareTo(size) > 0)) {
            throw new IllegalArgumentException("--slide must be positive and at most --window (" + Durations.format(size)
                    + "), got " + Durations.format(slide));
        }
    }

    public static WindowSpec tumbling(Duration size) {
        return new WindowSpec(Kind.TUMBLING, size, size);
    }

    public static WindowSpec sliding(Duration size, Duration slide) {
        return slide.equals(size) ? tumbling(size) : new WindowSpec(Kind.SLIDING, size, slide);
    }

    /** {@code session_window(col, gap)}: a session ends after {@code gap} without a row for its key. */
    public static WindowSpec session(Duration gap) {
        return new WindowSpec(Kind.SESSION, gap, gap);
    }

    public WindowAssigner<Object, TimeWindow> assigner() {
        return switch (kind) {
            case TUMBLING -> TumblingEventTimeWindows.of(size);
            case SLIDING -> SlidingEventTimeWindows.of(size, slide);
            case SESSION -> EventTimeSessionWindows.withGap(size);
        };
    }

    /** The end (inclusive) of the last window a row can fall into: once the watermark passes it, the row is late. */
    public LatenessRule lateness() {
        long sizeMillis = size.toMillis();
        long slideMillis = slide.toMillis();
        return switch (kind) {
            case TUMBLING, SLIDING -> eventTime -> Math.floorDiv(eventTime, slideMillis) * slideMillis + sizeMillis - 1;
            // Spark: a row's own session [t, t + gap) must still be open, even if it could join a longer one.
            case SESSION -> eventTime -> eventTime + sizeMillis - 1;
        };
    }

    /** The window table function over {@code table}, time column {@code timeColumn}, keyed (sessions) by {@code keys}. */
    public String tableFunction(String table, String timeColumn, String keys) {
        String descriptor = "DESCRIPTOR(" + timeColumn + ")";
        return switch (kind) {
            case TUMBLING -> "TUMBLE(TABLE " + table + ", " + descriptor + ", " + sqlInterval(size) + ")";
            case SLIDING -> "HOP(TABLE " + table + ", " + descriptor + ", " + sqlInterval(slide) + ", " + sqlInterval(size) + ")";
            case SESSION -> "SESSION(TABLE " + table + (keys.isEmpty() ? "" : " PARTITION BY " + keys) + ", " + descriptor
                    + ", " + sqlInterval(size) + ")";
        };
    }

    /**
     * The group window function over {@code timeColumn} ({@code TUMBLE(event_time, INTERVAL ...)}), or with
     * {@code suffix} its bound ({@code _START}, {@code _END}): the older window syntax, the one that takes Flink's
     * emit strategy (early and late firing), which window table functions do not.
     */
    public String groupWindow(String timeColumn, String suffix) {
        return switch (kind) {
            case TUMBLING -> "TUMBLE" + suffix + "(" + timeColumn + ", " + sqlInterval(size) + ")";
            case SLIDING -> "HOP" + suffix + "(" + timeColumn + ", " + sqlInterval(slide) + ", " + sqlInterval(size) + ")";
            case SESSION -> "SESSION" + suffix + "(" + timeColumn + ", " + sqlInterval(size) + ")";
        };
    }

    static String sqlInterval(Duration duration) {
        long millis = duration.toMillis();
        return String.format("INTERVAL '%d %02d:%02d:%02d.%03d' DAY(9) TO SECOND(3)", millis / 86_400_000,
                millis / 3_600_000 % 24, millis / 60_000 % 60, millis / 1000 % 60, millis % 1000);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case TUMBLING -> "tumbling " + Durations.format(size);
            case SLIDING -> "sliding " + Durations.format(size) + " every " + Durations.format(slide);
            case SESSION -> "session gap " + Durations.format(size);
        };
    }
}
