package dev.flinkpatterns.generator;

import dev.flinkpatterns.generator.BatchFileGenerator.FileListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.stream.Stream;

/** Generator runs for tests: a fixed start time, no pause between files, and a clock that must not be asked. */
final class FixedRuns {

    static final LocalDateTime START = LocalDateTime.of(2024, 1, 15, 10, 0, 0);

    private FixedRuns() {}

    static List<Path> run(GeneratorSettings settings, RowFormat format) throws IOException, InterruptedException {
        return new BatchFileGenerator(settings, format, duration -> {}, () -> {
            throw new AssertionError("clock used although startTime is fixed");
        }).run(FileListener.SILENT);
    }

    /** A run of two related streams: the lead's files in the settings' directory, the follower's in {@code followerDir}. */
    static List<Path> run(GeneratorSettings settings, RelatedRows related, Path followerDir)
            throws IOException, InterruptedException {
        return new BatchFileGenerator(settings, related, followerDir, duration -> {}, () -> {
            throw new AssertionError("clock used although startTime is fixed");
        }).run(FileListener.SILENT);
    }

    /** Every data line of the files, in order. */
    static List<String> lines(List<Path> files, boolean filesHaveHeader) throws IOException {
        return files.stream().flatMap(file -> {
            try {
                List<String> lines = Files.readAllLines(file);
                return filesHaveHeader ? lines.stream().skip(1) : lines.stream();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).toList();
    }

    static List<String> namesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
