package dev.flinkpatterns.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinkpatterns.core.DisplayPath;
import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.testing.CapturedRun;
import dev.flinkpatterns.run.ExecutionRuntime;
import dev.flinkpatterns.cli.PatternsCli;
import dev.flinkpatterns.testing.Await;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ClusterOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default: conf/config.yaml as written, the web UI port check, and a real run on RocksDB with checkpoints. */
class EmbeddedRuntimeTest {

    private static final Path CONF = Path.of(System.getProperty("patterns.conf.dir", "../conf"));

    @TempDir
    Path tmp;

    @Test
    void configYamlSetsRocksDbIncrementalCheckpointsAndABoundedRestartStrategy() {
        Configuration conf = new EmbeddedRuntime(CONF).configuration(new Configuration());

        assertThat(conf.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(conf.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTING_INTERVAL)).isEqualTo(Duration.ofSeconds(10));
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEqualTo("file:///tmp/flink-streaming-patterns/checkpoints");
        assertThat(conf.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION))
                .isEqualTo(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("exponential-delay");
        assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS)).isEqualTo(10);
        assertThat(conf.get(RestOptions.PORT)).isEqualTo(8081);
        assertThat(conf.get(RestOptions.BIND_ADDRESS)).isEqualTo("localhost");
        assertThat(conf.get(CoreOptions.DEFAULT_PARALLELISM)).isEqualTo(2);
    }

    @Test
    void jobSettingsOverrideTheFile() {
        Configuration job = new Configuration();
        job.set(RestOptions.PORT, 18081);
        assertThat(new EmbeddedRuntime(CONF).configuration(job).get(RestOptions.PORT)).isEqualTo(18081);
    }

    @Test
    void aBusyWebUiPortIsAOneLineUsageError() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("localhost"))) {
            Configuration job = new Configuration();
            job.set(RestOptions.PORT, busy.getLocalPort());
            assertThatThrownBy(() -> new EmbeddedRuntime(CONF).environment(job, System.out))
                    .isInstanceOf(UsageException.class)
                    .hasMessage("port " + busy.getLocalPort() + " (Flink web UI) is already in use;"
                            + " stop what uses it or choose another port with --web-ui-port");
        }
    }

    @Test
    void theMiniClusterWorksInADirectoryOfThisProcessAndRemovesThoseOfEndedRuns() throws Exception {
        Path tmpDir = Files.createDirectories(tmp.resolve("tmpdir"));
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        Path ofEndedRun = Files.createDirectories(tmpDir.resolve("patterns-flink-" + ended.pid()).resolve("minicluster_1"));
        Path ofEndedResidentRun = Files.createDirectories(tmpDir.resolve("patterns-flink-" + ended.pid() + "-3"));
        Path ofLiveRun = Files.createDirectories(tmpDir.resolve("patterns-flink-" + ProcessHandle.current().parent()
                .orElseThrow().pid()));
        Path notOurs = Files.createDirectories(tmpDir.resolve("patterns-flink-kafka"));
        Configuration job = new Configuration();
        try (ServerSocket free = new ServerSocket(0)) {
            job.set(RestOptions.PORT, free.getLocalPort());
        }

        EmbeddedRuntime runtime = new EmbeddedRuntime(CONF, tmpDir);
        var settings = runtime.environment(job, System.out).getConfiguration();

        // This process's, numbered: the resident runtime has several runs in one process.
        Path own = Path.of(settings.get(ClusterOptions.PROCESS_WORKING_DIR_BASE));
        assertThat(own.getParent()).isEqualTo(tmpDir);
        assertThat(own.getFileName().toString()).matches("patterns-flink-" + ProcessHandle.current().pid() + "-\\d+");
        assertThat(settings.get(CoreOptions.TMP_DIRS)).isEqualTo(own.toString());
        assertThat(own).isDirectory();
        assertThat(ofEndedRun.getParent()).doesNotExist();
        assertThat(ofEndedResidentRun).doesNotExist();
        assertThat(ofLiveRun).isDirectory();
        assertThat(notOurs).isDirectory();
        runtime.removeWorkingDirectory();
        assertThat(own).doesNotExist();
    }

    @Test
    @Timeout(120)
    void aWebUiPortTakenAfterTheCheckIsTheSameUsageError() throws Exception {
        Path input = Files.createDirectories(tmp.resolve("input"));
        Files.writeString(input.resolve("event_batch_0.csv"), "timestamp,user_id,event\n2025-07-15T15:03:21,1,login\n");
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("localhost"))) {
            EmbeddedRuntime embedded = new EmbeddedRuntime(CONF, Files.createDirectories(tmp.resolve("tmpdir")));
            // What another run starting at the same moment does: takes the port after this run's check passed.
            ExecutionRuntime portTakenAfterTheCheck = new ExecutionRuntime() {
                @Override
                public StreamExecutionEnvironment environment(Configuration jobSettings, PrintStream out) {
                    Configuration settings = embedded.configuration(jobSettings);
                    settings.set(RestOptions.PORT, busy.getLocalPort());
                    return StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(settings);
                }

                @Override
                public boolean isEmbedded() {
                    return true;
                }
            };

            CapturedRun.of(portTakenAfterTheCheck, "csv-agg", "--input", input.toString(), "--trigger", "available-now",
                    "--output", tmp.resolve("out").toString()).assertOneLineError("patterns csv-agg: port "
                    + busy.getLocalPort() + " (Flink web UI) is already in use; stop what uses it or choose another port"
                    + " with --web-ui-port (see 'patterns csv-agg --help')");
            embedded.removeWorkingDirectory();
        }
    }

    @Test
    void aMissingConfigDirectoryIsAUsageError() {
        assertThatThrownBy(() -> new EmbeddedRuntime(tmp).configuration(new Configuration()))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith("no config.yaml in " + DisplayPath.of(tmp));
    }

    @Test
    @Timeout(180)
    void csvAggRunsOnTheEmbeddedRuntimeWithRocksDbCheckpointsAndTheWebUi() throws Exception {
        Path input = Files.createDirectories(tmp.resolve("input"));
        Files.writeString(input.resolve("event_batch_0.csv"),
                "timestamp,user_id,event\n2025-07-15T15:03:21,1,login\n2025-07-15T15:03:22,2,view\n2025-07-15T15:03:23,3,view\n");
        int webUiPort;
        try (ServerSocket free = new ServerSocket(0)) {
            webUiPort = free.getLocalPort();
        }
        Path tmpDir = Files.createDirectories(tmp.resolve("tmpdir"));
        EmbeddedRuntime runtime = new EmbeddedRuntime(CONF, tmpDir);
        CapturedRun run = CapturedRun.of(runtime, "csv-agg", "--input", input.toString(),
                "--trigger", "available-now", "--web-ui-port", String.valueOf(webUiPort),
                "--checkpoint-dir", tmp.resolve("checkpoints").toString(), "--output", tmp.resolve("out").toString());

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("""
                Flink web UI: http://localhost:%d  (Ctrl+C stops the job)
                -------------------------------------------
                Batch: 0
                -------------------------------------------
                +-----+-----+
                |event|count|
                +-----+-----+
                |login|    1|
                | view|    2|
                +-----+-----+

                """.formatted(webUiPort));
        // --checkpoint-dir reached the job: its checkpoint storage (<job id>/shared for incremental RocksDB files) is there.
        try (var files = Files.walk(tmp.resolve("checkpoints"), 2)) {
            assertThat(files.filter(f -> f.getFileName().toString().equals("shared")).count()).isEqualTo(1);
        }
        // The MiniCluster worked in this process's own directory, which goes at the end of the run.
        Path workingDir = runtime.workingDirectory();
        assertThat(workingDir.getParent()).isEqualTo(tmpDir);
        assertThat(workingDir).isDirectory();
        runtime.removeWorkingDirectory();
        try (var left = Files.list(tmpDir)) {
            assertThat(left).isEmpty();
        }
    }
    /**
     * A local run exits with its job and takes its REST API along: {@code stop} says the same thing whichever it sees
     * first, the end state or the exit (the docs' checked output depends on it).
     */
    @Test
    @Timeout(180)
    void stoppingALocalRunSaysTheSameEveryTime() throws Exception {
        Path input = Files.createDirectories(tmp.resolve("input"));
        Files.writeString(input.resolve("event_batch_0.csv"), "timestamp,user_id,event\n2025-07-15T15:03:21,1,login\n");
        EmbeddedRuntime runtime = new EmbeddedRuntime(CONF, Files.createDirectories(tmp.resolve("tmpdir")));
        for (boolean withSavepoint : new boolean[] {false, true}) {
            int webUiPort;
            try (ServerSocket free = new ServerSocket(0)) {
                webUiPort = free.getLocalPort();
            }
            String rest = "http://localhost:" + webUiPort;
            PrintStream discard = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> PatternsCli.run(new String[] {"csv-log",
                    "--input", input.toString(), "--sink", "noop", "--web-ui-port", String.valueOf(webUiPort),
                    "--checkpoint-dir", tmp.resolve("checkpoints").toString(), "--progress-interval", "0s"},
                    runtime, discard, discard));
            Await.until("csv-log running at " + rest, Duration.ofSeconds(90), () -> {
                assertThat(run).isNotDone();
                return CapturedRun.of(runtime, "progress", "csv-log", "--rest", rest).out().contains("\"RUNNING\"");
            });
            CapturedRun stop = withSavepoint
                    ? CapturedRun.of(runtime, "stop", "csv-log", "--rest", rest, "--savepoint=" + tmp.resolve("savepoints"))
                    : CapturedRun.of(runtime, "stop", "csv-log", "--rest", rest);
            assertThat(stop.err()).isEmpty();
            assertThat(stop.exitCode()).isZero();
            assertThat(stop.out()).matches(withSavepoint
                    ? "Stopped job \\w{32} 'csv-log .*' with a savepoint: .*/savepoint-\\w+-\\w+\nJob state: FINISHED\n"
                    : "Cancelled job \\w{32} 'csv-log .*': ended \\(its local run exited with it\\)\n");
            assertThat(run.get(60, TimeUnit.SECONDS)).isEqualTo(withSavepoint ? 0 : 1);
        }
    }
}
