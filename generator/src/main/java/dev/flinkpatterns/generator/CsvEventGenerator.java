package dev.flinkpatterns.generator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tutorial's CSV writer: {@code event_batch_N.csv} files of user events, one every {@code interval}.
 *
 * <p>Each file is written under a hidden name and renamed when complete, so a streaming reader never
 * sees half a file. Existing files are never overwritten: numbering continues after the highest
 * {@code event_batch_N.csv} already in the directory, because a file reader ignores a changed file it
 * has already read.
 */
public final class CsvEventGenerator {

    public static final String HEADER = "timestamp,user_id,event";
    public static final List<String> EVENTS = List.of("login", "logout", "purchase", "view");
    /** Python's {@code datetime.isoformat()} with microseconds, as the seed project writes it. */
    public static final DateTimeFormatter TIMESTAMP_FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");

    private static final Pattern BATCH_FILE = Pattern.compile("event_batch_(\\d+)\\.csv");

    /** What to generate. {@code startTime} null means wall-clock timestamps. */
    public record Settings(
            Path outputDir,
            int files,
            int rowsPerFile,
            Duration interval,
            int users,
            long seed,
            LocalDateTime startTime,
            double malformedFraction) {

        public static final int DEFAULT_FILES = 10;
        public static final int DEFAULT_ROWS = 10;
        public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(3);
        public static final int DEFAULT_USERS = 5;

        public Settings {
            Objects.requireNonNull(outputDir, "outputDir");
            Objects.requireNonNull(interval, "interval");
            requireArgument(files >= 1, "--files must be at least 1, got " + files);
            requireArgument(rowsPerFile >= 1, "--rows must be at least 1, got " + rowsPerFile);
            requireArgument(users >= 1, "--users must be at least 1, got " + users);
            requireArgument(!interval.isNegative(), "--interval must not be negative, got " + interval);
            requireArgument(
                    malformedFraction >= 0 && malformedFraction <= 1,
                    "--malformed-fraction must be between 0 and 1, got " + malformedFraction);
        }

        public static Settings defaults(Path outputDir, long seed) {
            return new Settings(outputDir, DEFAULT_FILES, DEFAULT_ROWS, DEFAULT_INTERVAL, DEFAULT_USERS, seed, null, 0);
        }
    }

    /** Waits between files; tests pass one that does not wait. */
    @FunctionalInterface
    public interface Pause {
        void pause(Duration duration) throws InterruptedException;

        Pause SLEEP = duration -> Thread.sleep(duration.toMillis());
    }

    private final Settings settings;
    private final Pause pause;
    private final Supplier<LocalDateTime> clock;

    public CsvEventGenerator(Settings settings) {
        this(settings, Pause.SLEEP, LocalDateTime::now);
    }

    CsvEventGenerator(Settings settings, Pause pause, Supplier<LocalDateTime> clock) {
        this.settings = settings;
        this.pause = pause;
        this.clock = clock;
    }

    /**
     * Writes all files, pausing {@code interval} between two of them; returns the files written.
     * Interrupting the thread stops it between files (a file in progress is removed, never left half written).
     */
    public List<Path> run(FileListener listener) throws IOException, InterruptedException {
        Files.createDirectories(settings.outputDir());
        Random random = new Random(settings.seed());
        int firstIndex = nextFreeIndex(settings.outputDir());
        List<Path> written = new ArrayList<>();
        for (int f = 0; f < settings.files(); f++) {
            if (f > 0) {
                pause.pause(settings.interval());
            }
            if (Thread.interrupted()) { // clears the flag, as throwing InterruptedException should
                throw new InterruptedException("generator stopped");
            }
            Path file = settings.outputDir().resolve("event_batch_" + (firstIndex + f) + ".csv");
            writeAtomically(file, renderFile(random, f));
            written.add(file);
            listener.written(file, f + 1, settings.files());
        }
        return written;
    }

    /** Told about each complete file. */
    @FunctionalInterface
    public interface FileListener {
        void written(Path file, int number, int total);

        FileListener SILENT = (file, number, total) -> {};
    }

    String renderFile(Random random, int fileNumber) {
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (int row = 0; row < settings.rowsPerFile(); row++) {
            LocalDateTime timestamp = timestampOf(fileNumber, row);
            int userId = 1 + random.nextInt(settings.users());
            String event = EVENTS.get(random.nextInt(EVENTS.size()));
            String line = TIMESTAMP_FORMAT.format(timestamp) + "," + userId + "," + event;
            if (settings.malformedFraction() > 0 && random.nextDouble() < settings.malformedFraction()) {
                line = MalformedRows.corrupt(line, random);
            }
            csv.append(line).append('\n');
        }
        return csv.toString();
    }

    private LocalDateTime timestampOf(int fileNumber, int row) {
        if (settings.startTime() == null) {
            return clock.get();
        }
        Duration perRow = settings.interval().dividedBy(settings.rowsPerFile());
        return settings.startTime()
                .plus(settings.interval().multipliedBy(fileNumber))
                .plus(perRow.multipliedBy(row));
    }

    /** One past the highest {@code event_batch_N.csv} in the directory (0 if none). */
    static int nextFreeIndex(Path dir) throws IOException {
        try (var names = Files.list(dir)) {
            return names.map(p -> BATCH_FILE.matcher(p.getFileName().toString()))
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

    private static void requireArgument(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
