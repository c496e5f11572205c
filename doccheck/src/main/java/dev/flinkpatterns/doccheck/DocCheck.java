package dev.flinkpatterns.doccheck;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code .ci/check-docs [--lanes N] [PAGE|DIR ...]}: runs every {@code ```bash} block of the docs, page by page, and
 * compares its output with the {@code ```text} block that follows it. Exit status 1 when a block fails. Pages run in
 * N concurrent lanes ({@link Lane}: a directory that looks like the repository root, with its own {@code data/},
 * {@code log/} and web UI port); two pages that share a fixed port or the Flink cluster ({@link PageResources}) never
 * run at the same time ({@link PageScheduler}). Each page starts from an empty {@code data/}; at its end, its
 * background commands and whatever its commands left running are killed, and the Kafka broker and Flink cluster it
 * started are stopped. A page's lines are printed together when it ends.
 */
public final class DocCheck {

    static final String LANES_VARIABLE = "CHECK_DOCS_LANES";
    static final int DEFAULT_LANES = 6;
    private static final String USAGE = "usage: check-docs [--list] [--lanes N] [PAGE|DIR ...]";
    private static final Duration WAIT_FOR_LIMIT = Duration.ofSeconds(60);
    private static final Duration KILL_GRACE = Duration.ofSeconds(60); // a loaded machine stops a job slowly
    /** How long setsid may take to give a started command its own process group. */
    private static final Duration GROUP_START_LIMIT = Duration.ofSeconds(10);
    private static final int DEFAULT_WEB_UI_PORT = PageResources.DEFAULT_WEB_UI_PORT;

    private final Path root;
    private final Path repoRoot;
    private final Path reportDir;
    private final PrintStream out;
    private final Integer webUiPort;
    private final String laneLabel;
    private int passed;
    private int skipped;
    private final List<String> failures = new ArrayList<>();
    private final List<String> skips = new ArrayList<>();
    private final List<String> flaky = new ArrayList<>();
    private final Set<Long> startedGroups = new HashSet<>();

    /** Runs pages in {@code root} itself, with the session's web UI port (as before lanes; the tests). */
    DocCheck(Path root, Path reportDir, PrintStream out) {
        this(root, root, reportDir, out, null, "");
    }

    /** Runs pages in {@code lane}'s directory, with its web UI port; names pages and reports relative to {@code repoRoot}. */
    DocCheck(Lane lane, Path repoRoot, Path reportDir, PrintStream out) {
        this(lane.dir(), repoRoot, reportDir, out, lane.webUiPort(), ", lane " + lane.number());
    }

