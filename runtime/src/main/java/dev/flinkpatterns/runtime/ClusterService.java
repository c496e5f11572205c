package dev.flinkpatterns.runtime;

import dev.flinkpatterns.core.DisplayPath;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;

/**
 * {@code ./patterns cluster start [--taskmanagers N] | add-taskmanager | stop | status} and {@code ./patterns submit <pattern> ...}:
 * a Flink standalone session cluster (a JobManager and N TaskManagers, each its own JVM) from the Flink jars on
 * Maven Central, configured by {@code conf/config.yaml}, and {@code flink run -d} of the jobs jar against it. What
 * {@code bin/start-cluster.sh} and {@code bin/flink} of a Flink distribution do, without the distribution.
 */
public final class ClusterService {

    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_NOT_RUNNING = 3;

    static final String USAGE = "usage: ./patterns cluster start|add-taskmanager|stop|status [--taskmanagers N] [--web-ui-port N] [--rpc-port N]";
    static final String JOBS_JAR = "jobs/target/flink-streaming-patterns.jar";
    static final String CLASSPATH = "cluster/target/classpath.txt";

    /** The file of the JVM flags flink-dist gives Flink on Java 17, in the conf directory (./patterns reads it too). */
    static final String JAVA_17_FLAGS_FILE = "java17.flags";

    private static final String TASK_MANAGER_CLASS = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
    private static final String JOB_MANAGER_CLASS = "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    private static final String RESOURCE_PARAMS_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";
    private static final String PORTS_FILE = "flink-cluster.properties";

    /**
     * Where things are: {@code home} the project's root (the jobs jar, the cluster classpath), {@code confDir} the
     * directory of config.yaml and log4j.properties, {@code logDir} the logs and pid files.
     */
    record Layout(Path home, Path confDir, Path logDir) {

        static Layout fromSystemProperties() {
            Path home = Path.of(System.getProperty("patterns.home", "."));
            return new Layout(home, Path.of(System.getProperty("patterns.conf.dir", home.resolve("conf").toString())),
                    Path.of(System.getProperty("patterns.log.dir", home.resolve("log").toString())));
        }

        Path jobsJar() {
            return home.resolve(JOBS_JAR);
        }

        Path log(String process) {
            // log/flink-jobmanager.log, as the user would type it
            return Path.of(DisplayPath.of(logDir.resolve("flink-" + process + ".log")));
        }
    }

    private final Layout layout;
    private final PrintStream out;
    private final PrintStream err;
    private final Duration startTimeout;
    private final RestJson rest = new RestJson();

    ClusterService(Layout layout, PrintStream out, PrintStream err, Duration startTimeout) {
        this.layout = layout;
        this.out = out;
        this.err = err;
        this.startTimeout = startTimeout;
    }

    public static void main(String[] args) throws Exception {
        ClusterService service = new ClusterService(Layout.fromSystemProperties(), System.out, System.err, Duration.ofSeconds(120));
        int exitCode;
        try {
            exitCode = service.run(args);
        } catch (IOException e) {
            System.err.println("patterns " + (args.length > 0 && args[0].equals("submit") ? "submit" : "cluster") + ": " + e.getMessage());
            exitCode = EXIT_FAILED;
        }
        System.exit(exitCode);
    }

