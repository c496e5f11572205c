package dev.flinkpatterns.generator;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Random;
import java.util.function.Supplier;

/**
 * The timestamps of one run: row {@code r} of file {@code f} is based at {@code start + f × step +
 * r × step / rows} (or the clock; {@code step} is the settings' event time per file), then moved by the
 * {@link TimeSkew}. Draws from the run's random only for a skew that is on, so files without one stay as they
 * were for a seed. A stream whose times are derived from another's has a timeline of its own: its late rows
 * are late against its own newest timestamp.
 */
public final class EventTimeline {

    /** Python's {@code datetime.isoformat()} with microseconds, as the seed project writes it. */
    public static final DateTimeFormatter TIMESTAMP_FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");

    private static final long MICROS_PER_SECOND = 1_000_000;

    private final GeneratorSettings settings;
    private final Supplier<LocalDateTime> clock;
    private final Random random;
    private LocalDateTime newest;

    EventTimeline(GeneratorSettings settings, Supplier<LocalDateTime> clock, Random random) {
        this.settings = settings;
        this.clock = clock;
        this.random = random;
    }

    LocalDateTime timestampOf(int fileNumber, int row) {
        return skewed(base(fileNumber, row));
    }

    /** {@code base} moved by the skew; the newest timestamp so far is what late rows are late against. */
    LocalDateTime skewed(LocalDateTime base) {
        TimeSkew skew = settings.skew();
        LocalDateTime timestamp = base;
        if (!skew.disorder().isZero()) {
            timestamp = timestamp.minus(randomMicrosUpTo(skew.disorder()), ChronoUnit.MICROS);
        }
        if (skew.lateFraction() > 0 && random.nextDouble() < skew.lateFraction() && newest != null) {
            timestamp = newest.minus(skew.lateBy());
        }
        // the files hold microseconds: track exactly what is written, so lateness is exact in the files too
        timestamp = timestamp.truncatedTo(ChronoUnit.MICROS);
        if (newest == null || timestamp.isAfter(newest)) {
            newest = timestamp;
        }
        return timestamp;
    }

    /** The newest timestamp written so far, null before the first. */
    LocalDateTime newest() {
        return newest;
    }

    private LocalDateTime base(int fileNumber, int row) {
        if (settings.startTime() == null) {
            return clock.get();
        }
        Duration step = settings.eventTimePerFile();
        Duration perRow = step.dividedBy(settings.rowsPerFile());
        return settings.startTime()
                .plus(step.multipliedBy(fileNumber))
                .plus(perRow.multipliedBy(row));
    }

    private long randomMicrosUpTo(Duration bound) {
        long boundMicros = bound.getSeconds() * MICROS_PER_SECOND + bound.getNano() / 1000;
        return random.nextLong(boundMicros + 1);
    }
}
