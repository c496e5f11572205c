package dev.flinkpatterns.runtime;

import dev.flinkpatterns.cli.PatternsCli;
import dev.flinkpatterns.generator.BatchFileGenerator;
import dev.flinkpatterns.generator.EventCsvRows;
import dev.flinkpatterns.generator.GeneratorSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Rows per second of csv-agg, window-agg and dedup on the embedded runtime, through the same CLI a user runs:
 * {@code --trigger available-now}, parallelism 2, RocksDB with incremental checkpoints (conf/config.yaml).
 * Prints its figures; it is not a test. Usage: {@code Benchmark} (throughput and latency, one report),
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
        System.exit(0); // MiniCluster threads must not keep the JVM alive
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

    /** {@code [dir] [files] [rowsPerFile] [sinks]}: rows/s of csv-agg, window-agg and dedup. */
    static void throughput(String[] args, PrintStream report) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "data/benchmark");
        int files = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int rowsPerFile = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        long rows = (long) files * rowsPerFile;
        generateIfMissing(dir, files, rowsPerFile, report);
        Path confDir = Path.of(System.getProperty("patterns.conf.dir", "conf"));
        String input = dir.toAbsolutePath().toString();
        List<List<String>> runs = List.of(
                List.of("csv-agg"),
                List.of("window-agg", "--window", "1m", "--watermark", "10s", "--group-by", "event", "--distinct", "none"),
                List.of("dedup", "--key", "timestamp,user_id,event", "--watermark", "10s"));
        List<String> sinks = List.of(args.length > 3 ? args[3].split(",") : new String[] {"noop", "console"});
        // One unreported run first: class loading and JIT compilation are not what is measured.
        runQuietly(runs.get(0), input, "noop", confDir);
        report.printf("%-12s %-8s %12s %10s %14s%n", "pattern", "sink", "rows", "seconds", "rows/s");
        for (List<String> run : runs) {
            for (String sink : sinks) {
                long start = System.nanoTime();
                int exit = runQuietly(run, input, sink, confDir);
                double seconds = (System.nanoTime() - start) / 1e9;
                if (exit != 0) {
                    report.println(run.get(0) + " --sink " + sink + " failed with exit code " + exit);
                    continue;
                }
                report.printf("%-12s %-8s %12d %10.1f %14.0f%n", run.get(0), sink, rows, seconds, rows / seconds);
            }
        }
    }

    /** Runs a pattern through the CLI with its console output discarded; returns the exit code. */
    private static int runQuietly(List<String> run, String input, String sink, Path confDir) throws Exception {
        String[] cli = Stream.concat(run.stream(), Stream.of("--input", input, "--trigger", "available-now", "--sink", sink,
                "--parallelism", "2", "--output", "data/benchmark-output/" + run.get(0), "--num-rows", "1",
                "--web-ui-port", System.getProperty("benchmark.port", "8099"))).toArray(String[]::new);
        PrintStream report = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream())); // results are not the point here
        EmbeddedRuntime runtime = new EmbeddedRuntime(confDir);
        try {
            return PatternsCli.run(cli, runtime, System.out, System.err);
        } finally {
            System.setOut(report);
            runtime.removeWorkingDirectory();
        }
    }

    /** 100 files of 100,000 events one millisecond apart, 1,000 users; written once, reused by later runs. */
    private static void generateIfMissing(Path dir, int files, int rowsPerFile, PrintStream report)
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
