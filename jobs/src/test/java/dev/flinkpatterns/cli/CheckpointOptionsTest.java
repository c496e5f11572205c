package dev.flinkpatterns.cli;

import static dev.flinkpatterns.testing.FlinkTests.writeLines;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.run.ExecutionRuntime;
import dev.flinkpatterns.testing.CapturedRun;
import dev.flinkpatterns.testing.FlinkTests;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.CheckpointConfig;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * --checkpoint-interval and --checkpoint-timeout set the job's checkpoint configuration (over the cluster's or
 * conf/config.yaml's, which the job's settings override); without them the job keeps what the cluster says.
 */
class CheckpointOptionsTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    @TempDir
    Path tmp;

    @Test
    void theOptionsAreTheJobsCheckpointIntervalAndTimeout() throws Exception {
        CheckpointConfig checkpoints = run("--checkpoint-interval", "250ms", "--checkpoint-timeout", "30s");
        assertThat(checkpoints.getCheckpointInterval()).isEqualTo(250);
        assertThat(checkpoints.getCheckpointTimeout()).isEqualTo(30_000);
    }

    @Test
    void withoutThemTheJobKeepsTheClustersSettings() throws Exception {
        CheckpointConfig checkpoints = run();
        assertThat(checkpoints.isCheckpointingEnabled()).isFalse(); // the test cluster checkpoints nothing
        assertThat(checkpoints.getCheckpointTimeout()).isEqualTo(CheckpointingOptions.CHECKPOINTING_TIMEOUT.defaultValue().toMillis());
    }

    /** Runs csv-log over one file on the test's MiniCluster; returns the checkpoint configuration its job ran with. */
    private CheckpointConfig run(String... options) throws Exception {
        Path input = writeLines(tmp.resolve("in"), "events.csv", "timestamp,user_id,event", "2025-07-15T10:00:00,1,login")
                .getParent();
        List<StreamExecutionEnvironment> environments = new ArrayList<>();
        ExecutionRuntime recording = new ExecutionRuntime() {
            @Override
            public StreamExecutionEnvironment environment(Configuration jobSettings, PrintStream out) {
                StreamExecutionEnvironment env = ExecutionRuntime.CONTEXT.environment(jobSettings, out);
                environments.add(env);
                return env;
            }

            @Override
            public boolean isEmbedded() {
                return false;
            }
        };
        List<String> args = new ArrayList<>(List.of("csv-log", "--input", input.toString(), "--trigger", "available-now",
                "--output", tmp.resolve("out").toString(), "--progress-interval", "0s"));
        args.addAll(List.of(options));
        CapturedRun run = CapturedRun.of(recording, args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(environments).hasSize(1);
        return environments.get(0).getCheckpointConfig();
    }
}