    int run(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("submit")) {
            return submit(Arrays.asList(args).subList(1, args.length));
        }
        String command = null;
        int taskManagers = 1;
        Integer restPort = null;
        Integer rpcPort = null;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--taskmanagers" -> { taskManagers = positive(value, 64); i++; }
                case "--web-ui-port" -> { restPort = positive(value, 65535); i++; }
                case "--rpc-port" -> { rpcPort = positive(value, 65535); i++; }
                case "start", "add-taskmanager", "stop", "status" -> command = command == null ? args[i] : "twice";
                default -> command = "unknown:" + args[i];
            }
        }
        boolean badNumber = taskManagers < 1 || (restPort != null && restPort < 1) || (rpcPort != null && rpcPort < 1);
        if (command == null || command.startsWith("unknown:") || command.equals("twice") || badNumber) {
            err.println("patterns cluster: " + USAGE
                    + (command != null && command.startsWith("unknown:") ? " (unknown '" + command.substring(8) + "')" : ""));
            return EXIT_USAGE;
        }
        return switch (command) {
            case "start" -> start(taskManagers, restPort, rpcPort);
            case "add-taskmanager" -> addTaskManager();
            case "stop" -> stop();
            default -> status();
        };
    }

    private static int positive(String text, int max) {
        try {
            int number = Integer.parseInt(text);
            return number >= 1 && number <= max ? number : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    // ---------------------------------------------------------------- start

    /** The flags of {@link #JAVA_17_FLAGS_FILE}: one a line, {@code #} comments. */
    static List<String> java17Flags(Path confDir) throws IOException {
        return Files.readAllLines(confDir.resolve(JAVA_17_FLAGS_FILE)).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    /** PATTERNS_WEB_UI_PORT: the port a session's local runs and monitoring commands use (as in StreamingOptions). */
    private static OptionalInt sessionWebUiPort() {
        String port = System.getenv("PATTERNS_WEB_UI_PORT");
        return port == null || port.isBlank() ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(port.strip()));
    }

    int start(int taskManagers, Integer restPortOption, Integer rpcPortOption) throws IOException, InterruptedException {
        Optional<ProcessHandle> jobManager = jobManager().running();
        if (jobManager.isPresent()) {
            out.println("Flink cluster already running (JobManager pid " + jobManager.get().pid() + "): web UI " + webUi()
                    + " (stop it with ./patterns cluster stop)");
            return EXIT_OK;
        }
        String leftovers = stopAll(); // TaskManagers of an earlier cluster whose JobManager died
        if (!leftovers.isEmpty()) {
            out.println("Stopped what was left of an earlier cluster: " + leftovers);
        }
        if (!Files.isRegularFile(layout.confDir().resolve(GlobalConfiguration.FLINK_CONF_FILENAME))) {
            err.println("patterns cluster: no " + GlobalConfiguration.FLINK_CONF_FILENAME + " in " + DisplayPath.of(layout.confDir()));
            return EXIT_USAGE;
        }
        var config = GlobalConfiguration.loadConfiguration(layout.confDir().toString());
        int restPort = restPortOption != null ? restPortOption : sessionWebUiPort().orElse(config.get(RestOptions.PORT));
        int rpcPort = rpcPortOption != null ? rpcPortOption : config.get(JobManagerOptions.PORT);
        for (var port : List.of(Map.entry(restPort, "--web-ui-port"), Map.entry(rpcPort, "--rpc-port"))) {
            if (!free(port.getKey())) {
                err.println("patterns cluster: port " + port.getKey() + " is in use by another program; choose one with "
                        + port.getValue());
                return EXIT_USAGE;
            }
        }
        String classpath = classpath();
        // The ports on the command line of every process, and in a file for status, stop and submit.
        List<String> ports = portOptions(restPort, rpcPort);
        Properties saved = new Properties();
        saved.setProperty(RestOptions.PORT.key(), Integer.toString(restPort));
        saved.setProperty(JobManagerOptions.PORT.key(), Integer.toString(rpcPort));
        Files.createDirectories(layout.logDir());
        try (var writer = Files.newBufferedWriter(layout.logDir().resolve(PORTS_FILE))) {
            saved.store(writer, "./patterns cluster start");
        }

        List<Process> started = new ArrayList<>();
        List<String> names = new ArrayList<>();
        started.add(startProcess(jobManager(), "jobmanager", "GET_JM_RESOURCE_PARAMS",
                JOB_MANAGER_CLASS, classpath, ports));
        names.add("jobmanager");
        for (int i = 0; i < taskManagers; i++) {
            started.add(startTaskManager(i, classpath, ports));
            names.add("taskmanager-" + i);
        }
        String failure = awaitTaskManagers(taskManagers, started, names);
        if (failure != null) {
            stopAll();
            err.println("patterns cluster: " + failure);
            return EXIT_FAILED;
        }
        int slots = rest("/overview").map(overview -> overview.path("slots-total").asInt()).orElse(0);
        out.println("Flink cluster up: JobManager (pid " + started.get(0).pid() + ") and " + plural(taskManagers, "TaskManager")
                + " (pid " + started.stream().skip(1).map(p -> Long.toString(p.pid())).collect(Collectors.joining(", ")) + "), "
                + slots + " task slots");
        out.println("  web UI and REST API: " + webUi());
        String more = taskManagers > 1 ? ", ..." : "";
        out.println("  logs: " + layout.log("jobmanager") + ", " + layout.log("taskmanager-0") + more);
        out.println("  the console sink prints to " + shownOut("taskmanager-0") + more);
        out.println("  submit a pattern with: ./patterns submit <pattern> [options]; stop with: ./patterns cluster stop");
        return EXIT_OK;
    }

    private static List<String> portOptions(int restPort, int rpcPort) {
        return List.of("-D", RestOptions.PORT.key() + "=" + restPort, "-D", JobManagerOptions.PORT.key() + "=" + rpcPort);
    }

    /**
     * The TaskManager's resource id (the web UI's and REST API's name for it) starts with its name, so that a
     * TaskManager listed there is found among the pid files; the start time keeps a restarted one apart from the one
     * it replaces.
     */
    private Process startTaskManager(int index, String classpath, List<String> ports) throws IOException, InterruptedException {
        String name = "taskmanager-" + index;
        List<String> options = new ArrayList<>(ports);
        options.addAll(List.of("-D", TaskManagerOptions.TASK_MANAGER_RESOURCE_ID.key() + "=" + name + "-"
                + Long.toString(System.currentTimeMillis(), 36)));
        return startProcess(taskManager(index), name, "GET_TM_RESOURCE_PARAMS", TASK_MANAGER_CLASS, classpath, options);
    }

    /** The number of the TaskManager a REST API id names (see {@link #startTaskManager}), or -1. */
    static int taskManagerIndex(String resourceId) {
        var name = java.util.regex.Pattern.compile("taskmanager-(\\d+)-[0-9a-z]+").matcher(resourceId);
        return name.matches() ? Integer.parseInt(name.group(1)) : -1;
    }

    // ---------------------------------------------------------------- add-taskmanager

    /**
     * One more TaskManager for the running cluster, under the lowest number without a live process: after a
     * TaskManager died, this restarts it (its pid file and logs are reused); else it adds one. Returns once the
     * JobManager lists a TaskManager it did not list before.
     */
    int addTaskManager() throws IOException, InterruptedException {
        Optional<ProcessHandle> jobManager = jobManager().running();
        if (jobManager.isEmpty() || rest("/overview").isEmpty()) {
            err.println("patterns cluster: no Flink cluster running at " + webUi() + " (start one with ./patterns cluster start)");
            return EXIT_NOT_RUNNING;
        }
        List<String> before = registeredTaskManagerIds();
        int index = 0;
        while (taskManager(index).running().isPresent()) {
            index++;
        }
        String name = "taskmanager-" + index;
        Process started = startTaskManager(index, classpath(), portOptions(restPort(), rpcPort()));
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (registeredTaskManagerIds().stream().allMatch(before::contains)) {
            if (!started.isAlive()) {
                err.println("patterns cluster: the " + name + " stopped during start-up; see " + layout.log(name));
                return EXIT_FAILED;
            }
            if (System.nanoTime() > deadline) {
                err.println("patterns cluster: the " + name + " did not register within " + startTimeout.toSeconds()
                        + " s; see " + layout.log(name));
                return EXIT_FAILED;
            }
            started.waitFor(500, TimeUnit.MILLISECONDS); // polls the REST API while the JVM starts
        }
        int slots = rest("/overview").map(overview -> overview.path("slots-total").asInt()).orElse(0);
        out.println("TaskManager " + index + " up (pid " + started.pid() + "): " + slots + " task slots in the cluster; logs "
                + layout.log(name) + ", " + shownOut(name));
        return EXIT_OK;
    }

    private List<String> registeredTaskManagerIds() {
        List<String> ids = new ArrayList<>();
        rest("/taskmanagers").ifPresent(list -> list.path("taskmanagers").forEach(tm -> ids.add(tm.path("id").asText())));
        return ids;
    }

    /** What bin/jobmanager.sh and bin/taskmanager.sh do: memory flags from BashJavaUtils, then the entry point. */
    private Process startProcess(BackgroundProcess process, String name, String resourceParams, String mainClass,
            String classpath, List<String> ports) throws IOException, InterruptedException {
        List<String> params = resourceParams(resourceParams, classpath, ports);
        List<String> command = new ArrayList<>();
        command.add(BackgroundProcess.java());
        command.addAll(split(params.get(0)));
        command.addAll(java17Flags(layout.confDir()));
        command.add("-Dlog.file=" + layout.log(name).toAbsolutePath());
        command.add("-Dlog4j.configurationFile=" + layout.confDir().resolve("log4j.properties").toAbsolutePath().toUri());
        command.addAll(List.of("-cp", classpath, mainClass, "--configDir", layout.confDir().toString()));
        command.addAll(split(params.get(1)));
        command.addAll(ports);
        return process.start(command, Map.of(), layout.logDir().resolve("flink-" + name + ".out"));
    }

    private Path shownOut(String process) {
        return layout.log(process).resolveSibling("flink-" + process + ".out");
    }

    /** The two result lines of BashJavaUtils: the JVM's memory options, then the matching -D properties. */
    private List<String> resourceParams(String command, String classpath, List<String> ports) throws IOException, InterruptedException {
        List<String> call = new ArrayList<>(List.of(BackgroundProcess.java(), "-cp", classpath,
                "org.apache.flink.runtime.util.bash.BashJavaUtils", command, "--configDir", layout.confDir().toString()));
        call.addAll(ports);
        Process process = new ProcessBuilder(call).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        List<String> results = output.lines().filter(line -> line.startsWith(RESOURCE_PARAMS_PREFIX))
                .map(line -> line.substring(RESOURCE_PARAMS_PREFIX.length())).toList();
        if (results.size() < 2) {
            throw new IOException("BashJavaUtils " + command + " failed: " + output.strip());
        }
        return results.subList(results.size() - 2, results.size());
    }

    private static List<String> split(String line) {
        return Arrays.stream(line.trim().split("\\s+")).filter(word -> !word.isEmpty()).toList();
    }

    /**
     * Null once the REST API lists {@code taskManagers} TaskManagers with their slots, else why not (a process died,
     * or too slow). A TaskManager is listed a moment before its slots count (its slot report comes after it registers).
     */
    private String awaitTaskManagers(int taskManagers, List<Process> started, List<String> names) throws InterruptedException {
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (true) {
            Optional<JsonNode> registered = rest("/taskmanagers");
            JsonNode listed = registered.map(list -> list.path("taskmanagers")).orElse(null);
            if (listed != null && listed.size() >= taskManagers && listed.findValues("slotsNumber").stream().allMatch(n -> n.asInt() > 0)) {
                return null;
            }
            for (int i = 0; i < started.size(); i++) {
                if (!started.get(i).isAlive()) {
                    return "the " + names.get(i) + " stopped during start-up; see " + layout.log(names.get(i));
                }
            }
            if (System.nanoTime() > deadline) {
                return (registered.isEmpty() ? "the JobManager's REST API did not answer" : "not all TaskManagers registered")
                        + " within " + startTimeout.toSeconds() + " s; see " + layout.log(registered.isEmpty() ? "jobmanager" : "taskmanager-0");
            }
            started.get(0).waitFor(500, TimeUnit.MILLISECONDS); // polls the REST API while the JVMs start
        }
    }

    // ---------------------------------------------------------------- stop

    int stop() throws IOException, InterruptedException {
        if (jobManager().running().isEmpty() && taskManagers().stream().allMatch(this::notRunning) && strays().isEmpty()) {
            stopAll();
            out.println("Flink cluster not running");
            return EXIT_OK;
        }
        List<String> jobs = runningJobs().stream().map(job -> job.path("jid").asText() + " " + job.path("name").asText()).toList();
        if (!jobs.isEmpty()) {
            out.println("Stopping with the cluster: " + plural(jobs.size(), "running job") + " (" + String.join(", ", jobs) + ")");
        }
        out.println("Flink cluster stopped: " + stopAll());
        return EXIT_OK;
    }

    /**
     * TaskManagers first (the JobManager sees them leave), then the JobManager; waits for each to exit. Besides the
     * processes of the pid files, every Flink process of this cluster without one (a TaskManager started by hand
     * with this configuration and RPC port, or one whose pid file was overwritten) stops too.
     */
    private String stopAll() throws IOException, InterruptedException {
        List<String> stopped = new ArrayList<>();
        List<ProcessHandle> strays = strays();
        for (BackgroundProcess taskManager : taskManagers()) {
            taskManager.stop().ifPresent(process -> stopped.add("TaskManager pid " + process.pid()));
        }
        for (ProcessHandle stray : strays) {
            if (stray.isAlive() && BackgroundProcess.commandLine(stray).orElse(List.of()).contains(TASK_MANAGER_CLASS)) {
                BackgroundProcess.terminate(stray);
                stopped.add("TaskManager pid " + stray.pid());
            }
        }
        jobManager().stop().ifPresent(process -> stopped.add("JobManager pid " + process.pid()));
        for (ProcessHandle stray : strays) {
            if (stray.isAlive()) {
                BackgroundProcess.terminate(stray);
                stopped.add("JobManager pid " + stray.pid());
            }
        }
        Files.deleteIfExists(layout.logDir().resolve(PORTS_FILE));
        return String.join(", ", stopped);
    }

    /**
     * Live JobManagers and TaskManagers of this cluster (this configuration directory and RPC port on their command
     * line) that no pid file names.
     */
    private List<ProcessHandle> strays() throws IOException {
        List<Long> known = new ArrayList<>();
        for (BackgroundProcess process : taskManagers()) {
            process.pid().ifPresent(known::add);
        }
        jobManager().pid().ifPresent(known::add);
        List<String> configDir = List.of("--configDir", layout.confDir().toString());
        String rpcPort = JobManagerOptions.PORT.key() + "=" + rpcPort();
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.filter(process -> !known.contains(process.pid()) && process.pid() != ProcessHandle.current().pid())
                    .filter(process -> BackgroundProcess.commandLine(process)
                            .filter(line -> (line.contains(TASK_MANAGER_CLASS) || line.contains(JOB_MANAGER_CLASS))
                                    && java.util.Collections.indexOfSubList(line, configDir) >= 0 && line.contains(rpcPort))
                            .isPresent())
                    .toList();
        }
    }

    private boolean notRunning(BackgroundProcess process) {
        try {
            return process.running().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- status

    int status() throws IOException {
        Optional<ProcessHandle> jobManager = jobManager().running();
        if (jobManager.isEmpty()) {
            out.println("Flink cluster not running (start it with ./patterns cluster start)");
            return EXIT_NOT_RUNNING;
        }
        Optional<JsonNode> overview = rest("/overview");
        if (overview.isEmpty()) {
            out.println("Flink JobManager running (pid " + jobManager.get().pid() + ") but its REST API " + webUi()
                    + " does not answer; see " + layout.log("jobmanager"));
            return EXIT_FAILED;
        }
        JsonNode cluster = overview.get();
        out.println("Flink cluster running: web UI and REST API " + webUi() + ", JobManager pid " + jobManager.get().pid());
        out.println("TaskManagers: " + cluster.path("taskmanagers").asInt() + " registered, task slots: "
                + cluster.path("slots-total").asInt() + " total, " + cluster.path("slots-available").asInt() + " available");
        for (BackgroundProcess taskManager : taskManagers()) {
            var pid = taskManager.pid();
            if (pid.isPresent()) {
                String name = taskManager.pidFile().getFileName().toString().replace("flink-", "").replace(".pid", "");
                out.println("  " + name + "  pid " + pid.getAsLong() + "  " + (taskManager.running().isPresent() ? "alive" : "dead"));
            }
        }
        for (ProcessHandle stray : strays()) {
            out.println("  (no pid file)  pid " + stray.pid() + "  alive");
        }
        List<JsonNode> jobs = runningJobs();
        out.println("Running jobs: " + jobs.size());
        for (JsonNode job : jobs) {
            out.println("  " + job.path("jid").asText() + "  " + job.path("name").asText() + "  " + job.path("state").asText());
        }
        return EXIT_OK;
    }

    private List<JsonNode> runningJobs() {
        List<JsonNode> running = new ArrayList<>();
        rest("/jobs/overview").ifPresent(overview -> overview.path("jobs").forEach(job -> {
            if (!job.path("state").asText().matches("FINISHED|CANCELED|FAILED")) {
                running.add(job);
            }
        }));
        return running;
    }

    // ---------------------------------------------------------------- submit

    /** {@code flink run -d <jobs jar> <pattern> [options]}: the client runs the pattern's CLI, which submits the job. */
    int submit(List<String> patternArgs) throws IOException, InterruptedException {
        if (patternArgs.isEmpty()) {
            err.println("patterns submit: usage: ./patterns submit <pattern> [options] (./patterns --help lists the patterns)");
            return EXIT_USAGE;
        }
        if (jobManager().running().isEmpty() || rest("/overview").isEmpty()) {
            err.println("patterns submit: no Flink cluster running at " + webUi() + " (start one with ./patterns cluster start)");
            return EXIT_NOT_RUNNING;
        }
        if (!Files.isRegularFile(layout.jobsJar())) {
            err.println("patterns submit: no " + layout.jobsJar() + " (build it with: mvn -B -q -DskipTests package)");
            return EXIT_USAGE;
        }
        List<String> command = new ArrayList<>();
        command.add(BackgroundProcess.java());
        command.addAll(java17Flags(layout.confDir()));
        command.add("-Dlog.file=" + layout.log("client").toAbsolutePath());
        command.add("-Dlog4j.configurationFile=" + layout.confDir().resolve("log4j.properties").toAbsolutePath().toUri());
        command.addAll(List.of("-cp", classpath(), "org.apache.flink.client.cli.CliFrontend",
                "run", "-d", "-m", "localhost:" + restPort(), layout.jobsJar().toAbsolutePath().toString()));
        command.addAll(patternArgs);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("FLINK_CONF_DIR", layout.confDir().toAbsolutePath().toString());
        Process client = builder.start();
        Thread errors = copy(client.getErrorStream(), err);
        copy(client.getInputStream(), out).join();
        errors.join();
        return client.waitFor();
    }

    private static Thread copy(InputStream from, PrintStream to) {
        Thread thread = new Thread(() -> {
            try (from) {
                from.transferTo(to);
                to.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "patterns-submit-output");
        thread.start();
        return thread;
    }

    // ---------------------------------------------------------------- shared

    private BackgroundProcess jobManager() {
        return new BackgroundProcess(layout.logDir().resolve("flink-jobmanager.pid"));
    }

    private BackgroundProcess taskManager(int index) {
        return new BackgroundProcess(layout.logDir().resolve("flink-taskmanager-" + index + ".pid"));
    }

    /** Every TaskManager with a pid file, however many the last start had. */
    private List<BackgroundProcess> taskManagers() throws IOException {
        if (!Files.isDirectory(layout.logDir())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(layout.logDir())) {
            return files.filter(file -> file.getFileName().toString().matches("flink-taskmanager-\\d+\\.pid"))
                    .sorted().map(BackgroundProcess::new).toList();
        }
    }

    private String classpath() throws IOException {
        Path file = layout.home().resolve(CLASSPATH);
        if (!Files.isRegularFile(file)) {
            throw new IOException("no " + file + " (build the project with: mvn -B -q -DskipTests package)");
        }
        return Files.readString(file).trim();
    }

    /** The REST port of the running cluster (saved by start), else the configured one. */
    int restPort() {
        return savedPort(RestOptions.PORT.key()).orElseGet(
                () -> GlobalConfiguration.loadConfiguration(layout.confDir().toString()).get(RestOptions.PORT));
    }

    /** The JobManager's RPC port of the running cluster (saved by start), else the configured one. */
    int rpcPort() {
        return savedPort(JobManagerOptions.PORT.key()).orElseGet(
                () -> GlobalConfiguration.loadConfiguration(layout.confDir().toString()).get(JobManagerOptions.PORT));
    }

    private Optional<Integer> savedPort(String key) {
        Path saved = layout.logDir().resolve(PORTS_FILE);
        if (Files.isRegularFile(saved)) {
            Properties ports = new Properties();
            try (var reader = Files.newBufferedReader(saved)) {
                ports.load(reader);
                return Optional.of(Integer.parseInt(ports.getProperty(key)));
            } catch (IOException | RuntimeException e) {
                // an unreadable file: fall back to the configuration
            }
        }
        return Optional.empty();
    }

    String webUi() {
        return "http://localhost:" + restPort();
    }

    /** GET of the cluster's REST API; empty when it does not answer (yet). */
    Optional<JsonNode> rest(String path) {
        return rest.get(webUi() + path);
    }

    private static boolean free(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getByName("localhost"), port));
            return true;
        } catch (IOException e) {
            return false; // in use (BindException), or localhost cannot be bound at all
        }
    }

    private static String plural(int count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }
}
