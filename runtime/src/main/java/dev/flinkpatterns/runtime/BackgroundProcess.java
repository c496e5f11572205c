package dev.flinkpatterns.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    /** The process of the pid file, if it is still alive. */
    Optional<ProcessHandle> running() throws IOException {
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        String pid = Files.readString(pidFile).trim();
        if (!pid.matches("\\d+")) {
            return Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(pid)).filter(ProcessHandle::isAlive);
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
            ProcessHandle process = running.get();
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
        Files.deleteIfExists(pidFile);
        return running;
    }

    void forget() throws IOException {
        Files.deleteIfExists(pidFile);
    }

    /** The java of this JVM: background JVMs run on the same Java as ./patterns. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
