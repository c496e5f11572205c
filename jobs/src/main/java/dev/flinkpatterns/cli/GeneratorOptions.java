package dev.flinkpatterns.cli;

import dev.flinkpatterns.generator.CsvEventGenerator;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import picocli.CommandLine.Option;

/** The CSV generator's knobs, with the tutorial's defaults. */
public final class GeneratorOptions {

    @Option(names = "--files", paramLabel = "N", description = "Files to write. Default: ${DEFAULT-VALUE}.")
    int files = CsvEventGenerator.Settings.DEFAULT_FILES;

    @Option(names = "--rows", paramLabel = "N", description = "Rows per file. Default: ${DEFAULT-VALUE}.")
    int rows = CsvEventGenerator.Settings.DEFAULT_ROWS;

    @Option(names = "--interval", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "Pause between two files. Default: 3s.")
    Duration interval = CsvEventGenerator.Settings.DEFAULT_INTERVAL;

    @Option(names = "--users", paramLabel = "N", description = "user_id is drawn from 1..N. Default: ${DEFAULT-VALUE}.")
    int users = CsvEventGenerator.Settings.DEFAULT_USERS;

    @Option(names = "--seed", paramLabel = "N",
            description = "Random seed: the same seed writes the same users and events (default: a new one each run).")
    Long seed;

    @Option(names = "--start-time", paramLabel = "DATETIME", converter = Converters.DateTimeConverter.class,
            description = "Timestamps from this time on instead of the clock (with --seed, files are identical).")
    LocalDateTime startTime;

    @Option(names = "--malformed-fraction", paramLabel = "F",
            description = "Share of rows written malformed (missing or extra field, bad user_id or timestamp, "
                    + "blank line), 0 to 1. Default: ${DEFAULT-VALUE}.")
    double malformedFraction = 0;

    CsvEventGenerator.Settings settings(Path outputDir) {
        long actualSeed = seed != null ? seed : new java.util.Random().nextLong();
        try {
            return new CsvEventGenerator.Settings(
                    outputDir, files, rows, interval, users, actualSeed, startTime, malformedFraction);
        } catch (IllegalArgumentException e) {
            throw new dev.flinkpatterns.core.UsageException(e.getMessage());
        }
    }
}
