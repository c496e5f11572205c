package dev.flinkpatterns.doccheck;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code .ci/check-docs [PAGE|DIR ...]}: runs every {@code ```bash} block of the docs, page by page, in the repository
 * root, and compares its output with the {@code ```text} block that follows it. Exit status 1 when a block fails.
 * Each page starts from an empty {@code data/}; at its end, its background commands are killed and the Kafka broker
 * and Flink cluster it started are stopped.
 */
public final class DocCheck {

    private static final Duration WAIT_FOR_LIMIT = Duration.ofSeconds(60);
    private static final Duration KILL_GRACE = Duration.ofSeconds(60); // a loaded machine stops a job slowly
    private static final int DEFAULT_WEB_UI_PORT = 8081;

    private final Path root;
    private final Path reportDir;
    private final PrintStream out;
    private int passed;
    private int skipped;
    private final List<String> failures = new ArrayList<>();
    private final List<String> skips = new ArrayList<>();
    private final List<String> flaky = new ArrayList<>();

    DocCheck(Path root, Path reportDir, PrintStream out) {
        this.root = root;
        this.reportDir = reportDir;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of("").toAbsolutePath();
        List<Path> pages = new ArrayList<>();
        boolean list = false;
        List<List<DocCommand>> parsed = new ArrayList<>();
        try {
            for (String arg : args) {
                if (arg.equals("--list")) {
                    list = true;
                } else if (arg.startsWith("-")) {
                    throw new IllegalArgumentException("unknown option " + arg + " (usage: check-docs [--list] [PAGE|DIR ...])");
                } else {
                    pages.addAll(markdownPages(root.resolve(arg)));
                }
            }
            if (pages.isEmpty()) {
                pages.add(root.resolve("README.md"));
                pages.addAll(markdownPages(root.resolve("docs")));
            }
            for (Path page : pages) {
                parsed.add(DocPages.read(page, root));
            }
        } catch (IllegalArgumentException e) {
            System.err.println("check-docs: " + e.getMessage());
            System.exit(2);
        }
        if (list) {
            for (List<DocCommand> commands : parsed) {
                for (DocCommand command : commands) {
                    System.out.println(root.relativize(command.page().toAbsolutePath()) + ":" + command.line() + "  "
                            + command.script().lines().findFirst().orElse(""));
                }
            }
            return;
        }
        DocCheck check = new DocCheck(root, root.resolve("target/doc-check"), System.out);
        long start = System.nanoTime();
        for (List<DocCommand> commands : parsed) {
            check.runPageWithRetry(commands);
        }
        System.exit(check.summary(Duration.ofNanos(System.nanoTime() - start)) ? 0 : 1);
    }

    static List<Path> markdownPages(Path path) throws IOException {
        if (Files.isRegularFile(path)) {
            return List.of(path);
        }
        if (!Files.isDirectory(path)) {
            throw new IllegalArgumentException("no such page or directory: " + path);
        }
        try (Stream<Path> files = Files.walk(path)) {
            return files.filter(p -> p.toString().endsWith(".md")).sorted().toList();
        }
    }

    /**
     * A page that fails runs once more from the start: on a busy machine a timing can miss once. A page that
     * passes the second time counts as passed and is reported as flaky, with the commands that failed first.
     */
    void runPageWithRetry(List<DocCommand> commands) throws IOException, InterruptedException {
        int passedBefore = passed;
        int skippedBefore = skipped;
        int failuresBefore = failures.size();
        int skipsBefore = skips.size();
        runPage(commands);
        if (failures.size() == failuresBefore) {
            return;
        }
        List<String> firstFailures = new ArrayList<>(failures.subList(failuresBefore, failures.size()));
        out.println("   the page failed; running it once more");
        passed = passedBefore;
        skipped = skippedBefore;
        failures.subList(failuresBefore, failures.size()).clear();
        skips.subList(skipsBefore, skips.size()).clear();
        runPage(commands);
        if (failures.size() == failuresBefore) {
            flaky.add(String.join(", ", firstFailures));
        }
    }

    void runPage(List<DocCommand> commands) throws IOException, InterruptedException {
        if (commands.isEmpty()) {
            return;
        }
        Path page = root.relativize(commands.get(0).page().toAbsolutePath());
        out.println("== " + page + " (" + commands.size() + " commands)");
        deleteRecursively(root.resolve("data"));
        List<Process> background = new ArrayList<>();
        try {
            for (DocCommand command : commands) {
                run(page, command, background);
            }
        } finally {
            for (Process process : background) {
                killGroup(process);
            }
            String all = String.join("\n", commands.stream().map(DocCommand::script).toList());
            if (all.contains("kafka start")) {
                quietly("./patterns kafka stop");
            }
            if (all.contains("cluster start")) {
                quietly("./patterns cluster stop");
            }
        }
    }

