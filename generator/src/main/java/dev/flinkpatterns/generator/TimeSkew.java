package dev.flinkpatterns.generator;

import static dev.flinkpatterns.generator.GeneratorSettings.require;
import static dev.flinkpatterns.generator.GeneratorSettings.requireFraction;

import java.time.Duration;
import java.util.Objects;

/**
 * How far event time strays from the order rows are written in: what a watermark has to cope with.
 *
 * @param disorder each row's timestamp moves back by a random amount in [0, disorder]
 * @param lateFraction the share of rows written {@code lateBy} older than the newest timestamp so far
 * @param lateBy how late those rows are; a watermark that waits less than this calls them late
 */
public record TimeSkew(Duration disorder, double lateFraction, Duration lateBy) {

    public static final TimeSkew NONE = new TimeSkew(Duration.ZERO, 0, Duration.ZERO);

    public TimeSkew {
        Objects.requireNonNull(disorder, "disorder");
        Objects.requireNonNull(lateBy, "lateBy");
        require(!disorder.isNegative(), "--disorder must not be negative, got " + disorder);
        requireFraction("--late-fraction", lateFraction);
        require(!lateBy.isNegative(), "--late-by must not be negative, got " + lateBy);
        require(lateFraction == 0 || !lateBy.isZero(), "--late-by must be positive when --late-fraction > 0");
    }
}
