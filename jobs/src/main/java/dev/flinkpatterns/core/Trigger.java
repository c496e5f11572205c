package dev.flinkpatterns.core;

import java.time.Duration;
import java.util.Locale;

/**
 * Spark's {@code trigger(...)}: when a streaming query shows its results.
 *
 * <p>Flink processes every record as it arrives; a trigger here decides when the result table is
 * emitted as a batch, and for {@code once}/{@code available-now} that the sources are bounded.
 */
public record Trigger(Kind kind, Duration interval) implements java.io.Serializable {

    public enum Kind {
        /** Spark's default: the next micro-batch as soon as data is there. Changes arriving together form one batch. */
        DEFAULT,
        /** {@code processingTime='5 seconds'}: at most one batch per interval, aligned to the clock. */
        PROCESSING_TIME,
        /** {@code continuous}: every change at once, the lowest latency. */
        CONTINUOUS,
        /** {@code once=True}: what exists now, as one batch, then stop. */
        ONCE,
        /** {@code availableNow=True}: what exists now, then stop. */
        AVAILABLE_NOW
    }

    /** How long the default trigger gathers changes that arrive together (a file, a burst of lines). */
    public static final Duration DEFAULT_GATHERING = Duration.ofMillis(200);

    public static final Trigger DEFAULT = new Trigger(Kind.DEFAULT, DEFAULT_GATHERING);
    public static final Trigger CONTINUOUS = new Trigger(Kind.CONTINUOUS, Duration.ZERO);
    public static final Trigger ONCE = new Trigger(Kind.ONCE, Duration.ZERO);
    public static final Trigger AVAILABLE_NOW = new Trigger(Kind.AVAILABLE_NOW, Duration.ZERO);

    public static Trigger processingTime(Duration interval) {
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("a trigger interval must be positive, got " + interval);
        }
        return new Trigger(Kind.PROCESSING_TIME, interval);
    }

    /** {@code available-now}, {@code once}, {@code continuous}, {@code default} or an interval such as {@code 5s}. */
    public static Trigger parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT).replace('_', '-')) {
            case "default" -> DEFAULT;
            case "continuous" -> CONTINUOUS;
            case "once" -> ONCE;
            case "available-now", "availablenow" -> AVAILABLE_NOW;
            default -> {
                try {
                    yield processingTime(Durations.parse(text));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("'" + text
                            + "' is not a trigger (available-now, once, continuous, default, or an interval like 5s)");
                }
            }
        };
    }

    /** Once and available-now read what exists and stop: their sources are bounded. */
    public boolean isBounded() {
        return kind == Kind.ONCE || kind == Kind.AVAILABLE_NOW;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case DEFAULT -> "default";
            case PROCESSING_TIME -> Durations.format(interval);
            case CONTINUOUS -> "continuous";
            case ONCE -> "once";
            case AVAILABLE_NOW -> "available-now";
        };
    }
}
