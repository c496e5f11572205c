package dev.flinkpatterns.generator;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Random;
import java.util.function.Supplier;

/**
 * The timestamps of one run: row {@code r} of file {@code f} is based at {@code start + f × interval +
 * r × interval / rows} (or the clock), then moved by the {@link TimeSkew}. Draws from the run's random only
 * for a skew that is on, so files without one stay as they were for a seed.
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
        TimeSkew skew = settings.skew();
        LocalDateTime timestamp = base(fileNumber, row);
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

    private LocalDateTime base(int fileNumber, int row) {
        if (settings.startTime() == null) {
            return clock.get();
        }
        Duration perRow = settings.interval().dividedBy(settings.rowsPerFile());
        return settings.startTime()
                .plus(settings.interval().multipliedBy(fileNumber))
                .plus(perRow.multipliedBy(row));
    }

    private long randomMicrosUpTo(Duration bound) {
        long boundMicros = bound.getSeconds() * MICROS_PER_SECOND + bound.getNano() / 1000;
        return random.nextLong(boundMicros + 1);
    }
}
