package dev.flinkpatterns.parity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Flink side, as a user runs it: {@code ./patterns ARGS} from the repository's root (paths relative to it), in
 * JVMs of its own, so that Spark's class path and Flink's never meet.
 */
final class Patterns {

    /** The repository's root: the parent of this module. */
    static final Path ROOT = Path.of("").toAbsolutePath().getFileName().toString().equals("parity")
            ? Path.of("").toAbsolutePath().getParent() : Path.of("").toAbsolutePath();

    /** The web UI port of the suite's runs (and of the resident runtime they share). */
    static final String WEB_UI_PORT = "18190";

    /** What a run printed, and how it ended. */
    record Run(int exitCode, String out, String err) {}

    private Patterns() {}

    /** {@code ./patterns args}; fails unless it ends with exit code 0. */
    static Run run(String... args) {
        Run run = attempt(args);
        if (run.exitCode() != 0) {
            throw new AssertionError("./patterns " + String.join(" ", args) + " ended with " + run.exitCode()
                    + "\n" + run.out() + run.err());
        }
        return run;
    }

    /** {@code ./patterns args}, whatever its exit code. */
    static Run attempt(String... args) {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("patterns").toString()));
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("patterns-out", ".txt");
            Path err = Files.createTempFile("patterns-err", ".txt");
            ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            // Off Flink's default 8081, which a user's own cluster or a docs check may hold.
            builder.environment().putIfAbsent("PATTERNS_WEB_UI_PORT", WEB_UI_PORT);
            Process process = builder.start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("./patterns " + String.join(" ", args) + " did not end in 5 minutes");
            }
            Run run = new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.delete(out);
            Files.delete(err);
            return run;
        } catch (IOException e) {
            throw new AssertionError("cannot run ./patterns", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * {@code ./patterns generate KIND --out DIR} of {@code files} files of {@code rows} rows, written at once, the
     * event time of each file {@code timePerFile} after the previous one's; fixed seed and start time; a share
     * {@code malformedFraction} of malformed lines.
     */
    static void generateFiles(String kind, String directory, int files, int rows, String timePerFile, int seed,
            String startTime, String malformedFraction) {
        run("generate", kind, "--out", directory, "--files", String.valueOf(files), "--rows", String.valueOf(rows),
                "--interval", "0s", "--time-per-file", timePerFile, "--seed", String.valueOf(seed), "--start-time",
                startTime, "--malformed-fraction", malformedFraction);
    }

    /**
     * Six files of 40 event rows of {@code users} users under {@code data/parity/NAME}, 20 s of event time each (from
     * 2025-07-15 10:00), a fifth of the rows 50 s late: what Spark's micro-batch watermark and Flink's differ on.
     */
    static String lateEventFiles(String name, int users, int seed) {
        String input = freshDirectory(name);
        run("generate", "csv", "--out", input, "--files", "6", "--rows", "40", "--interval", "50ms",
                "--time-per-file", "20s", "--users", String.valueOf(users), "--seed", String.valueOf(seed),
                "--start-time", "2025-07-15T10:00:00", "--late-fraction", "0.2", "--late-by", "50s");
        return input;
    }

    /**
     * Six files of 20 event rows of 40 users under {@code data/parity/NAME}, 20 s of event time each (from
     * 2025-07-15 10:00): a user's rows are about 40 s apart, so many users go quiet for a 30 s gap. Rows up to 8 s out
     * of order, a tenth 60 s late (late by W_{N-2} from batch 2 on), a tenth malformed (Flink's dead letters).
     */
    static String userActivityFiles(String name, int seed) {
        String input = freshDirectory(name);
        run("generate", "csv", "--out", input, "--files", "6", "--rows", "20", "--interval", "50ms",
                "--time-per-file", "20s", "--users", "40", "--seed", String.valueOf(seed), "--start-time",
                "2025-07-15T10:00:00", "--disorder", "8s", "--late-fraction", "0.1", "--late-by", "60s",
                "--malformed-fraction", "0.1");
        return input;
    }

    /** A directory of the suite's own under {@code data/parity} (relative to the root), empty. */
    static String freshDirectory(String name) {
        Path directory = ROOT.resolve("data/parity").resolve(name);
        try {
            if (Files.exists(directory)) {
                try (var paths = Files.walk(directory)) {
                    paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new AssertionError("cannot prepare " + directory, e);
        }
        return "data/parity/" + name;
    }
}
