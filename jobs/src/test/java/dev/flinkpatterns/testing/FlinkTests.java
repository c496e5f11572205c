package dev.flinkpatterns.testing;

import dev.flinkpatterns.generator.BatchFileGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

/** The one way tests get a Flink cluster and test files. */
public final class FlinkTests {

    private FlinkTests() {}

    /**
     * A MiniCluster with 2 slots (jobs run with parallelism 2), small managed memory, and no restarts: a
     * broken job fails the test at once instead of restarting forever.
     */
    public static MiniClusterExtension miniCluster() {
        return miniCluster(new Configuration());
    }

    public static MiniClusterExtension miniCluster(Configuration extra) {
        Configuration configuration = new Configuration();
        configuration.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        configuration.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ofMebiBytes(64));
        configuration.addAll(extra);
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setNumberTaskManagers(1)
                .setNumberSlotsPerTaskManager(2)
                .setConfiguration(configuration)
                .build());
    }

    /**
     * For tests that read a running job's figures over the REST API: accumulators (rows read) travel with the
     * TaskManager's heartbeats, metrics (watermarks) with the metric fetcher, and the REST API caches a job's figures
     * for web.refresh-interval; all three much more often than by default.
     */
    public static Configuration freshReports() {
        Configuration configuration = new Configuration();
        configuration.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, java.time.Duration.ofMillis(200));
        configuration.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, java.time.Duration.ofMillis(100));
        configuration.set(WebOptions.REFRESH_INTERVAL, java.time.Duration.ofMillis(200));
        return configuration;
    }

    /**
     * Restarts for exactly-once tests that break the job on purpose: up to 10 attempts, 100 ms apart (the default
     * of {@link #miniCluster()} is none, so that a broken job fails its test at once).
     */
    public static Configuration restarts() {
        Configuration configuration = new Configuration();
        configuration.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        configuration.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 10);
        configuration.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, java.time.Duration.ofMillis(100));
        return configuration;
    }

    /** The environment of a test job, configured as the CLI configures its jobs (object reuse on). */
    public static StreamExecutionEnvironment environment() {
        return environment(new Configuration());
    }

    /** The same, with job settings (e.g. a restart strategy, {@link #restoring} a state). */
    public static StreamExecutionEnvironment environment(Configuration settings) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(settings);
        env.getConfig().enableObjectReuse();
        return env;
    }

    /** Job settings that restore a checkpoint or savepoint, as {@code --from-savepoint} does. */
    public static Configuration restoring(Path checkpoint) {
        Configuration settings = new Configuration();
        settings.set(StateRecoveryOptions.SAVEPOINT_PATH, checkpoint.toUri().toString());
        return settings;
    }

    /** Writes a file of lines (CSV, JSON) as the generator does (hidden name, then rename): a watcher sees it whole. */
    public static Path writeLines(Path dir, String name, String... lines) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(name);
        BatchFileGenerator.writeAtomically(file, String.join("\n", lines) + "\n");
        return file;
    }

    /** Every line of the finished (visible) files under a directory, sorted: part files have random names. */
    public static List<String> linesOfVisibleFiles(Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return lines;
        }
        try (var files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().startsWith("."))
                    .toList()) {
                lines.addAll(Files.readAllLines(file));
            }
        }
        lines.sort(null);
        return lines;
    }
}