    private DocCheck(Path root, Path repoRoot, Path reportDir, PrintStream out, Integer webUiPort, String laneLabel) {
        this.root = root;
        this.repoRoot = repoRoot;
        this.reportDir = reportDir;
        this.out = out;
        this.webUiPort = webUiPort;
        this.laneLabel = laneLabel;
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of("").toAbsolutePath();
        List<Path> pages = new ArrayList<>();
        boolean list = false;
        int lanes;
        List<List<DocCommand>> parsed = new ArrayList<>();
        try {
            lanes = lanes(System.getenv(LANES_VARIABLE), LANES_VARIABLE);
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--list")) {
                    list = true;
                } else if (arg.equals("--lanes") || arg.startsWith("--lanes=")) {
                    lanes = lanes(arg.contains("=") ? arg.substring(8) : i + 1 < args.length ? args[++i] : "", "--lanes");
                } else if (arg.startsWith("-")) {
                    throw new IllegalArgumentException("unknown option " + arg + " (" + USAGE + ")");
                } else {
                    pages.addAll(markdownPages(root.resolve(arg)));
                }
            }
            if (pages.isEmpty()) {
                pages.add(root.resolve("README.md"));
                pages.addAll(markdownPages(root.resolve("docs")));
            }
            for (Path page : pages.stream().distinct().toList()) {
                parsed.add(DocPages.read(page, root));
            }
        } catch (IllegalArgumentException e) {
            System.err.println("check-docs: " + e.getMessage());
            System.exit(2);
            return;
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
        long start = System.nanoTime();
        List<DocCheck> checks = runInLanes(root, parsed, lanes, System.out);
        System.exit(summary(System.out, checks, Duration.ofNanos(System.nanoTime() - start), lanes) ? 0 : 1);
    }

    /** A number of lanes from 1 to 16. */
    static int lanes(String value, String name) {
        if (value == null || value.isBlank()) {
            return DEFAULT_LANES;
        }
        try {
            int lanes = Integer.parseInt(value.strip());
            if (lanes >= 1 && lanes <= 16) {
                return lanes;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " takes a number of lanes from 1 to 16, not '" + value + "' (" + USAGE + ")");
    }

    /**
     * Runs the pages in {@code laneCount} lanes under {@code repoRoot/target/doc-check/lanes}, each page's lines printed
     * to {@code out} at once when it ends; returns each page's check, in the order of {@code pages}.
     */
    static List<DocCheck> runInLanes(Path repoRoot, List<List<DocCommand>> pages, int laneCount, PrintStream out)
            throws IOException, InterruptedException {
        List<PageScheduler.Page<Integer>> plans = new ArrayList<>();
        Set<Integer> pagePorts = new HashSet<>();
        for (int i = 0; i < pages.size(); i++) {
            PageResources resources = PageResources.of(pages.get(i));
            plans.add(new PageScheduler.Page<>(i, resources));
            pagePorts.addAll(resources.ports());
        }
        String sessionPort = System.getenv("PATTERNS_WEB_UI_PORT");
        int basePort = sessionPort == null || sessionPort.isBlank() ? DEFAULT_WEB_UI_PORT : Integer.parseInt(sessionPort.strip());
        List<Lane> lanes = Lane.create(repoRoot, laneCount, basePort, pagePorts);
        PageScheduler<Integer> scheduler = new PageScheduler<>(plans);
        DocCheck[] checks = new DocCheck[pages.size()];
        List<Thread> threads = new ArrayList<>();
        for (Lane lane : lanes) {
            Thread thread = new Thread(() -> runLane(lane, scheduler, repoRoot, pages, checks, out), "lane-" + lane.number());
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        for (int i = 0; i < checks.length; i++) {
            if (checks[i] == null) { // its lane was interrupted
                checks[i] = new DocCheck(repoRoot, repoRoot.resolve("target/doc-check"), out);
                checks[i].failures.add(pageName(repoRoot, pages.get(i)) + ": not run");
            }
        }
        return List.of(checks);
    }

    /** One lane: takes pages until none is left; a page's lines go to {@code out} together when it ends. */
    private static void runLane(Lane lane, PageScheduler<Integer> scheduler, Path repoRoot, List<List<DocCommand>> pages,
            DocCheck[] checks, PrintStream out) {
        try {
            for (var page = scheduler.take(lane.number()); page.isPresent(); page = scheduler.take(lane.number())) {
                int index = page.get().page();
                ByteArrayOutputStream lines = new ByteArrayOutputStream();
                DocCheck check = new DocCheck(lane, repoRoot, repoRoot.resolve("target/doc-check"),
                        new PrintStream(lines, true, StandardCharsets.UTF_8));
                try {
                    check.runPageWithRetry(pages.get(index));
                } catch (IOException | RuntimeException e) {
                    check.failures.add(pageName(repoRoot, pages.get(index)) + ": check-docs failed: " + e);
                    check.out.println("  FAIL " + e);
                } finally {
                    synchronized (out) {
                        out.print(lines.toString(StandardCharsets.UTF_8));
                        out.flush();
                    }
                    checks[index] = check;
                    scheduler.finish(page.get());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String pageName(Path repoRoot, List<DocCommand> commands) {
        return commands.isEmpty() ? "(a page without commands)" : repoRoot.relativize(commands.get(0).page().toAbsolutePath()).toString();
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
        Path page = repoRoot.relativize(commands.get(0).page().toAbsolutePath());
        out.println("== " + page + " (" + commands.size() + " commands" + laneLabel + ")");
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
            killLeftovers(); // after the stops above: a broker or cluster lives in the group of the command that started it
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
        startedGroups.add(process.pid());
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
     * The output as the page shows it: a lane or a session that moved the web UI off 8081 (PATTERNS_WEB_UI_PORT, so
     * that several checks can run at once) prints its own port where the page has the default one.
     */
    private List<String> realOutput(Path output) throws IOException {
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
        OptionalInt port = webUiPort();
        if (port.isEmpty() || port.getAsInt() == DEFAULT_WEB_UI_PORT) {
            return lines;
        }
        Pattern moved = Pattern.compile("localhost:" + port.getAsInt() + "(?!\\d)");
        return lines.stream().map(l -> moved.matcher(l).replaceAll("localhost:" + DEFAULT_WEB_UI_PORT)).toList();
    }

    /** The lane's port, else the session's PATTERNS_WEB_UI_PORT. */
    private OptionalInt webUiPort() {
        if (webUiPort != null) {
            return OptionalInt.of(webUiPort);
        }
        String port = System.getenv("PATTERNS_WEB_UI_PORT");
        return port == null || port.isBlank() ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(port.strip()));
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
                + repoRoot.relativize(output) + "):");
        for (String line : lines.subList(from, lines.size())) {
            out.println("       | " + line);
        }
    }

    private Process start(String script, Path output) throws IOException, InterruptedException {
        // Its own process group, so that a timeout kills the whole pipeline (timeout, java, tee...). Ctrl+C as in a
        // terminal: a check started in the background (&, nohup) inherits SIGINT ignored, and so would every command.
        Process process = environment(new ProcessBuilder("setsid", "env", "--default-signal=INT", "bash", "-c",
                "set -eo pipefail\n" + script))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        awaitOwnGroup(process);
        return process;
    }

    /**
     * Until setsid has made the process the leader of its group: a signal to the group sent before (a Ctrl+C one
     * second in, on a loaded machine) would reach nobody.
     */
    private static void awaitOwnGroup(Process process) throws IOException, InterruptedException {
        Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
        long deadline = System.nanoTime() + GROUP_START_LIMIT.toNanos();
        while (process.isAlive() && System.nanoTime() < deadline) {
            try {
                // pid (comm) state ppid pgrp ...: comm may hold spaces, so count from its closing parenthesis.
                String fields = Files.readString(stat);
                String[] afterName = fields.substring(fields.lastIndexOf(')') + 2).split(" ");
                if (Long.parseLong(afterName[2]) == process.pid()) {
                    return;
                }
            } catch (java.nio.file.NoSuchFileException ended) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
    }

    /** In the lane's directory, with its web UI port. */
    private ProcessBuilder environment(ProcessBuilder builder) {
        builder.directory(root.toFile()).environment().put("PWD", root.toString());
        if (webUiPort != null) {
            builder.environment().put("PATTERNS_WEB_UI_PORT", Integer.toString(webUiPort));
        }
        return builder;
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
        Process process = environment(new ProcessBuilder("bash", "-c", command))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /**
     * What a page's commands left running after they ended (a server started with {@code &}): the members of their
     * process groups. A group whose leader's pid is alive again is another process's and is left alone.
     */
    private void killLeftovers() throws IOException {
        Path proc = Path.of("/proc");
        if (startedGroups.isEmpty() || !Files.isDirectory(proc)) {
            return;
        }
        Set<Long> ended = new HashSet<>();
        startedGroups.stream().filter(group -> ProcessHandle.of(group).isEmpty()).forEach(ended::add);
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(proc, "[0-9]*")) {
            for (Path process : processes) {
                if (ended.contains(processGroup(process))) {
                    ProcessHandle.of(Long.parseLong(process.getFileName().toString())).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
        startedGroups.clear();
    }

    /** The process group of /proc/PID: the third field after the command name in its stat. */
    private static long processGroup(Path process) {
        try {
            String stat = Files.readString(process.resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[2]);
        } catch (IOException | RuntimeException e) {
            return -1; // ended meanwhile
        }
    }

    boolean summary(Duration took) {
        return summary(out, List.of(this), took, 1);
    }

    /** The summary of the checks of every page; true when no command failed. */
    static boolean summary(PrintStream out, List<DocCheck> checks, Duration took, int lanes) {
        int passed = 0;
        int skipped = 0;
        List<String> failures = new ArrayList<>();
        List<String> flaky = new ArrayList<>();
        out.println();
        for (DocCheck check : checks) {
            passed += check.passed;
            skipped += check.skipped;
            failures.addAll(check.failures);
            flaky.addAll(check.flaky);
            for (String skip : check.skips) {
                out.println("skipped " + skip);
            }
        }
        for (String first : flaky) {
            out.println("FLAKY   " + first + " (failed, then passed when the page ran again)");
        }
        for (String failure : failures) {
            out.println("FAILED  " + failure);
        }
        out.printf("check-docs: %d commands passed, %d failed, %d skipped, %d flaky page(s), in %d min %d s (wall time, %d lane%s)%n",
                passed, failures.size(), skipped, flaky.size(), took.toMinutes(), took.toSecondsPart(), lanes, lanes == 1 ? "" : "s");
        return failures.isEmpty();
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        // A process still ending may delete files of its own meanwhile: walked again then.
        for (int attempt = 1; ; attempt++) {
            try (Stream<Path> files = Files.walk(path)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
                return;
            } catch (UncheckedIOException | DirectoryNotEmptyException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }
}
