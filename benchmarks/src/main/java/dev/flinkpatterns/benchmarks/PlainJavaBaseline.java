package dev.flinkpatterns.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The yardstick of {@code ./patterns benchmark throughput}: the work of csv-agg, window-agg and dedup over the
 * generated event files ({@code timestamp,user_id,event}) in plain Java, no framework, only the JDK. Threads take
 * files from a shared queue (oldest first, as the patterns' file source hands them out), read them with a
 * {@link BufferedReader}, split each line with {@code indexOf}, parse and check its fields as the patterns'
 * parser does (a malformed row is skipped, never counted), and keep their state in {@link HashMap}s of their own,
 * merged at the end. With the benchmark's options:
 *
 * <ul>
 *   <li>{@code csv-agg}: the count of rows per {@code event};
 *   <li>{@code window-agg} ({@code --window 1m --watermark 10s --group-by event --distinct none}): the count per
 *       1-minute tumbling event-time window and {@code event}; a row more than 10 s behind the newest row its
 *       thread has read is dropped as late (generated data has none);
 *   <li>{@code dedup} ({@code --key timestamp,user_id,event --watermark 10s}): the first row of each key goes to the
 *       output (here: counted per {@code event}), later ones are dropped; a key is forgotten once its thread's
 *       watermark (newest time − 10 s) passes its time, as the pattern forgets it, so state stays bounded. A key is
 *       remembered by the thread that read it: on the generated data a key's rows are all in one file.
 * </ul>
 *
 * Run as {@code java -Xmx1g -cp benchmarks.jar dev.flinkpatterns.benchmarks.PlainJavaBaseline PATTERN DIR [threads]};
 * it prints its rows per second, timed from the first file opened to the merged result (JVM start left out).
 */
public final class PlainJavaBaseline {

    public static final int DEFAULT_THREADS = 2;
    public static final List<String> PATTERNS = List.of("csv-agg", "window-agg", "dedup");

    static final String HEADER = "timestamp,user_id,event";
    static final long WINDOW_MILLIS = 60_000;
    static final long WATERMARK_DELAY_MILLIS = 10_000;
    private static final DateTimeFormatter WINDOW_START =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    /** Joins the dedup key's columns, as the pattern does; no event file holds it. */
    private static final char KEY_SEPARATOR = '\u001f';

    /**
     * What a run gives: rows read (malformed and late ones included), the time taken, and the result as counts per
     * key: per {@code event} (csv-agg), per {@code "yyyy-MM-dd HH:mm:ss,event"} of the window start (window-agg), or
     * kept rows per {@code event} (dedup).
     */
    public record Result(long rows, long nanos, SortedMap<String, Long> counts) {
        public double rowsPerSecond() {
            return rows / (nanos / 1e9);
        }
    }

    private PlainJavaBaseline() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2 || !PATTERNS.contains(args[0])) {
            System.err.println("usage: PlainJavaBaseline csv-agg|window-agg|dedup DIR [threads]");
            System.exit(2);
        }
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : DEFAULT_THREADS;
        Result result = run(args[0], Path.of(args[1]), threads, row -> {});
        System.out.printf("%s: %d rows in %.3f s, %.0f rows/s, %d threads, %d result keys%n", args[0], result.rows(),
                result.nanos() / 1e9, result.rowsPerSecond(), threads, result.counts().size());
    }

    /** Runs {@code pattern} over the {@code .csv} files of {@code dir}; {@code kept} sees dedup's kept rows (any thread). */
    public static Result run(String pattern, Path dir, int threads, Consumer<String> kept)
            throws IOException, InterruptedException {
        Queue<Path> files = new ConcurrentLinkedQueue<>(oldestFirst(dir));
        long start = System.nanoTime();
        List<Worker> workers = new ArrayList<>();
        List<Thread> running = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Worker worker = switch (pattern) {
                case "csv-agg" -> new CountPerEvent(files);
                case "window-agg" -> new WindowCounts(files);
                case "dedup" -> new KeepFirst(files, kept);
                default -> throw new IllegalArgumentException("no plain-Java version of " + pattern);
            };
            workers.add(worker);
            Thread thread = new Thread(worker, "plain-java-" + i);
            running.add(thread);
            thread.start();
        }
        for (Thread thread : running) {
            thread.join();
        }
        long rows = 0;
        SortedMap<String, Long> merged = new TreeMap<>();
        for (Worker worker : workers) {
            if (worker.failure instanceof IOException e) {
                throw e;
            } else if (worker.failure != null) {
                throw (RuntimeException) worker.failure;
            }
            rows += worker.rows;
            worker.mergeInto(merged);
        }
        return new Result(rows, System.nanoTime() - start, merged);
    }

    private static List<Path> oldestFirst(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(f -> f.getFileName().toString().endsWith(".csv") && !f.getFileName().toString().startsWith("."))
                    .sorted(Comparator.comparing((Path f) -> {
                        try {
                            return Files.getLastModifiedTime(f).toMillis();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }).thenComparing(Path::toString))
                    .toList();
        }
    }

    /** One thread: takes files until none is left; parses each row and hands it to {@link #accept}. */
    private abstract static class Worker implements Runnable {
        private final Queue<Path> files;
        long rows;
        Exception failure;

        Worker(Queue<Path> files) {
            this.files = files;
        }

        @Override
        public final void run() {
            try {
                for (Path file = files.poll(); file != null; file = files.poll()) {
                    read(file);
                }
            } catch (IOException | RuntimeException e) {
                failure = e; // thrown by run(), after the join
            }
        }

        private void read(Path file) throws IOException {
            try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line = reader.readLine();
                if (line != null && line.equals(HEADER)) {
                    line = reader.readLine(); // the header only, as the pattern skips it
                }
                for (; line != null; line = reader.readLine()) {
                    if (line.isEmpty()) {
                        continue;
                    }
                    rows++;
                    int first = line.indexOf(',');
                    int second = first < 0 ? -1 : line.indexOf(',', first + 1);
                    if (second < 0 || line.indexOf(',', second + 1) >= 0 || second + 1 == line.length()) {
                        continue; // malformed: the pattern sends it to the dead letters
                    }
                    long millis = epochMillis(line, first);
                    if (millis == Long.MIN_VALUE) {
                        continue;
                    }
                    int userId;
                    try {
                        userId = Integer.parseInt(line, first + 1, second, 10);
                    } catch (NumberFormatException e) {
                        continue;
                    }
                    accept(line, first, millis, userId, line.substring(second + 1));
                }
            }
        }

        /** A valid row: {@code line}'s timestamp ends at {@code timestampEnd}. */
        abstract void accept(String line, int timestampEnd, long millis, int userId, String event);

        abstract void mergeInto(SortedMap<String, Long> result);
    }

    /** csv-agg: count per event. */
    private static final class CountPerEvent extends Worker {
        private final Map<String, long[]> counts = new HashMap<>();

        CountPerEvent(Queue<Path> files) {
            super(files);
        }

        @Override
        void accept(String line, int timestampEnd, long millis, int userId, String event) {
            counts.computeIfAbsent(event, e -> new long[1])[0]++;
        }

        @Override
        void mergeInto(SortedMap<String, Long> result) {
            counts.forEach((event, count) -> result.merge(event, count[0], Long::sum));
        }
    }

    /** window-agg: count per tumbling window and event; rows behind this thread's watermark are late. */
    private static final class WindowCounts extends Worker {
        private final Map<Long, Map<String, long[]>> windows = new HashMap<>();
        private long newest = Long.MIN_VALUE;
        private long currentStart = Long.MIN_VALUE;
        private Map<String, long[]> current;

        WindowCounts(Queue<Path> files) {
            super(files);
        }

        @Override
        void accept(String line, int timestampEnd, long millis, int userId, String event) {
            newest = Math.max(newest, millis);
            long start = millis - Math.floorMod(millis, WINDOW_MILLIS);
            if (start + WINDOW_MILLIS <= newest - WATERMARK_DELAY_MILLIS) {
                return; // late: its window has closed
            }
            if (start != currentStart) { // rows come in time order: most rows hit the window of the row before
                currentStart = start;
                current = windows.computeIfAbsent(start, s -> new HashMap<>());
            }
            current.computeIfAbsent(event, e -> new long[1])[0]++;
        }

        @Override
        void mergeInto(SortedMap<String, Long> result) {
            windows.forEach((start, counts) -> counts.forEach(
                    (event, count) -> result.merge(display(start) + "," + event, count[0], Long::sum)));
        }
    }

    /** dedup: the first row of each key; a key is forgotten once this thread's watermark passes its time. */
    private static final class KeepFirst extends Worker {
        private final Set<String> remembered = new HashSet<>();
        /** Keys in the order they were first seen, with their times: the rows come in time order. */
        private final ArrayDeque<String> expiryKeys = new ArrayDeque<>();
        private final ArrayDeque<long[]> expiryTimes = new ArrayDeque<>();
        private final Map<String, long[]> keptPerEvent = new HashMap<>();
        private final Consumer<String> kept;
        private long newest = Long.MIN_VALUE;

        KeepFirst(Queue<Path> files, Consumer<String> kept) {
            super(files);
            this.kept = kept;
        }

        @Override
        void accept(String line, int timestampEnd, long millis, int userId, String event) {
            newest = Math.max(newest, millis);
            long watermark = newest - WATERMARK_DELAY_MILLIS;
            if (millis < watermark) {
                return; // late: a duplicate of a key already forgotten could pass
            }
            while (!expiryTimes.isEmpty() && expiryTimes.peekFirst()[0] < watermark) {
                expiryTimes.pollFirst();
                remembered.remove(expiryKeys.pollFirst());
            }
            String key = line.substring(0, timestampEnd) + KEY_SEPARATOR + userId + KEY_SEPARATOR + event;
            if (remembered.add(key)) {
                expiryKeys.addLast(key);
                expiryTimes.addLast(new long[] {millis});
                keptPerEvent.computeIfAbsent(event, e -> new long[1])[0]++;
                kept.accept(line);
            }
        }

        @Override
        void mergeInto(SortedMap<String, Long> result) {
            keptPerEvent.forEach((event, count) -> result.merge(event, count[0], Long::sum));
        }
    }

    /**
     * Epoch milliseconds (UTC) of {@code yyyy-MM-ddTHH:mm:ss[.ffffff]} in {@code line[0, end)}, sub-millisecond
     * digits dropped; {@link Long#MIN_VALUE} if it is not one.
     */
    static long epochMillis(String line, int end) {
        if (end < 19 || end > 26 || line.charAt(4) != '-' || line.charAt(7) != '-' || line.charAt(10) != 'T'
                || line.charAt(13) != ':' || line.charAt(16) != ':' || (end > 19 && (line.charAt(19) != '.' || end == 20))) {
            return Long.MIN_VALUE;
        }
        int year = digits(line, 0, 4);
        int month = digits(line, 5, 2);
        int day = digits(line, 8, 2);
        int hour = digits(line, 11, 2);
        int minute = digits(line, 14, 2);
        int second = digits(line, 17, 2);
        int millis = 0;
        for (int i = 20; i < 23; i++) {
            int digit = i < end ? digits(line, i, 1) : 0;
            millis = millis < 0 || digit < 0 ? -1 : millis * 10 + digit;
        }
        if (end > 23 && digits(line, 23, end - 23) < 0) {
            return Long.MIN_VALUE;
        }
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour < 0 || hour > 23
                || minute < 0 || minute > 59 || second < 0 || second > 59 || millis < 0) {
            return Long.MIN_VALUE;
        }
        return ((epochDay(year, month, day) * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
    }

    /** The decimal number of {@code length} digits at {@code from}, or -1. */
    private static int digits(String text, int from, int length) {
        int value = 0;
        for (int i = from; i < from + length; i++) {
            int digit = text.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    private static int daysInMonth(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
    private static long epochDay(int year, int month, int day) {
        int y = month <= 2 ? year - 1 : year;
        int era = Math.floorDiv(y, 400);
        int yearOfEra = y - era * 400;
        int dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097L + dayOfEra - 719_468;
    }

    /** A window start as the patterns' console shows it: {@code yyyy-MM-dd HH:mm:ss}, UTC. */
    static String display(long epochMillis) {
        return WINDOW_START.format(Instant.ofEpochMilli(epochMillis));
    }
}
