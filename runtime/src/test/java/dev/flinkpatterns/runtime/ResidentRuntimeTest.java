package dev.flinkpatterns.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.testing.Await;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resident runtime and its client as {@code ./patterns} runs them: real processes, a real runtime JVM started by
 * the first client and shared by the next ones, each command with its own output, input, exit code and stop.
 */
@Timeout(300)
class ResidentRuntimeTest {

    private static final Path CONF = Path.of(System.getProperty("patterns.conf.dir", "../conf")).toAbsolutePath();

    @TempDir
    static Path work;

    private static Path stateDir;
    /** Stands for a jar of the project's build (e.g. jobs'): on the runtime's class path, under its home. */
    private static Path buildJar;

    @BeforeAll
    static void describeTheRuntime() throws IOException {
        stateDir = Files.createDirectories(work.resolve("state"));
        buildJar = Files.createDirectories(work.resolve("home/jobs/target")).resolve("jobs.jar");
        new JarOutputStream(Files.newOutputStream(buildJar)).close();
        List<String> command = List.of(BackgroundProcess.java(), "-Xmx1g",
                "-Dpatterns.conf.dir=" + CONF, "-Dpatterns.resident.dir=" + stateDir,
                "-Dpatterns.home=" + work.resolve("home"),
                "-cp", System.getProperty("java.class.path") + File.pathSeparator + buildJar,
                ResidentRuntime.class.getName());
        Files.writeString(stateDir.resolve(ResidentProtocol.COMMAND_FILE), String.join("\0", command) + "\0");
    }

