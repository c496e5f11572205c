package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.generator.BatchFileGenerator;
import dev.flinkpatterns.generator.GeneratorSettings;
import dev.flinkpatterns.generator.RelatedRows;
import dev.flinkpatterns.generator.RowFormat;
import dev.flinkpatterns.generator.TimeSkew;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Random;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/** The knobs every file generator shares, with the tutorial's defaults. */
public final class GeneratorOptions {

    @Option(names = "--files", paramLabel = "N", description = "Files to write. Default: ${DEFAULT-VALUE}.")
    int files = GeneratorSettings.DEFAULT_FILES;

    @Option(names = "--rows", paramLabel = "N", description = "Rows per file. Default: ${DEFAULT-VALUE}.")
    int rows = GeneratorSettings.DEFAULT_ROWS;

    @Option(names = "--interval", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "Pause between two files. Default: 3s.")
    Duration interval = GeneratorSettings.DEFAULT_INTERVAL;

    @Option(names = "--seed", paramLabel = "N",
            description = "Random seed: the same seed writes the same rows (default: a new one each run).")
    Long seed;

    @Option(names = "--start-time", paramLabel = "DATETIME", converter = Converters.DateTimeConverter.class,
            description = "Timestamps from this time on instead of the clock (with --seed, files are identical).")
    LocalDateTime startTime;

    @Option(names = "--malformed-fraction", paramLabel = "F",
            description = "Share of rows written malformed (a missing or extra field, a wrong type, a bad "
                    + "timestamp, a blank or broken line), 0 to 1. Default: ${DEFAULT-VALUE}.")
    double malformedFraction = 0;

    @Option(names = "--disorder", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "Move each row's timestamp back by a random amount up to this: rows out of order "
                    + "within that bound. Default: 0s.")
    Duration disorder = Duration.ZERO;

    @Option(names = "--late-fraction", paramLabel = "F",
            description = "Share of rows (0 to 1) written --late-by older than the newest timestamp so far. "
                    + "Default: ${DEFAULT-VALUE}.")
    double lateFraction = 0;

    @Option(names = "--late-by", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "How late the --late-fraction rows are: a watermark that waits less calls them late. "
                    + "Required with --late-fraction.")
    Duration lateBy = Duration.ZERO;

    @Option(names = "--time-per-file", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "With --start-time: event time from one file to the next (default: --interval), e.g. "
                    + "hours of event time written in seconds.")
    Duration timePerFile;

    /** The generator for these options; a bad value (here or in the format) is a usage error. */
    BatchFileGenerator generator(Path outputDir, Supplier<RowFormat> format) {
        return usageErrors(() -> new BatchFileGenerator(settings(outputDir), format.get()));
    }

    /** The generator of two related streams: the lead's files in {@code leadDir}, the follower's in {@code followerDir}. */
    BatchFileGenerator relatedGenerator(Path leadDir, Path followerDir, Supplier<RelatedRows> related) {
        return usageErrors(() -> new BatchFileGenerator(settings(leadDir), related.get(), followerDir));
    }

    private GeneratorSettings settings(Path outputDir) {
        long actualSeed = seed != null ? seed : new Random().nextLong();
        return new GeneratorSettings(outputDir, files, rows, interval, actualSeed, startTime,
                malformedFraction, new TimeSkew(disorder, lateFraction, lateBy), timePerFile);
    }

    private static BatchFileGenerator usageErrors(Supplier<BatchFileGenerator> generator) {
        try {
            return generator.get();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
