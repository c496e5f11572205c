package dev.flinkpatterns.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinkpatterns.generator.BatchFileGenerator.FileListener;
import dev.flinkpatterns.generator.BatchFileGenerator.Pause;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared file lifecycle and the tutorial's event files (numbering, atomic writes, pauses, interrupts, malformed rows). */
class BatchFileGeneratorTest {

    private static final LocalDateTime START = LocalDateTime.of(2025, 7, 15, 15, 3, 0);
    private static final Duration INTERVAL = Duration.ofSeconds(3);
    private static final Pause NO_WAIT = duration -> {};
    /** With a fixed startTime the clock must never be asked. */
    private static final Supplier<LocalDateTime> NO_CLOCK = () -> {
        throw new AssertionError("clock used although startTime is fixed");
    };
    private static final Set<String> EVENTS = Set.of("login", "logout", "purchase", "view");
    private static final RowFormat EVENTS_OF_5_USERS = new EventCsvRows(5);

    // Checked by hand: timestamps are START + file*3s + row*750ms (3s / 4 rows); user ids and events
    // follow new Random(42): nextInt(5)+1 = 1,4,1,1,5,3,... and nextInt(4) = login,login,view,purchase,login,logout,...
    private static final String SEED_42_FILE_0 = """
            timestamp,user_id,event
            2025-07-15T15:03:00.000000,1,login
            2025-07-15T15:03:00.750000,4,login
            2025-07-15T15:03:01.500000,1,view
            2025-07-15T15:03:02.250000,1,purchase
            """;
    private static final String SEED_42_FILE_1 = """
            timestamp,user_id,event
            2025-07-15T15:03:03.000000,5,login
            2025-07-15T15:03:03.750000,3,logout
            2025-07-15T15:03:04.500000,2,logout
            2025-07-15T15:03:05.250000,2,purchase
            """;
    private static final String SEED_42_FILE_2 = """
            timestamp,user_id,event
            2025-07-15T15:03:06.000000,2,view
            2025-07-15T15:03:06.750000,4,view
            2025-07-15T15:03:07.500000,1,login
            2025-07-15T15:03:08.250000,2,logout
            """;
    // Same settings with malformedFraction 1.0: every data row corrupted (the last one is a BLANK_LINE).
    private static final String SEED_42_ALL_MALFORMED_FILE_0 = """
            timestamp,user_id,event
            2025-07-15T15:03:00.000000,1
            yesterday,1,logout
            2025-07-15T15:03:01.500000,3,logout,extra

            """;

    private static GeneratorSettings settings(Path dir, int files, int rows, long seed, double malformedFraction) {
        return new GeneratorSettings(dir, files, rows, INTERVAL, seed, START, malformedFraction);
    }

    private static List<Path> run(GeneratorSettings settings) throws IOException, InterruptedException {
        return new BatchFileGenerator(settings, EVENTS_OF_5_USERS, NO_WAIT, NO_CLOCK).run(FileListener.SILENT);
    }

    private static List<String> namesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private static List<String> dataRows(Path file) throws IOException {
        String content = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(content).startsWith(EventCsvRows.HEADER + "\n").endsWith("\n");
        List<String> lines = List.of(content.split("\n", -1));
        // drop the header and the empty string after the final '\n'
        return lines.subList(1, lines.size() - 1);
    }

    // ---- 1. determinism ----

    @Test
    void sameSettingsWriteByteIdenticalFiles(@TempDir Path first, @TempDir Path second) throws Exception {
        assertThat(first).isNotEqualTo(second);
        List<Path> a = run(settings(first, 3, 4, 42, 0));
        List<Path> b = run(settings(second, 3, 4, 42, 0));

        assertThat(namesIn(first)).containsExactly("event_batch_0.csv", "event_batch_1.csv", "event_batch_2.csv");
        assertThat(namesIn(second)).isEqualTo(namesIn(first));
        for (int i = 0; i < 3; i++) {
            assertThat(a.get(i).getFileName()).isEqualTo(b.get(i).getFileName());
            assertThat(Files.readAllBytes(b.get(i))).isEqualTo(Files.readAllBytes(a.get(i)));
        }
    }

