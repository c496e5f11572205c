package dev.flinkpatterns.runtime;

import dev.flinkpatterns.core.DisplayPath;
import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.io.PostgresConnection;
import dev.flinkpatterns.run.ExecutionRuntime;
import dev.flinkpatterns.run.LocalService;
import dev.flinkpatterns.services.EmbeddedPostgresServer;
import dev.flinkpatterns.services.KafkaBroker;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.ClusterOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.SecurityOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.JobListener;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterJobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.FileUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default: a MiniCluster in this JVM with the Flink web UI, configured by the same
 * {@code conf/config.yaml} a cluster uses (RocksDB, incremental checkpoints, restart strategy).
 */
public final class EmbeddedRuntime implements ExecutionRuntime {

    private static final Set<Integer> PORTS_OF_EARLIER_JOBS = ConcurrentHashMap.newKeySet();
    private static final Duration PORT_RELEASE_WAIT = Duration.ofSeconds(30);
    private static final MemorySize LOCAL_NETWORK_MEMORY = MemorySize.parse("32m");

    /** The MiniCluster's working directories of this process live under {@code <tmp>/patterns-flink-<pid>-<run>}. */
    static final String WORKING_DIR_PREFIX = "patterns-flink-";
    private static final AtomicInteger RUNS = new AtomicInteger();
    private static final Duration CLUSTER_CLOSE_TIMEOUT = Duration.ofSeconds(60);
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRuntime.class);

    private final Path confDir;
    private final Path tmpDir;
    private final List<JobClient> submitted = new CopyOnWriteArrayList<>();
    private Path workingDir;

    public EmbeddedRuntime(Path confDir) {
        this(confDir, Path.of(System.getProperty("java.io.tmpdir")));
    }

    EmbeddedRuntime(Path confDir, Path tmpDir) {
        this.confDir = confDir;
        this.tmpDir = tmpDir;
    }

    /** {@code conf/config.yaml} with the job's settings on top. */
    public Configuration configuration(Configuration jobSettings) {
        if (!Files.isRegularFile(confDir.resolve(GlobalConfiguration.FLINK_CONF_FILENAME))) {
            throw new UsageException("no " + GlobalConfiguration.FLINK_CONF_FILENAME + " in " + DisplayPath.of(confDir)
                    + " (run ./patterns from the project's root, or set -Dpatterns.conf.dir)");
        }
        Configuration configuration = GlobalConfiguration.loadConfiguration(confDir.toString());
        configuration.addAll(jobSettings);
        return configuration;
    }

    @Override
    public StreamExecutionEnvironment environment(Configuration jobSettings, PrintStream out) {
        Configuration configuration = configuration(jobSettings);
        String address = configuration.get(RestOptions.BIND_ADDRESS, "localhost");
        int port = configuration.get(RestOptions.PORT);
        // A second job of this JVM (the medallion's next stage) may find the port still held by the cluster of
        // the first, which is shutting down: that one is waited for; anyone else's is an error at once.
        requireFreePort(address, port, PORTS_OF_EARLIER_JOBS.contains(port) ? PORT_RELEASE_WAIT : Duration.ZERO);
        PORTS_OF_EARLIER_JOBS.add(port);
        // Flink's files of this run (blobs, RocksDB's native library, the RPC system's jar: 21 MB a run) go to a
        // directory of this process that is deleted at its end, not into /tmp for good.
        if (!configuration.contains(ClusterOptions.PROCESS_WORKING_DIR_BASE)) {
            configuration.set(ClusterOptions.PROCESS_WORKING_DIR_BASE, workingDirectory().toString());
        }
        if (!configuration.contains(CoreOptions.TMP_DIRS)) {
            configuration.set(CoreOptions.TMP_DIRS, workingDirectory().toString());
        }
        // A local run's shuffles (parallelism 2) use a few hundred 32 KB buffers; Flink's default of 64 MB, all
        // allocated when the TaskManager starts, costs 0.2 s at every start.
        if (!configuration.contains(TaskManagerOptions.NETWORK_MEMORY_MIN)
                && !configuration.contains(TaskManagerOptions.NETWORK_MEMORY_MAX)) {
            configuration.set(TaskManagerOptions.NETWORK_MEMORY_MIN, LOCAL_NETWORK_MEMORY);
            configuration.set(TaskManagerOptions.NETWORK_MEMORY_MAX, LOCAL_NETWORK_MEMORY);
        }
        // No Kerberos in a local run: loading the delegation token providers (and Hadoop's classes) costs 0.15 s.
        if (!configuration.contains(SecurityOptions.DELEGATION_TOKENS_ENABLED)) {
            configuration.set(SecurityOptions.DELEGATION_TOKENS_ENABLED, false);
        }
        configuration.set(LOCAL_RUN, true);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(configuration);
        env.registerJobListener(new JobListener() {
            @Override
            public void onJobSubmitted(JobClient job, Throwable error) {
                if (job != null) {
                    submitted.add(job);
                }
            }

            @Override
            public void onJobExecuted(JobExecutionResult result, Throwable error) {}
        });
        out.println("Flink web UI: http://localhost:" + port + "  (Ctrl+C stops the job)");
        return env;
    }

    /**
     * This process's MiniCluster working directory (blobs, RocksDB's local files). Created on first use; the
     * directories that runs which have exited left behind (Ctrl+C, kill) are deleted then, so none piles up.
     */
    synchronized Path workingDirectory() {
        if (workingDir == null) {
            removeWorkingDirectoriesOfEndedProcesses(tmpDir);
            // The pid, and a number for each run in it (the resident runtime runs many, some at the same time).
            workingDir = tmpDir.resolve(WORKING_DIR_PREFIX + ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet());
            try {
                Files.createDirectories(workingDir);
            } catch (IOException e) {
                throw new UsageException("cannot create Flink's working directory " + workingDir + ": " + e.getMessage());
            }
        }
        return workingDir;
    }

    /**
     * Deletes this run's working directory; for the end of the run, once its jobs have ended. Waits first for the
     * MiniClusters of its jobs to close: Flink closes them asynchronously after a job's end, and their last work
     * (discarding old checkpoints, the working directory's files) must be over before the run is (in the resident
     * runtime, the next command may delete or reuse those directories at once).
     */
    public synchronized void removeWorkingDirectory() {
        for (JobClient job : submitted) {
            awaitClusterClosed(job);
        }
        submitted.clear();
        if (workingDir != null) {
            FileUtils.deleteDirectoryQuietly(workingDir.toFile());
            workingDir = null;
        }
    }

    /** A local job's MiniCluster is a private field of its client; no public API waits for its close. */
    private static void awaitClusterClosed(JobClient job) {
        if (!(job instanceof MiniClusterJobClient)) {
            return;
        }
        try {
            Field field = MiniClusterJobClient.class.getDeclaredField("miniCluster");
            field.setAccessible(true);
            ((MiniCluster) field.get(job)).closeAsync().get(CLUSTER_CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("Could not wait for the local cluster of job {} to close", job.getJobID(), e);
        }
    }

    static void removeWorkingDirectoriesOfEndedProcesses(Path tmpDir) {
        try (var entries = Files.newDirectoryStream(tmpDir, WORKING_DIR_PREFIX + "*")) {
            for (Path entry : entries) {
                String pid = entry.getFileName().toString().substring(WORKING_DIR_PREFIX.length()).split("-")[0];
                boolean ofAProcess = !pid.isEmpty() && pid.chars().allMatch(Character::isDigit);
                if (ofAProcess && !ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false)) {
                    FileUtils.deleteDirectoryQuietly(entry.toFile());
                }
            }
        } catch (IOException e) {
            // Only housekeeping: a run must not fail because an old directory could not be listed.
        }
    }

    @Override
    public boolean isEmbedded() {
        return true;
    }

    /** {@code --kafka embedded}: a real broker in this JVM for the run, its data in a temporary directory. */
    @Override
    public LocalService<String> startKafka(PrintStream out) {
        try {
            Path dataDir = Files.createTempDirectory("patterns-kafka");
            KafkaBroker broker = KafkaBroker.start(dataDir, 0);
            out.println("Kafka (embedded, for this run): bootstrap servers " + broker.bootstrapServers());
            return LocalService.of(broker.bootstrapServers(), () -> {
                broker.close();
                FileUtils.deleteDirectoryQuietly(dataDir.toFile());
            });
        } catch (IOException e) {
            throw new UsageException("cannot start an embedded Kafka broker: " + e.getMessage());
        }
    }

    @Override
    public LocalService<PostgresConnection> startPostgres() {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start();
        return LocalService.of(new PostgresConnection(server.jdbcUrl(), server.user(), server.password()), server::close);
    }

    private static void requireFreePort(String address, int port, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try (ServerSocket probe = new ServerSocket()) {
                probe.bind(new InetSocketAddress(InetAddress.getByName(address), port));
                return;
            } catch (BindException e) {
                if (System.nanoTime() >= deadline) {
                    throw ExecutionRuntime.webUiPortInUse(port);
                }
            } catch (IOException e) {
                throw new UsageException("cannot open the web UI on " + address + ":" + port + ": " + e.getMessage());
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos()); // polling the port while the earlier cluster stops
        }
    }
}
