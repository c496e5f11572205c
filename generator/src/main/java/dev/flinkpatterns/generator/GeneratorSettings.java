package dev.flinkpatterns.generator;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Objects;

/**
 * What every file generator shares: where, how many files and rows, how fast, the seed and the timeline.
 * {@code startTime} null means wall-clock timestamps. {@code timePerFile} is how far event time advances from
 * one file to the next with a start time; null means {@code interval}. Invalid values fail with a one-line
 * message naming the command-line option.
 */
public record GeneratorSettings(
        Path outputDir,
        int files,
        int rowsPerFile,
        Duration interval,
        long seed,
        LocalDateTime startTime,
        double malformedFraction,
        TimeSkew skew,
        Duration timePerFile) {

    public static final int DEFAULT_FILES = 10;
    public static final int DEFAULT_ROWS = 10;
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(3);

    public GeneratorSettings {
        Objects.requireNonNull(outputDir, "outputDir");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(skew, "skew");
        requireAtLeastOne("--files", files);
        requireAtLeastOne("--rows", rowsPerFile);
        require(!interval.isNegative(), "--interval must not be negative, got " + interval);
        requireFraction("--malformed-fraction", malformedFraction);
        require(timePerFile == null || !timePerFile.isNegative(), "--time-per-file must not be negative, got " + timePerFile);
    }

    /** Event time advances as fast as the files are written. */
    public GeneratorSettings(Path outputDir, int files, int rowsPerFile, Duration interval, long seed,
            LocalDateTime startTime, double malformedFraction, TimeSkew skew) {
        this(outputDir, files, rowsPerFile, interval, seed, startTime, malformedFraction, skew, null);
    }

    /** In-order timestamps, no late rows. */
    public GeneratorSettings(Path outputDir, int files, int rowsPerFile, Duration interval, long seed,
            LocalDateTime startTime, double malformedFraction) {
        this(outputDir, files, rowsPerFile, interval, seed, startTime, malformedFraction, TimeSkew.NONE);
    }

    public static GeneratorSettings defaults(Path outputDir, long seed) {
        return new GeneratorSettings(outputDir, DEFAULT_FILES, DEFAULT_ROWS, DEFAULT_INTERVAL, seed, null, 0);
    }

    public GeneratorSettings withSkew(TimeSkew newSkew) {
        return new GeneratorSettings(outputDir, files, rowsPerFile, interval, seed, startTime, malformedFraction, newSkew,
                timePerFile);
    }

    public GeneratorSettings withTimePerFile(Duration newTimePerFile) {
        return new GeneratorSettings(outputDir, files, rowsPerFile, interval, seed, startTime, malformedFraction, skew,
                newTimePerFile);
    }

    /** Event time from the first row of one file to the first row of the next (with a start time). */
    public Duration eventTimePerFile() {
        return timePerFile != null ? timePerFile : interval;
    }

    static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    static void requireAtLeastOne(String option, int value) {
        require(value >= 1, option + " must be at least 1, got " + value);
    }

    static void requireFraction(String option, double value) {
        // written so that NaN fails too
        require(value >= 0 && value <= 1, option + " must be between 0 and 1, got " + value);
    }
}
