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

    /** Where one stream's files go. */
    private record Output(Path dir, String fileStem, String extension) {}

    /** The contents of one batch, one per output in the outputs' order. */
    @FunctionalInterface
    private interface Batch {
        List<String> render(int fileNumber, boolean lastFile);
    }

    /** The batches of one run, from the run's random and timeline. */
    @FunctionalInterface
    private interface Run {
        Batch start(Random random, EventTimeline timeline);
    }

    private final GeneratorSettings settings;
    private final List<Output> outputs;
    private final Run run;
    private final Pause pause;
    private final Supplier<LocalDateTime> clock;

    public BatchFileGenerator(GeneratorSettings settings, RowFormat format) {
        this(settings, format, Pause.SLEEP, LocalDateTime::now);
    }

    public BatchFileGenerator(GeneratorSettings settings, RowFormat format, Pause pause, Supplier<LocalDateTime> clock) {
        this(settings, List.of(new Output(settings.outputDir(), format.fileStem(), format.extension())),
                (random, timeline) -> (fileNumber, lastFile) -> List.of(renderFile(settings, format, random, timeline, fileNumber)),
                pause, clock);
    }

    /**
     * Two related streams: the lead's files go to the settings' output directory, the follower's to
     * {@code followerDir}; batch N of both is written together, the lead's file first, and both carry the same N.
     */
    public BatchFileGenerator(GeneratorSettings settings, RelatedRows related, Path followerDir, Pause pause,
            Supplier<LocalDateTime> clock) {
        this(settings, List.of(
                        new Output(settings.outputDir(), related.lead().fileStem(), related.lead().extension()),
                        new Output(followerDir, related.follower().fileStem(), related.follower().extension())),
                (random, timeline) -> new RelatedBatches(settings, related, random, timeline, clock)::render,
                pause, clock);
    }

    public BatchFileGenerator(GeneratorSettings settings, RelatedRows related, Path followerDir) {
        this(settings, related, followerDir, Pause.SLEEP, LocalDateTime::now);
    }

    private BatchFileGenerator(GeneratorSettings settings, List<Output> outputs, Run run, Pause pause,
            Supplier<LocalDateTime> clock) {
        this.settings = settings;
        this.outputs = outputs;
        this.run = run;
        this.pause = pause;
        this.clock = clock;
    }

    /**
     * Writes all files, pausing {@code interval} between two batches; returns the files written (of a batch of
     * related streams, the lead's file first). Interrupting the thread stops it between batches (a file in
     * progress is removed, never left half written).
     */
    public List<Path> run(FileListener listener) throws IOException, InterruptedException {
        int firstIndex = 0;
        for (Output output : outputs) {
            Files.createDirectories(output.dir());
            // related streams keep one N for a batch: after the highest in either directory
            firstIndex = Math.max(firstIndex, nextFreeIndex(output.dir(), output.fileStem(), output.extension()));
        }
        int index = firstIndex;
        List<Path> written = new ArrayList<>();
        forEachBatch((number, total, contents) -> {
            for (int i = 0; i < outputs.size(); i++) {
                Output output = outputs.get(i);
                Path file = output.dir().resolve(fileName(output.fileStem(), output.extension(), index + number - 1));
                writeAtomically(file, contents.get(i));
                written.add(file);
                listener.written(file, number, total);
            }
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
     * Only for a generator of one stream.
     */
    public void runBatches(BatchSink sink) throws IOException, InterruptedException {
        if (outputs.size() != 1) {
            throw new IllegalStateException("runBatches writes one stream; related streams are written with run");
        }
        forEachBatch((number, total, contents) -> sink.accept(number, total, contents.get(0)));
    }

    @FunctionalInterface
    private interface ContentsSink {
        void accept(int number, int total, List<String> contents) throws IOException;
    }

    private void forEachBatch(ContentsSink sink) throws IOException, InterruptedException {
        Random random = new Random(settings.seed());
        Batch batch = run.start(random, new EventTimeline(settings, clock, random));
        for (int f = 0; f < settings.files(); f++) {
            if (f > 0) {
                pause.pause(settings.interval());
            }
            if (Thread.interrupted()) { // clears the flag, as throwing InterruptedException should
                throw new InterruptedException("generator stopped");
            }
            sink.accept(f + 1, settings.files(), batch.render(f, f == settings.files() - 1));
        }
    }

    private static String renderFile(GeneratorSettings settings, RowFormat format, Random random,
            EventTimeline timeline, int fileNumber) {
        StringBuilder content = new StringBuilder();
        format.header().ifPresent(header -> content.append(header).append('\n'));
        for (int row = 0; row < settings.rowsPerFile(); row++) {
            long rowNumber = (long) fileNumber * settings.rowsPerFile() + row;
            String line = format.row(rowNumber, timeline.timestampOf(fileNumber, row), random);
            if (isMalformed(settings, random)) {
                line = format.corrupt(line, random);
            }
            content.append(line).append('\n');
        }
        return content.toString();
    }

    static boolean isMalformed(GeneratorSettings settings, Random random) {
        return settings.malformedFraction() > 0 && random.nextDouble() < settings.malformedFraction();
    }

    private static String fileName(String fileStem, String extension, int index) {
        return fileStem + "_" + index + "." + extension;
    }

    static int nextFreeIndex(Path dir, RowFormat format) throws IOException {
        return nextFreeIndex(dir, format.fileStem(), format.extension());
    }

    /** One past the highest {@code <stem>_N.<extension>} in the directory (0 if none). */
    private static int nextFreeIndex(Path dir, String fileStem, String extension) throws IOException {
        Pattern batchFile = Pattern.compile(
                Pattern.quote(fileStem) + "_(\\d+)\\." + Pattern.quote(extension));
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
