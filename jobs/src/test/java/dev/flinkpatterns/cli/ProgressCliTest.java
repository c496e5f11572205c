package dev.flinkpatterns.cli;

import dev.flinkpatterns.testing.Await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.run.ExecutionRuntime;
import dev.flinkpatterns.testing.FlinkTests;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A running job prints its progress: rows read, late rows dropped and dead letters, from its accumulators. */
class ProgressCliTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster(fastHeartbeats());

    @TempDir
    Path tmp;

    private static Configuration fastHeartbeats() {
        Configuration configuration = new Configuration();
        configuration.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofMillis(200));
        return configuration;
    }

    @Test
    void aWatchingRunReportsTheRowsItReadWhileItRuns(@InjectMiniCluster MiniCluster cluster) throws Exception {
        Path input = tmp.resolve("in");
        FlinkTests.writeLines(input, "event_batch_0.csv", "timestamp,user_id,event",
                "2025-07-15T10:00:00,1,view", "2025-07-15T10:00:01,2,login", "not,a,row", "2025-07-15T10:00:02,3,view");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream discard = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> PatternsCli.run(new String[] {"csv-agg",
                "--input", input.toString(), "--output", tmp.resolve("out").toString(), "--progress-interval", "200ms"},
                ExecutionRuntime.CONTEXT, discard, errStream));

        // Four rows were read (one a dead letter; the header is no record); the job keeps watching the directory.
        String expected = "progress: 4 records read";
        Await.until("a progress line with 4 records read", Duration.ofSeconds(60),
                () -> err.toString(StandardCharsets.UTF_8).contains(expected));
        for (var job : cluster.listJobs().get()) {
            if (job.getJobState() == JobStatus.RUNNING) {
                cluster.cancelJob(job.getJobId()).get();
            }
        }
        run.get(60, TimeUnit.SECONDS);
        assertThat(err.toString(StandardCharsets.UTF_8).lines().filter(line -> line.startsWith(expected)))
                .first().asString().matches("progress: 4 records read \\(\\d+ records/s\\), 1 dead letter");
    }
}