    private void run(Path page, DocCommand command, List<Process> background) throws IOException, InterruptedException {
        String where = page + ":" + command.line();
        DocCommand.Checks checks = command.checks();
        if (checks.skipReason() != null) {
            skipped++;
            skips.add(where + ": " + checks.skipReason());
            out.println("  skip " + where + " (" + checks.skipReason() + ")");
            return;
        }
        Files.createDirectories(reportDir);
        Path output = reportDir.resolve(page.toString().replace('/', '_') + "-" + command.line() + ".out");
        long start = System.nanoTime();
        Process process = start(command.script(), output);
        if (checks.background()) {
            background.add(process);
            Optional<String> problem = checks.waitFor() == null ? Optional.empty() : awaitOutput(process, output, checks.waitFor());
            report(where, command, problem, start, output);
            return;
        }
        Optional<String> problem;
        boolean stopped = false;
        if (checks.stopAfter() != null && !process.waitFor(checks.stopAfter().toSeconds(), TimeUnit.SECONDS)) {
            // What a reader does after watching for a while: Ctrl+C. Its exit status is then Ctrl+C's.
            signal("INT", process.pid());
            stopped = true;
        }
        if (!process.waitFor(stopped ? KILL_GRACE.toSeconds() : checks.timeout().toSeconds(), TimeUnit.SECONDS)) {
            killGroup(process);
            problem = Optional.of(stopped ? "did not end within " + KILL_GRACE.toSeconds() + " s of Ctrl+C"
                    : "timed out after " + checks.timeout().toSeconds() + " s");
        } else if (!stopped && process.exitValue() != checks.exitStatus()) {
            problem = Optional.of("exit status " + process.exitValue() + ", expected " + checks.exitStatus());
        } else if (checks.comparesOutput() && command.expectedOutput() != null) {
            problem = OutputMatch.mismatch(command.expectedOutput(), realOutput(output), checks.ignore(), checks.unordered());
        } else {
            problem = Optional.empty();
        }
        report(where, command, problem, start, output);
    }

    /**
     * The output as the page shows it: a session that moved the web UI off 8081 (PATTERNS_WEB_UI_PORT, so that
     * several checks can run at once) prints its own port where the page has the default one.
     */
    private static List<String> realOutput(Path output) throws IOException {
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
        String port = System.getenv("PATTERNS_WEB_UI_PORT");
        if (port == null || port.isBlank()) {
            return lines;
        }
        return lines.stream().map(l -> l.replace("localhost:" + port.strip(), "localhost:" + DEFAULT_WEB_UI_PORT)).toList();
    }

    private void report(String where, DocCommand command, Optional<String> problem, long start, Path output)
            throws IOException {
        String took = String.format("%.1f s", (System.nanoTime() - start) / 1e9);
        String first = command.script().lines().findFirst().orElse("");
        if (problem.isEmpty()) {
            passed++;
            out.println("  ok   " + where + " (" + took + ")  " + first);
            return;
        }
        failures.add(where);
        out.println("  FAIL " + where + " (" + took + ")  " + first);
        out.println("       " + problem.get().replace("\n", "\n       "));
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
        int from = Math.max(0, lines.size() - 40);
        out.println("       output (" + lines.size() + " lines" + (from > 0 ? ", the last 40" : "") + "; all in "
                + root.relativize(output) + "):");
        for (String line : lines.subList(from, lines.size())) {
            out.println("       | " + line);
        }
    }

    private Process start(String script, Path output) throws IOException {
        // Its own process group, so that a timeout kills the whole pipeline (timeout, java, tee...).
        return new ProcessBuilder("setsid", "bash", "-c", "set -eo pipefail\n" + script)
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
    }

    private Optional<String> awaitOutput(Process process, Path output, String regex) throws IOException, InterruptedException {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + WAIT_FOR_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.readAllLines(output, StandardCharsets.UTF_8).stream().anyMatch(l -> pattern.matcher(l).find())) {
                return Optional.empty();
            }
            if (!process.isAlive()) {
                return Optional.of("ended (exit status " + process.exitValue() + ") before its output matched " + regex);
            }
            process.waitFor(200, TimeUnit.MILLISECONDS);
        }
        return Optional.of("its output did not match " + regex + " within " + WAIT_FOR_LIMIT.toSeconds() + " s");
    }

    private static void killGroup(Process process) throws IOException, InterruptedException {
        signal("TERM", process.pid());
        if (!process.waitFor(KILL_GRACE.toSeconds(), TimeUnit.SECONDS)) {
            signal("KILL", process.pid());
            process.waitFor(KILL_GRACE.toSeconds(), TimeUnit.SECONDS);
        }
        // The group's other members (a JVM under timeout, a tee) may outlive the shell.
        signal("KILL", process.pid());
    }

    private static void signal(String name, long group) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + name, "--", "-" + group)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }

    private void quietly(String command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("bash", "-c", command).directory(root.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    boolean summary(Duration took) {
        out.println();
        for (String skip : skips) {
            out.println("skipped " + skip);
        }
        for (String first : flaky) {
            out.println("FLAKY   " + first + " (failed, then passed when the page ran again)");
        }
        for (String failure : failures) {
            out.println("FAILED  " + failure);
        }
        out.printf("check-docs: %d commands passed, %d failed, %d skipped, %d flaky page(s), in %d min %d s%n",
                passed, failures.size(), skipped, flaky.size(), took.toMinutes(), took.toSecondsPart());
        return failures.isEmpty();
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