    @AfterAll
    static void stopTheRuntime() throws Exception {
        runtimePid().ifPresent(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy));
    }

    @Test
    void theFirstCommandStartsTheRuntimeAndTheNextOnesShareIt() throws Exception {
        Path input = csvInput("shared", "2025-07-15T15:03:21,1,login\n2025-07-15T15:03:22,2,view\n2025-07-15T15:03:23,3,view\n");

        Finished first = run("csv-agg", "--input", input.toString(), "--trigger", "available-now",
                "--web-ui-port", String.valueOf(freePort()), "--output", work.resolve("out-shared").toString(),
                "--checkpoint-dir", work.resolve("checkpoints-shared").toString());
        long pid = runtimePid().orElseThrow();
        Finished second = run("--version");

        assertThat(first.exitCode()).isZero();
        assertThat(first.out()).endsWith("""
                +-----+-----+
                |event|count|
                +-----+-----+
                |login|    1|
                | view|    2|
                +-----+-----+

                """);
        assertThat(second.out()).isEqualTo("flink-streaming-patterns 0.1.0 (Flink 2.2)\n");
        assertThat(second.exitCode()).isZero();
        assertThat(runtimePid()).contains(pid);
    }

    @Test
    void aRebuiltJarOfTheProjectRetiresTheRuntime() throws Exception {
        assertThat(run("--version").exitCode()).isZero();
        long before = runtimePid().orElseThrow();
        Files.setLastModifiedTime(buildJar, FileTime.fromMillis(Files.getLastModifiedTime(buildJar).toMillis() + 2000));

        Finished next = run("--version");

        assertThat(next.out()).isEqualTo("flink-streaming-patterns 0.1.0 (Flink 2.2)\n");
        assertThat(runtimePid()).isPresent().isNotEqualTo(Optional.of(before));
        Await.until("the runtime of the old build exits", Duration.ofSeconds(60),
                () -> ProcessHandle.of(before).map(process -> !process.isAlive()).orElse(true));
    }

    @Test
    void onlyTheClassPathsEntriesUnderTheProjectCountAsItsBuild() {
        Path home = Path.of("/opt/patterns");
        String classPath = String.join(File.pathSeparator, "/opt/patterns/jobs/target/jobs.jar",
                "/root/.m2/repository/org/apache/flink/flink-core/2.2.0/flink-core-2.2.0.jar",
                "/opt/patterns/runtime/target/runtime.jar", "");

        assertThat(ResidentRuntime.buildJars(home, classPath)).containsExactly(
                Path.of("/opt/patterns/jobs/target/jobs.jar"), Path.of("/opt/patterns/runtime/target/runtime.jar"));
    }

    @Test
    void aRefusedCommandGivesItsExitCodeAndOneLine() throws Exception {
        Finished refused = run("csv-agg", "--no-such-option");

        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.out()).isEmpty();
        assertThat(refused.err()).startsWith("patterns csv-agg: Unknown option: '--no-such-option'");
        assertThat(refused.err().lines()).hasSize(1);
    }

    /** The console sink prints from the task threads of each command's own MiniCluster: each to its own client. */
    @Test
    void commandsRunningAtTheSameTimeEachPrintTheirOwnRows() throws Exception {
        List<Process> runs = new ArrayList<>();
        for (String event : List.of("login", "click", "purchase")) {
            Path input = csvInput("concurrent-" + event, "2025-07-15T15:03:21,1," + event + "\n");
            runs.add(start(List.of("csv-agg", "--input", input.toString(), "--trigger", "available-now",
                    "--web-ui-port", String.valueOf(freePort()), "--output", work.resolve("out-" + event).toString(),
                    "--checkpoint-dir", work.resolve("checkpoints-" + event).toString())));
        }
        List<String> outputs = new ArrayList<>();
        for (Process run : runs) {
            outputs.add(finish(run).out());
        }

        for (int i = 0; i < 3; i++) {
            String event = List.of("login", "click", "purchase").get(i);
            assertThat(outputs.get(i)).contains("|" + event + "|").doesNotContain("|    2|");
            assertThat(outputs.get(i).lines().filter(line -> line.startsWith("|") && line.endsWith("    1|"))).hasSize(1);
        }
    }

    /** SIGTERM (Ctrl+C's sibling) reaches the command in the runtime: its job is cancelled, the runtime lives on. */
    @Test
    void stoppingTheClientStopsItsCommandInTheRuntime() throws Exception {
        Path input = csvInput("stopped", "2025-07-15T15:03:21,1,login\n");
        int webUiPort = freePort();
        Process run = start(List.of("csv-log", "--input", input.toString(), "--web-ui-port", String.valueOf(webUiPort),
                "--checkpoint-dir", work.resolve("checkpoints-stopped").toString()));
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> new BufferedReader(new InputStreamReader(run.getInputStream(),
                StandardCharsets.UTF_8)).lines().forEach(lines::add));
        reader.start();
        Await.value(() -> "the first batch; printed: " + lines, Duration.ofSeconds(90),
                () -> lines.contains("|2025-07-15T15:03:21|      1|login|") ? Optional.of(true) : Optional.empty());

        run.toHandle().destroy(); // SIGTERM; Process.destroy() would also close the pipes

        assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(run.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .filter(line -> !line.startsWith("progress: "))).containsExactly("patterns: stopped.");
        assertThat(run.exitValue()).isEqualTo(143);
        Await.until("the web UI of the stopped command gone", Duration.ofSeconds(60), () -> !listening(webUiPort));
        assertThat(run("--version").exitCode()).isZero();
    }

    /** {@code generate socket} serves the client's standard input, asked for only when the command reads it. */
    @Test
    void standardInputReachesTheCommand() throws Exception {
        int port = freePort();
        Process generator = start(List.of("generate", "socket", "--port", String.valueOf(port)));
        Await.until("the socket served", Duration.ofSeconds(60), () -> listening(port));
        try (Socket reader = new Socket(InetAddress.getLoopbackAddress(), port)) {
            try (OutputStream stdin = generator.getOutputStream()) {
                stdin.write("hello world\nspark is amazing\n".getBytes(StandardCharsets.UTF_8));
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(reader.getInputStream(), StandardCharsets.UTF_8));
            assertThat(lines.readLine()).isEqualTo("hello world");
            assertThat(lines.readLine()).isEqualTo("spark is amazing");
            assertThat(lines.readLine()).isNull();
        }
        assertThat(finish(generator).exitCode()).isZero();
    }

    private record Finished(int exitCode, String out, String err) {}

    private static Finished run(String... args) throws Exception {
        return finish(start(List.of(args)));
    }

    private static Process start(List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(BackgroundProcess.java(), "-cp", System.getProperty("java.class.path"),
                ResidentClient.class.getName(), stateDir.toString()));
        command.addAll(args);
        return new ProcessBuilder(command).start();
    }

    private static Finished finish(Process process) throws Exception {
        var out = process.getInputStream().readAllBytes();
        var err = process.getErrorStream().readAllBytes();
        assertThat(process.waitFor(180, TimeUnit.SECONDS)).isTrue();
        return new Finished(process.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    private static Optional<Long> runtimePid() throws IOException {
        Path portFile = stateDir.resolve(ResidentProtocol.PORT_FILE);
        if (!Files.exists(portFile)) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(Files.readString(portFile).trim().split(" ")[2]));
    }

    private static Path csvInput(String name, String rows) throws IOException {
        Path dir = Files.createDirectories(work.resolve("in-" + name));
        Files.writeString(dir.resolve("event_batch_0.csv"), "timestamp,user_id,event\n" + rows);
        return dir;
    }

    private static int freePort() throws IOException {
        try (ServerSocket free = new ServerSocket(0)) {
            return free.getLocalPort();
        }
    }

    private static boolean listening(int port) {
        try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
