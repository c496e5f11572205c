package dev.flinkpatterns.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.benchmarks.PlainJavaBaseline;
import dev.flinkpatterns.io.memory.MemoryTables;
import dev.flinkpatterns.testing.CapturedRun;
import dev.flinkpatterns.testing.FlinkTests;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plain-Java program of {@code ./patterns benchmark throughput} computes what each pattern computes, with the
 * benchmark's options, on the benchmark's kind of data (3 files of 25,000 rows: 75 s of event time, two 1-minute
 * windows, each spanning files read by different threads): otherwise its rows/s would measure other work. The
 * patterns run on the embedded runtime (RocksDB, conf/config.yaml); their results are read with SQL from the memory
 * sink (the counts) or from the files-2pc sink's JSON lines (dedup's rows, too many for the memory sink's SQL).
 */
@Timeout(180)
class PlainJavaBaselineTest {

    private static final int ROWS = 3 * 25_000;

    @TempDir
    static Path tmp;

    private static Path input;

    @BeforeAll
    static void generate() throws Exception {
        input = tmp.resolve("events");
        Benchmark.generateIfMissing(input, 3, 25_000, new PrintStream(OutputStream.nullOutputStream()));
    }

    @Test
    void csvAggCountsPerEventAreThePatterns() throws Exception {
        Map<String, Long> pattern = memoryTable(0, "csv_agg_result", "SELECT event, `count` FROM csv_agg_result");

        PlainJavaBaseline.Result plain = PlainJavaBaseline.run("csv-agg", input, 2, row -> {});

        assertThat(plain.counts()).isEqualTo(pattern).hasSize(4);
        assertThat(plain.rows()).isEqualTo(ROWS);
        assertThat(sum(plain.counts())).isEqualTo(ROWS);
    }

    @Test
    void windowAggCountsPerWindowAndEventAreThePatterns() throws Exception {
        Map<String, Long> pattern = memoryTable(1, "window_agg_result",
                "SELECT window_start, event, `count` FROM window_agg_result");

        PlainJavaBaseline.Result plain = PlainJavaBaseline.run("window-agg", input, 2, row -> {});

        assertThat(plain.counts()).isEqualTo(pattern).hasSize(2 * 4);
        assertThat(plain.counts().keySet()).allMatch(key -> key.startsWith("2024-01-15 00:00:00,")
                || key.startsWith("2024-01-15 00:01:00,"));
        assertThat(sum(plain.counts())).isEqualTo(ROWS); // no row late
    }

    @Test
    void dedupKeepsThePatternsRows() throws Exception {
        Path out = tmp.resolve("out-dedup");
        runPattern(2, "--sink", "files-2pc", "--output", out.toString());
        Set<String> patternRows = FlinkTests.linesOfVisibleFiles(out.resolve("results")).stream()
                .map(PlainJavaBaselineTest::csvOfJson).collect(Collectors.toSet());
        Map<String, Long> patternPerEvent = patternRows.stream()
                .collect(Collectors.groupingBy(row -> row.substring(row.lastIndexOf(',') + 1), TreeMap::new,
                        Collectors.counting()));

        Set<String> plainRows = ConcurrentHashMap.newKeySet();
        PlainJavaBaseline.Result plain = PlainJavaBaseline.run("dedup", input, 2, plainRows::add);

        assertThat(plain.counts()).isEqualTo(patternPerEvent).hasSize(4);
        assertThat(plainRows).isEqualTo(patternRows).hasSize(ROWS); // every timestamp is distinct: every row is kept
        assertThat(plainRows).isEqualTo(Set.copyOf(allDataRows()));
    }

    /**
     * Runs {@code Benchmark.RUNS[run]} as the benchmark does, with the memory sink as {@code table}; {@code query}'s
     * rows as counts per key: every column but the last joined with commas as the key, the last the count.
     */
    private static Map<String, Long> memoryTable(int run, String table, String query) throws Exception {
        runPattern(run, "--sink", "memory", "--query-name", table, "--memory-query", "SELECT 1",
                "--output", tmp.resolve("out-" + table).toString());
        Map<String, Long> counts = new TreeMap<>();
        for (List<String> row : MemoryTables.sql(query).rows()) {
            counts.put(String.join(",", row.subList(0, row.size() - 1)), Long.parseLong(row.get(row.size() - 1)));
        }
        return counts;
    }

    /** {@code Benchmark.RUNS[run]} with the benchmark's options and {@code sink}, on the embedded runtime. */
    private static void runPattern(int run, String... sink) throws Exception {
        List<String> args = Stream.of(Benchmark.RUNS.get(run).stream(), Stream.of("--input", input.toString(),
                "--trigger", "available-now", "--parallelism", "2", "--web-ui-port", Integer.toString(freePort())),
                Stream.of(sink)).flatMap(s -> s).toList();
        EmbeddedRuntime runtime = new EmbeddedRuntime(Path.of("../conf"),
                Files.createDirectories(tmp.resolve("flink-" + run)));
        CapturedRun result = CapturedRun.of(runtime, args.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.err()).isZero();
    }

    /** {@code {"timestamp":"T","user_id":U,"event":"E"}} as the CSV line {@code T,U,E}. */
    private static String csvOfJson(String json) {
        Matcher row = JSON_ROW.matcher(json);
        assertThat(row.matches()).as(json).isTrue();
        return row.group(1) + "," + row.group(2) + "," + row.group(3);
    }

    private static final Pattern JSON_ROW =
            Pattern.compile("\\{\"timestamp\":\"([^\"]*)\",\"user_id\":([0-9]+),\"event\":\"([^\"]*)\"}");

    private static List<String> allDataRows() throws Exception {
        try (Stream<Path> files = Files.list(input)) {
            return files.flatMap(file -> {
                try {
                    return Files.readAllLines(file).stream().skip(1);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).collect(Collectors.toList());
        }
    }

    private static long sum(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    private static int freePort() throws Exception {
        try (ServerSocket free = new ServerSocket(0)) {
            return free.getLocalPort();
        }
    }
}
