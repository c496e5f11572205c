package dev.flinkpatterns.generator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes numbered batch files of generated rows ({@code event_batch_N.csv}, {@code sensor_batch_N.json},
 * ...), one every {@code interval}: the part every file generator shares.
 *
 * <p>Each file is written under a hidden name and renamed when complete, so a streaming reader never
 * sees half a file. Existing files are never overwritten: numbering continues after the highest
 * {@code <stem>_N.<extension>} already in the directory, because a file reader ignores a changed file it
 * has already read.
 */
public final class BatchFileGenerator {

    /** Waits between files; tests pass one that does not wait. */
    @FunctionalInterface
    public interface Pause {
        void pause(Duration duration) throws InterruptedException;

        Pause SLEEP = duration -> Thread.sleep(duration.toMillis());
    }

    /** Told about each complete file. */
    @FunctionalInterface
    public interface FileListener {
        void written(Path file, int number, int total);

        FileListener SILENT = (file, number, total) -> {};
    }

    private final GeneratorSettings settings;
    private final RowFormat format;
    private final Pause pause;
    private final Supplier<LocalDateTime> clock;

    public BatchFileGenerator(GeneratorSettings settings, RowFormat format) {
        this(settings, format, Pause.SLEEP, LocalDateTime::now);
    }

    public BatchFileGenerator(GeneratorSettings settings, RowFormat format, Pause pause, Supplier<LocalDateTime> clock) {
        this.settings = settings;
        this.format = format;
        this.pause = pause;
        this.clock = clock;
    }

    /**
     * Writes all files, pausing {@code interval} between two of them; returns the files written.
     * Interrupting the thread stops it between files (a file in progress is removed, never left half written).
     */
    public List<Path> run(FileListener listener) throws IOException, InterruptedException {
        Files.createDirectories(settings.outputDir());
        int firstIndex = nextFreeIndex(settings.outputDir(), format);
        List<Path> written = new ArrayList<>();
        runBatches((number, total, content) -> {
            Path file = settings.outputDir().resolve(fileName(format, firstIndex + number - 1));
            writeAtomically(file, content);
            written.add(file);
            listener.written(file, number, total);
        });
        return written;
    }

    /** Where the batches go instead of files (a Kafka topic); {@code content} is the batch as a file would hold it. */
    @FunctionalInterface
    public interface BatchSink {
        void accept(int number, int total, String content) throws IOException;
    }

    /**
     * Renders every batch (header, rows, malformed and late rows as configured) and hands it to {@code sink},
     * pausing {@code interval} between two of them. Interrupting the thread stops it between batches.
     */
    public void runBatches(BatchSink sink) throws IOException, InterruptedException {
        Random random = new Random(settings.seed());
        EventTimeline timeline = new EventTimeline(settings, clock, random);
        for (int f = 0; f < settings.files(); f++) {
            if (f > 0) {
                pause.pause(settings.interval());
            }
            if (Thread.interrupted()) { // clears the flag, as throwing InterruptedException should
                throw new InterruptedException("generator stopped");
            }
            sink.accept(f + 1, settings.files(), renderFile(random, timeline, f));
        }
    }

    private String renderFile(Random random, EventTimeline timeline, int fileNumber) {
        StringBuilder content = new StringBuilder();
        format.header().ifPresent(header -> content.append(header).append('\n'));
        for (int row = 0; row < settings.rowsPerFile(); row++) {
            long rowNumber = (long) fileNumber * settings.rowsPerFile() + row;
            String line = format.row(rowNumber, timeline.timestampOf(fileNumber, row), random);
            if (settings.malformedFraction() > 0 && random.nextDouble() < settings.malformedFraction()) {
                line = format.corrupt(line, random);
            }
            content.append(line).append('\n');
        }
        return content.toString();
    }

    static String fileName(RowFormat format, int index) {
        return format.fileStem() + "_" + index + "." + format.extension();
    }

    /** One past the highest {@code <stem>_N.<extension>} in the directory (0 if none). */
    static int nextFreeIndex(Path dir, RowFormat format) throws IOException {
        Pattern batchFile = Pattern.compile(
                Pattern.quote(format.fileStem()) + "_(\\d+)\\." + Pattern.quote(format.extension()));
        try (var names = Files.list(dir)) {
            return names.map(p -> batchFile.matcher(p.getFileName().toString()))
                            .filter(Matcher::matches)
                            .mapToInt(m -> Integer.parseInt(m.group(1)))
                            .max()
                            .orElse(-1)
                    + 1;
        }
    }

    /** Writes {@code .name.tmp} then renames it: readers that skip hidden files see the whole file or nothing. */
    public static void writeAtomically(Path target, String content) throws IOException {
        Path hidden = target.resolveSibling("." + target.getFileName() + ".tmp");
        try {
            Files.writeString(hidden, content, StandardCharsets.UTF_8);
            Files.move(hidden, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(hidden);
        }
    }
}
