package dev.flinkpatterns.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A process that {@code ./patterns} leaves running in the background (the Kafka broker, the cluster's JobManager and
 * TaskManagers): its pid in a file, its output appended to a log, stopped with SIGTERM.
 */
final class BackgroundProcess {

    private static final long STOP_TIMEOUT_SECONDS = 60;

    private final Path pidFile;

    BackgroundProcess(Path pidFile) {
        this.pidFile = pidFile;
    }

    Path pidFile() {
        return pidFile;
    }

    /** The pid the file records, whether or not that process is still alive. */
    OptionalLong pid() throws IOException {
        if (!Files.exists(pidFile)) {
            return OptionalLong.empty();
        }
        String pid = Files.readString(pidFile).trim();
        return pid.matches("\\d+") ? OptionalLong.of(Long.parseLong(pid)) : OptionalLong.empty();
    }

    /** The process of the pid file, if it is still alive. */
    Optional<ProcessHandle> running() throws IOException {
        OptionalLong pid = pid();
        return pid.isEmpty() ? Optional.empty() : ProcessHandle.of(pid.getAsLong()).filter(ProcessHandle::isAlive);
    }

    /** Starts {@code command} with its output appended to {@code output}, and records its pid. */
    Process start(List<String> command, Map<String, String> environment, Path output) throws IOException {
        Files.createDirectories(pidFile.toAbsolutePath().getParent());
        Files.createDirectories(output.toAbsolutePath().getParent());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(environment);
        Process process = builder.start();
        Files.writeString(pidFile, Long.toString(process.pid()));
        return process;
    }

    /** SIGTERM (a clean shutdown), then SIGKILL if it has not exited within a minute; the pid file goes. */
    Optional<ProcessHandle> stop() throws IOException, InterruptedException {
        Optional<ProcessHandle> running = running();
        if (running.isPresent()) {
            terminate(running.get());
        }
        Files.deleteIfExists(pidFile);
        return running;
    }

    /** SIGTERM, then SIGKILL if {@code process} has not exited within a minute; returns once it has exited. */
    static void terminate(ProcessHandle process) throws InterruptedException {
        process.destroy();
        try {
            process.onExit().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            process.destroyForcibly();
            try {
                process.onExit().get(10, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException ignored) {
                // SIGKILL cannot be refused; the kernel reaps it shortly.
            }
        }
    }

    /**
     * The whole command line of a live process, one element per argument. {@code ProcessHandle.Info} cuts it at
     * 4,096 characters on Linux (a Flink JVM's classpath alone is longer), so /proc is read directly.
     */
    static Optional<List<String>> commandLine(ProcessHandle process) {
        try {
            byte[] bytes = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
            if (bytes.length == 0) {
                return Optional.empty();
            }
            String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
            return Optional.of(List.of(text.split("\0")));
        } catch (IOException | SecurityException e) {
            return Optional.empty(); // gone, not ours to read, or no /proc (not Linux)
        }
    }

    void forget() throws IOException {
        Files.deleteIfExists(pidFile);
    }

    /** The java of this JVM: background JVMs run on the same Java as ./patterns. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
