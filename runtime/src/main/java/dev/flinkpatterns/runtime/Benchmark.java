package dev.flinkpatterns.runtime;

import dev.flinkpatterns.generator.BatchFileGenerator;
import dev.flinkpatterns.generator.EventCsvRows;
import dev.flinkpatterns.generator.GeneratorSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Rows per second of csv-agg, window-agg and dedup, each run as a user runs it: {@code ./patterns PATTERN --trigger
 * available-now} as a child process, parallelism 2, RocksDB with incremental checkpoints (conf/config.yaml); against
 * the plain-Java program that does the same work ({@code benchmarks/PlainJavaBaseline}). Prints its figures; it is
 * not a test. Usage: {@code Benchmark} (throughput and latency, one report),
 * {@code Benchmark throughput [dir] [files] [rowsPerFile] [sinks]}, or {@code Benchmark latency [options]} for
 * {@link LatencyBenchmark}.
 */
public final class Benchmark {

    private Benchmark() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("latency")) {
            LatencyBenchmark.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length == 0) {
            System.exit(report(System.out));
        }
        boolean named = args[0].equals("throughput");
        throughput(named ? Arrays.copyOfRange(args, 1, args.length) : args, System.out);
        System.exit(0);
    }

    /**
     * {@code ./patterns benchmark}: everything in one report. Throughput of the main patterns over generated files,
     * then end-to-end latency through Kafka at 50,000 events/s, at-least-once and exactly-once (1 s checkpoints).
     */
    static int report(PrintStream out) throws Exception {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        out.printf("Machine: %d cores, %s %s, Java %s; RocksDB state backend, incremental checkpoints (conf/config.yaml)%n%n",
                os.getAvailableProcessors(), os.getName(), os.getArch(), System.getProperty("java.version"));
        out.println("Throughput: rows/s over generated CSV files, --trigger available-now, parallelism 2");
        throughput(new String[0], out);
        int exit = 0;
        for (String delivery : List.of("at-least-once", "exactly-once")) {
            out.println();
            out.println("Latency: Kafka -> parse, filter, keyed state -> Kafka, " + delivery);
            exit = Math.max(exit, LatencyBenchmark.run(LatencyOptions.parse("--delivery", delivery), out));
        }
        return exit;
    }

    /** The benchmark's runs: each pattern with its options (the plain-Java program does the same work). */
    static final List<List<String>> RUNS = List.of(
            List.of("csv-agg"),
            List.of("window-agg", "--window", "1m", "--watermark", "10s", "--group-by", "event", "--distinct", "none"),
            List.of("dedup", "--key", "timestamp,user_id,event", "--watermark", "10s"));

    /** The heap {@code ./patterns} gives a pattern's JVM, given to the plain-Java program too. */
    static final String PATTERN_HEAP = "-Xmx1g";
    /** The fixed cost's input: one file of 10 rows. */
    private static final int TINY_ROWS = 10;
    private static final int FIXED_COST_RUNS = 3;
    /** The first run of a pattern in the resident runtime also compiles its code: the median of three is reported. */
    private static final int WHOLE_RUNS = 3;
    private static final Pattern PLAIN_JAVA_RATE = Pattern.compile(" ([0-9]+) rows/s");

    /**
     * {@code [dir] [files] [rowsPerFile] [sinks]}: per pattern and sink, the fixed cost, whole-process and
     * processing-only rows/s, the plain-Java program's rows/s and the two ratios (docs/benchmark.md defines them).
     */
    static void throughput(String[] args, PrintStream report) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "data/benchmark");
        int files = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int rowsPerFile = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        long rows = (long) files * rowsPerFile;
        generateIfMissing(dir, files, rowsPerFile, report);
        Path tiny = dir.resolveSibling(dir.getFileName() + "-tiny");
        generateIfMissing(tiny, 1, TINY_ROWS, report);
        List<String> sinks = List.of(args.length > 3 ? args[3].split(",") : new String[] {"noop", "console"});
        Path home = Path.of(System.getProperty("patterns.home", ".")).toAbsolutePath();
        double loadBefore = loadAverage();
        report.printf("%-11s %-8s %10s %8s %8s %13s %18s %18s %17s %12s%n", "pattern", "sink", "rows", "fixed-s",
                "whole-s", "whole-rows/s", "processing-rows/s", "plain-java-rows/s", "ratio-processing", "ratio-whole");
        for (List<String> run : RUNS) {
            String pattern = run.get(0);
            double plainJava = plainJavaRowsPerSecond(home, pattern, dir, report);
            for (String sink : sinks) {
                double fixedSeconds = medianSeconds(FIXED_COST_RUNS, home, run, tiny, sink, report);
                double wholeSeconds = medianSeconds(WHOLE_RUNS, home, run, dir, sink, report);
                double wholeRate = rows / wholeSeconds;
                // Processing only: the whole run less the fixed cost; none when the fixed cost is most of the run.
                double processingRate = wholeSeconds > fixedSeconds ? rows / (wholeSeconds - fixedSeconds) : Double.NaN;
                report.printf("%-11s %-8s %10d %8s %8s %13s %18s %18s %17s %12s%n", pattern, sink, rows,
                        decimal(fixedSeconds, 1), decimal(wholeSeconds, 1), decimal(wholeRate, 0),
                        decimal(processingRate, 0), decimal(plainJava, 0), decimal(processingRate / plainJava, 2),
                        decimal(wholeRate / plainJava, 2));
            }
        }
        report.printf("Machine load average (1 min): %.1f before, %.1f after.%n", loadBefore, loadAverage());
    }

    /** The median of {@code runs} whole-process runs; a failed run (reported, NaN) sorts last. */
    private static double medianSeconds(int runs, Path home, List<String> run, Path input, String sink,
            PrintStream report) throws IOException, InterruptedException {
        double[] seconds = new double[runs];
        for (int i = 0; i < runs; i++) {
            seconds[i] = wholeProcessSeconds(home, run, input, sink, report);
        }
        Arrays.sort(seconds);
        return seconds[runs / 2];
    }

    /** {@code value} with {@code places} decimals; "-" for a figure that a failed run left undefined. */
    private static String decimal(double value, int places) {
        return Double.isNaN(value) || Double.isInfinite(value) ? "-" : String.format("%." + places + "f", value);
    }

    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /**
     * {@code ./patterns PATTERN --input DIR --trigger available-now --sink SINK ...} as a child process, its output
     * discarded: the seconds from spawning it to its exit, or NaN (and a line in the report) if it failed.
     */
    private static double wholeProcessSeconds(Path home, List<String> run, Path input, String sink, PrintStream report)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("patterns").toString());
        command.addAll(run);
        command.addAll(List.of("--input", input.toAbsolutePath().toString(), "--trigger", "available-now", "--sink", sink,
                "--parallelism", "2", "--output", "data/benchmark-output/" + run.get(0), "--num-rows", "1",
                "--web-ui-port", System.getProperty("benchmark.port", "8099")));
        Path errors = Files.createTempFile("benchmark-", ".err");
        try {
            long start = System.nanoTime();
            Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(errors.toFile()).start();
            int exit = process.waitFor();
            double seconds = (System.nanoTime() - start) / 1e9;
            if (exit != 0) {
                report.println(String.join(" ", run) + " --sink " + sink + " failed with exit code " + exit
                        + lastLine(Files.readString(errors)));
                return Double.NaN;
            }
            return seconds;
        } finally {
            Files.deleteIfExists(errors);
        }
    }

    /**
     * The plain-Java program ({@code benchmarks/.../PlainJavaBaseline}) over {@code input}, in a JVM of its own with a
     * pattern's heap: the rows/s it prints, or NaN (and a line in the report) if it failed.
     */
    private static double plainJavaRowsPerSecond(Path home, String pattern, Path input, PrintStream report)
            throws IOException, InterruptedException {
        Path jar;
        try (Stream<Path> jars = Files.list(home.resolve("benchmarks/target"))) {
            jar = jars.filter(p -> p.getFileName().toString().matches("benchmarks-[^/]*\\.jar")).findFirst().orElseThrow(
                    () -> new IllegalStateException("no benchmarks jar in benchmarks/target: build the project"));
        }
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                PATTERN_HEAP, "-cp", jar.toString(), "dev.flinkpatterns.benchmarks.PlainJavaBaseline", pattern,
                input.toAbsolutePath().toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Matcher rate = PLAIN_JAVA_RATE.matcher(output);
        int exit = process.waitFor();
        if (exit != 0 || !rate.find()) {
            report.println("the plain-Java " + pattern + " failed with exit code " + exit + lastLine(output));
            return Double.NaN;
        }
        return Double.parseDouble(rate.group(1));
    }

    private static String lastLine(String output) {
        List<String> lines = output.lines().filter(line -> !line.isBlank()).toList();
        return lines.isEmpty() ? "" : ": " + lines.get(lines.size() - 1);
    }

    /** {@code files} of {@code rowsPerFile} events one millisecond apart, 1,000 users; written once, reused later. */
    static void generateIfMissing(Path dir, int files, int rowsPerFile, PrintStream report)
            throws IOException, InterruptedException {
        if (Files.isDirectory(dir)) {
            try (Stream<Path> existing = Files.list(dir)) {
                if (existing.filter(p -> p.getFileName().toString().endsWith(".csv")).count() == files) {
                    return;
                }
            }
            throw new IllegalStateException(dir + " holds other data: remove it or name another directory");
        }
        report.println("Writing " + files + " x " + rowsPerFile + " rows to " + dir + " ...");
        GeneratorSettings settings = new GeneratorSettings(dir, files, rowsPerFile,
                Duration.ofMillis(rowsPerFile), 42, LocalDateTime.parse("2024-01-15T00:00:00"), 0);
        new BatchFileGenerator(settings, new EventCsvRows(1000), pause -> {}, LocalDateTime::now)
                .run((file, number, total) -> {});
    }
}