    @Test
    void differentSeedChangesUsersAndEventsButNotTimestamps(@TempDir Path first, @TempDir Path second)
            throws Exception {
        List<Path> a = run(settings(first, 3, 4, 42, 0));
        List<Path> b = run(settings(second, 3, 4, 43, 0));

        List<String> rowsA = new ArrayList<>();
        List<String> rowsB = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            rowsA.addAll(dataRows(a.get(i)));
            rowsB.addAll(dataRows(b.get(i)));
        }
        assertThat(rowsB).hasSize(12).isNotEqualTo(rowsA);
        assertThat(column(rowsB, 0)).isEqualTo(column(rowsA, 0));
        assertThat(rowsB.stream().map(r -> r.substring(r.indexOf(',') + 1)).collect(Collectors.toList()))
                .isNotEqualTo(rowsA.stream().map(r -> r.substring(r.indexOf(',') + 1)).collect(Collectors.toList()));
    }

    private static List<String> column(List<String> rows, int index) {
        return rows.stream().map(r -> r.split(",", -1)[index]).collect(Collectors.toList());
    }

    // ---- 2. format ----

    @Test
    void writesExactContentForFixedSeedAndStartTime(@TempDir Path dir) throws Exception {
        List<Path> written = run(settings(dir, 3, 4, 42, 0));

        assertThat(written).containsExactly(
                dir.resolve("event_batch_0.csv"), dir.resolve("event_batch_1.csv"), dir.resolve("event_batch_2.csv"));
        assertThat(Files.readString(written.get(0))).isEqualTo(SEED_42_FILE_0);
        assertThat(Files.readString(written.get(1))).isEqualTo(SEED_42_FILE_1);
        assertThat(Files.readString(written.get(2))).isEqualTo(SEED_42_FILE_2);
    }

    @Test
    void defaultLikeRunHasWellFormedRowsAndFileNames(@TempDir Path dir) throws Exception {
        int users = EventCsvRows.DEFAULT_USERS;
        GeneratorSettings settings = new GeneratorSettings(dir, 10, 10, INTERVAL, 7, START, 0);
        List<Path> written = run(settings);

        List<String> expectedNames = IntStream.range(0, 10).mapToObj(i -> "event_batch_" + i + ".csv")
                .collect(Collectors.toList());
        assertThat(written.stream().map(p -> p.getFileName().toString())).containsExactlyElementsOf(expectedNames);
        assertThat(namesIn(dir)).containsExactlyInAnyOrderElementsOf(expectedNames);

        Set<Integer> usersSeen = new HashSet<>();
        Set<String> eventsSeen = new HashSet<>();
        LocalDateTime previous = null;
        for (int f = 0; f < 10; f++) {
            List<String> lines = Files.readAllLines(written.get(f));
            assertThat(lines).hasSize(11);
            assertThat(lines.get(0)).isEqualTo("timestamp,user_id,event");
            for (int row = 0; row < 10; row++) {
                String[] fields = lines.get(row + 1).split(",", -1);
                assertThat(fields).hasSize(3);
                LocalDateTime timestamp = LocalDateTime.parse(fields[0], EventTimeline.TIMESTAMP_FORMAT);
                // 3 s per file, 300 ms per row
                assertThat(timestamp).isEqualTo(START.plusSeconds(3L * f).plusNanos(300_000_000L * row));
                if (previous != null) {
                    assertThat(timestamp).isAfter(previous);
                }
                previous = timestamp;
                int userId = Integer.parseInt(fields[1]);
                assertThat(userId).isBetween(1, users);
                assertThat(fields[2]).isIn(EVENTS);
                usersSeen.add(userId);
                eventsSeen.add(fields[2]);
            }
        }
        // 100 rows: every user and every event shows up
        assertThat(usersSeen).containsExactlyInAnyOrder(1, 2, 3, 4, 5);
        assertThat(eventsSeen).isEqualTo(EVENTS);
    }

    @Test
    void withoutStartTimeEveryRowUsesTheClock(@TempDir Path dir) throws Exception {
        LocalDateTime now = LocalDateTime.of(2030, 1, 2, 3, 4, 5, 123_456_789);
        GeneratorSettings settings = new GeneratorSettings(dir, 2, 3, INTERVAL, 1, null, 0);
        List<Path> written = new BatchFileGenerator(settings, EVENTS_OF_5_USERS, NO_WAIT, () -> now).run(FileListener.SILENT);

        assertThat(written).hasSize(2);
        for (Path file : written) {
            assertThat(column(dataRows(file), 0))
                    .containsExactly("2030-01-02T03:04:05.123456", "2030-01-02T03:04:05.123456",
                            "2030-01-02T03:04:05.123456");
        }
    }

    @Test
    void pausesIntervalBetweenFilesOnlyAndReportsEachFile(@TempDir Path dir) throws Exception {
        List<Duration> pauses = new ArrayList<>();
        List<String> events = new ArrayList<>();
        GeneratorSettings settings = new GeneratorSettings(dir, 3, 2, Duration.ofMillis(1500), 1, START, 0);
        new BatchFileGenerator(settings, EVENTS_OF_5_USERS, pauses::add, NO_CLOCK)
                .run((file, number, total) -> events.add(file.getFileName() + " " + number + "/" + total
                        + " pauses=" + pauses.size()));

        assertThat(pauses).containsExactly(Duration.ofMillis(1500), Duration.ofMillis(1500));
        assertThat(events).containsExactly(
                "event_batch_0.csv 1/3 pauses=0", "event_batch_1.csv 2/3 pauses=1", "event_batch_2.csv 3/3 pauses=2");
    }

    @Test
    void createsMissingOutputDirectory(@TempDir Path dir) throws Exception {
        Path nested = dir.resolve("a").resolve("b");
        List<Path> written = run(settings(nested, 1, 4, 42, 0));

        assertThat(written).containsExactly(nested.resolve("event_batch_0.csv"));
        assertThat(Files.readString(written.get(0))).isEqualTo(SEED_42_FILE_0);
    }

    // ---- 3. numbering continues ----

    @Test
    void numberingContinuesAfterHighestExistingFile(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("event_batch_0.csv"), "old zero\n");
        Files.writeString(dir.resolve("event_batch_4.csv"), "old four\n");

        List<Path> written = run(settings(dir, 2, 4, 42, 0));

        assertThat(written).containsExactly(dir.resolve("event_batch_5.csv"), dir.resolve("event_batch_6.csv"));
        assertThat(namesIn(dir)).containsExactly(
                "event_batch_0.csv", "event_batch_4.csv", "event_batch_5.csv", "event_batch_6.csv");
        assertThat(Files.readString(dir.resolve("event_batch_0.csv"))).isEqualTo("old zero\n");
        assertThat(Files.readString(dir.resolve("event_batch_4.csv"))).isEqualTo("old four\n");
        // the content does not depend on the numbering: the same rows as files 0 and 1 of a fresh run
        assertThat(Files.readString(dir.resolve("event_batch_5.csv"))).isEqualTo(SEED_42_FILE_0);
        assertThat(Files.readString(dir.resolve("event_batch_6.csv"))).isEqualTo(SEED_42_FILE_1);
    }

    @Test
    void nextFreeIndexComparesNumbersAndIgnoresOtherNames(@TempDir Path dir) throws Exception {
        assertThat(BatchFileGenerator.nextFreeIndex(dir, EVENTS_OF_5_USERS)).isZero();

        for (String name : List.of("event_batch_3.csv", "event_batch_12.csv", "event_batch_x.csv",
                ".event_batch_20.csv.tmp", "event_batch_30.csv.bak", "event_batch_40.txt", "my_event_batch_50.csv")) {
            Files.writeString(dir.resolve(name), "");
        }
        // 12 > 3 numerically (a string comparison would pick 3)
        assertThat(BatchFileGenerator.nextFreeIndex(dir, EVENTS_OF_5_USERS)).isEqualTo(13);
    }

    // ---- 4. atomic write ----

    @Test
    void runLeavesNoHiddenTempFile(@TempDir Path dir) throws Exception {
        run(settings(dir, 3, 4, 42, 0));

        assertThat(namesIn(dir)).containsExactly("event_batch_0.csv", "event_batch_1.csv", "event_batch_2.csv");
        assertThat(namesIn(dir)).noneMatch(name -> name.startsWith("."));
    }

    @Test
    void writeAtomicallyWritesExactContentAndNoDotFile(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("event_batch_0.csv");
        BatchFileGenerator.writeAtomically(target, "timestamp,user_id,event\nä,1,login\n");

        assertThat(Files.readAllBytes(target))
                .isEqualTo("timestamp,user_id,event\nä,1,login\n".getBytes(StandardCharsets.UTF_8));
        assertThat(namesIn(dir)).containsExactly("event_batch_0.csv");
    }

    @Test
    void writeAtomicallyReplacesAnExistingFileCompletely(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("out.csv");
        Files.writeString(target, "a much longer old content that must not leave a tail\n");

        BatchFileGenerator.writeAtomically(target, "new\n");

        assertThat(Files.readString(target)).isEqualTo("new\n");
        assertThat(namesIn(dir)).containsExactly("out.csv");
    }

    @Test
    void writeAtomicallyRemovesTheTempFileWhenTheRenameFails(@TempDir Path dir) throws Exception {
        // a non-empty directory in the way: the rename fails after the hidden file was written
        Path target = dir.resolve("event_batch_0.csv");
        Files.createDirectory(target);
        Files.writeString(target.resolve("inside.txt"), "keep\n");

        assertThatThrownBy(() -> BatchFileGenerator.writeAtomically(target, "content\n"))
                .isInstanceOf(FileSystemException.class);

        assertThat(namesIn(dir)).containsExactly("event_batch_0.csv");
        assertThat(target).isDirectory();
        assertThat(Files.readString(target.resolve("inside.txt"))).isEqualTo("keep\n");
    }

    // ---- 5. interruption ----

    @Test
    void interruptDuringPauseStopsAfterFirstFile(@TempDir Path dir) throws Exception {
        List<Path> reported = new ArrayList<>();
        Pause interrupting = duration -> Thread.currentThread().interrupt();
        BatchFileGenerator generator = new BatchFileGenerator(settings(dir, 3, 4, 42, 0), EVENTS_OF_5_USERS, interrupting, NO_CLOCK);
        try {
            assertThatThrownBy(() -> generator.run((file, number, total) -> reported.add(file)))
                    .isInstanceOf(InterruptedException.class)
                    .hasMessage("generator stopped");
        } finally {
            Thread.interrupted(); // clear the flag for the rest of the test run
        }

        assertThat(reported).containsExactly(dir.resolve("event_batch_0.csv"));
        assertThat(namesIn(dir)).containsExactly("event_batch_0.csv");
        assertThat(Files.readString(dir.resolve("event_batch_0.csv"))).isEqualTo(SEED_42_FILE_0);
    }

    @Test
    void pauseThrowingInterruptedExceptionStopsAfterFirstFile(@TempDir Path dir) throws Exception {
        InterruptedException stop = new InterruptedException("stop now");
        Pause throwing = duration -> {
            throw stop;
        };
        BatchFileGenerator generator = new BatchFileGenerator(settings(dir, 3, 4, 42, 0), EVENTS_OF_5_USERS, throwing, NO_CLOCK);

        assertThatThrownBy(() -> generator.run(FileListener.SILENT)).isSameAs(stop);

        assertThat(namesIn(dir)).containsExactly("event_batch_0.csv");
        assertThat(Files.readString(dir.resolve("event_batch_0.csv"))).isEqualTo(SEED_42_FILE_0);
    }

    @Test
    void interruptWhileAFileIsRenderedFinishesThatFileAndStopsBeforeTheNext(@TempDir Path dir) throws Exception {
        // Without a startTime the clock is read while a file is rendered, i.e. after the between-files
        // check: an interrupt there must not leave half a file nor a temp file behind.
        int[] calls = {0};
        Supplier<LocalDateTime> interruptingClock = () -> {
            if (++calls[0] == 5) { // first row of the second file (4 rows per file)
                Thread.currentThread().interrupt();
            }
            return START;
        };
        GeneratorSettings settings = new GeneratorSettings(dir, 3, 4, INTERVAL, 42, null, 0);
        BatchFileGenerator generator = new BatchFileGenerator(settings, EVENTS_OF_5_USERS, NO_WAIT, interruptingClock);
        try {
            assertThatThrownBy(() -> generator.run(FileListener.SILENT))
                    .isInstanceOf(InterruptedException.class)
                    .hasMessage("generator stopped");
        } finally {
            Thread.interrupted();
        }

        assertThat(calls[0]).isEqualTo(8); // two files rendered, the third never started
        assertThat(namesIn(dir)).containsExactly("event_batch_0.csv", "event_batch_1.csv");
        for (String name : List.of("event_batch_0.csv", "event_batch_1.csv")) {
            assertThat(dataRows(dir.resolve(name))).hasSize(4).allMatch(row -> row.startsWith("2025-07-15T15:03:00.000000,"));
        }
    }

    // ---- 6. malformed rows in files ----

    private static final String TS = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}";
    private static final String EVENT = "(login|logout|purchase|view)";
    private static final List<Pattern> MALFORMED_SHAPES = List.of(
            Pattern.compile(TS + ",[1-5]"),                      // MISSING_FIELD
            Pattern.compile(TS + ",[1-5]," + EVENT + ",extra"),  // EXTRA_FIELD
            Pattern.compile(TS + ",user[1-5]," + EVENT),         // NON_NUMERIC_USER_ID
            Pattern.compile("yesterday,[1-5]," + EVENT),         // BAD_TIMESTAMP
            Pattern.compile(""));                                // BLANK_LINE
    private static final Pattern VALID_ROW = Pattern.compile(TS + ",[1-5]," + EVENT);

    @Test
    void fullMalformedFractionCorruptsEveryDataRow(@TempDir Path dir) throws Exception {
        List<Path> written = run(settings(dir, 10, 10, 11, 1.0));

        int[] perShape = new int[MALFORMED_SHAPES.size()];
        for (int f = 0; f < written.size(); f++) {
            List<String> rows = dataRows(written.get(f));
            assertThat(rows).hasSize(10);
            for (int row = 0; row < rows.size(); row++) {
                String line = rows.get(row);
                assertThat(VALID_ROW.matcher(line).matches()).as("valid row %s", line).isFalse();
                int shape = shapeOf(line);
                assertThat(shape).as("shape of '%s'", line).isNotNegative();
                perShape[shape]++;
                if (line.matches(TS + ",.*")) {
                    // corruption keeps the row's own timestamp: 3 s per file, 300 ms per row
                    assertThat(line.substring(0, line.indexOf(','))).isEqualTo(EventTimeline.TIMESTAMP_FORMAT
                            .format(START.plusSeconds(3L * f).plusNanos(300_000_000L * row)));
                }
            }
        }
        assertThat(perShape).doesNotContain(0).hasSize(5); // all five kinds occur in 100 rows
        assertThat(IntStream.of(perShape).sum()).isEqualTo(100);
    }

    @Test
    void fullMalformedFractionExactFile(@TempDir Path dir) throws Exception {
        List<Path> written = run(settings(dir, 1, 4, 42, 1.0));

        assertThat(Files.readString(written.get(0))).isEqualTo(SEED_42_ALL_MALFORMED_FILE_0);
    }

    @Test
    void zeroMalformedFractionKeepsEveryRowValid(@TempDir Path dir) throws Exception {
        List<Path> written = run(settings(dir, 10, 10, 11, 0));

        for (Path file : written) {
            assertThat(dataRows(file)).hasSize(10).allMatch(line -> VALID_ROW.matcher(line).matches());
        }
    }

    private static int shapeOf(String line) {
        for (int i = 0; i < MALFORMED_SHAPES.size(); i++) {
            if (MALFORMED_SHAPES.get(i).matcher(line).matches()) {
                return i;
            }
        }
        return -1;
    }

    // ---- 7. settings validation ----

    @Test
    void settingsRejectInvalidOptionsNamingTheOption(@TempDir Path dir) {
        assertThatThrownBy(() -> new GeneratorSettings(dir, 0, 4, INTERVAL, 1, START, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--files must be at least 1, got 0");
        assertThatThrownBy(() -> new GeneratorSettings(dir, 3, 0, INTERVAL, 1, START, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--rows must be at least 1, got 0");
        assertThatThrownBy(() -> new EventCsvRows(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--users must be at least 1, got 0");
        assertThatThrownBy(() -> new GeneratorSettings(dir, 3, 4, Duration.ofSeconds(-1), 1, START, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--interval must not be negative, got PT-1S");
        assertThatThrownBy(() -> new GeneratorSettings(dir, 3, 4, INTERVAL, 1, START, 1.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--malformed-fraction must be between 0 and 1, got 1.5");
        assertThatThrownBy(() -> new GeneratorSettings(dir, 3, 4, INTERVAL, 1, START, -0.1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--malformed-fraction");
        assertThatThrownBy(() -> new GeneratorSettings(dir, 3, 4, INTERVAL, 1, START, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--malformed-fraction");
        assertThatThrownBy(() -> new GeneratorSettings(null, 3, 4, INTERVAL, 1, START, 0))
                .isInstanceOf(NullPointerException.class).hasMessage("outputDir");
        assertThatThrownBy(() -> new GeneratorSettings(dir, 3, 4, null, 1, START, 0))
                .isInstanceOf(NullPointerException.class).hasMessage("interval");
    }

    @Test
    void settingsAcceptBoundaryValuesAndDefaults(@TempDir Path dir) {
        GeneratorSettings minimal = new GeneratorSettings(dir, 1, 1, Duration.ZERO, 1, null, 1.0);
        assertThat(minimal.files()).isEqualTo(1);
        assertThat(minimal.malformedFraction()).isEqualTo(1.0);

        assertThat(GeneratorSettings.defaults(dir, 99))
                .isEqualTo(new GeneratorSettings(dir, 10, 10, Duration.ofSeconds(3), 99, null, 0));
    }

    @Test
    void timePerFileSetsTheEventTimeStepWithoutChangingThePause(@TempDir Path dir) throws Exception {
        List<Duration> pauses = new ArrayList<>();
        GeneratorSettings settings = settings(dir, 3, 4, 42, 0).withTimePerFile(Duration.ofMinutes(20));
        List<Path> written = new BatchFileGenerator(settings, EVENTS_OF_5_USERS, pauses::add, NO_CLOCK).run(FileListener.SILENT);

        assertThat(pauses).containsExactly(INTERVAL, INTERVAL);
        // 20 minutes a file, 5 minutes a row; users and events as without it
        assertThat(column(dataRows(written.get(1)), 0)).containsExactly("2025-07-15T15:23:00.000000",
                "2025-07-15T15:28:00.000000", "2025-07-15T15:33:00.000000", "2025-07-15T15:38:00.000000");
        assertThat(dataRows(written.get(1)).stream().map(r -> r.substring(r.indexOf(',') + 1)))
                .containsExactly("5,login", "3,logout", "2,logout", "2,purchase");
        assertThatThrownBy(() -> settings.withTimePerFile(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--time-per-file must not be negative, got PT-1S");
    }
}
