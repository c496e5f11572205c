package dev.flinkpatterns.io.foreachbatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.table.RowFilter;
import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.testing.FailureInjector;
import dev.flinkpatterns.testing.FlinkTests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** foreachBatch in jobs that fail and restart: every row takes effect once, in exactly one batch. */
class ForeachBatchSinkExactlyOnceTest {

    private static final int ROWS = 6_000;

    /** Every handler call of the running test: (batch, row keys). Tests run one at a time in this class. */
    private static final Queue<HandlerCall> CALLS = new ConcurrentLinkedQueue<>();
    private static final AtomicReference<BatchId> CRASHED = new AtomicReference<>();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster(restartAFewTimes());

    @TempDir
    Path tmp;

    record HandlerCall(BatchId batch, List<String> keys) {}

    private static Configuration restartAFewTimes() {
        Configuration configuration = new Configuration();
        configuration.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        configuration.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 10);
        configuration.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
        return configuration;
    }

    private static void record(BatchId batch, List<Change> rows) {
        CALLS.add(new HandlerCall(batch, rows.stream().map(Change::key).toList()));
    }

    @Test
    void threeFailuresAndEveryRowIsHandledInExactlyOneBatch() throws Exception {
        CALLS.clear();
        StreamExecutionEnvironment env = checkpointedEnvironment();
        BatchRows.numbered(env, ROWS)
                .map(FailureInjector.<Change>failAfterCheckpoints("foreach-batch-three-failures", 2, 4, 3))
                .returns(BatchRows.TYPE)
                .name("failure injector")
                .sinkTo(new ForeachBatchSink(tmp.resolve("state").toString(), ForeachBatchSinkExactlyOnceTest::record));

        runToEnd(env);

        assertThat(FailureInjector.failures("foreach-batch-three-failures")).isEqualTo(3);
        Map<BatchId, List<HandlerCall>> callsByBatch = CALLS.stream().collect(Collectors.groupingBy(HandlerCall::batch));
        // A batch handled again (a crash between handler and marker) comes with the same rows: the handler's premise.
        callsByBatch.values().forEach(calls -> assertThat(calls).extracting(HandlerCall::keys).containsOnly(calls.get(0).keys()));
        List<String> rowsOfAllBatches = callsByBatch.values().stream().flatMap(calls -> calls.get(0).keys().stream())
                .sorted().toList();
        assertThat(rowsOfAllBatches).containsExactlyElementsOf(BatchRows.keys(ROWS));
        assertThat(callsByBatch).hasSizeGreaterThan(5);
        assertThat(pendingFiles(tmp.resolve("state"))).isEmpty();
    }

    @Test
    void aBatchWhoseJobFailsAfterTheHandlerWroteAndBeforeTheMarkerTakesEffectOnce() throws Exception {
        CALLS.clear();
        CRASHED.set(null);
        Path out = tmp.resolve("out");
        BatchHandler toTwoSinks = BatchHandler.all(
                JsonLinesBatchFiles.all(out.resolve("batches").toString(), "batch", BatchRows.SCHEMA, false),
                JsonLinesBatchFiles.where(out.resolve("alerts").toString(), "alerts", BatchRows.SCHEMA, false,
                        RowFilter.parse("priority=high", BatchRows.SCHEMA)));
        StreamExecutionEnvironment env = checkpointedEnvironment();
        BatchRows.numbered(env, ROWS)
                .sinkTo(new ForeachBatchSink(tmp.resolve("state").toString(), (batch, rows) -> {
                    toTwoSinks.handle(batch, rows);
                    record(batch, rows);
                    // Not transient: no retry in place; the job fails and restarts, the marker was never written.
                    if (batch.subtask() == 0 && batch.checkpoint() >= 3 && CRASHED.compareAndSet(null, batch)) {
                        throw new IllegalStateException("crash after the handler wrote batch " + batch
                                + ", before it is marked handled");
                    }
                }));

        runToEnd(env);

        BatchId crashed = CRASHED.get();
        assertThat(crashed).isNotNull();
        List<HandlerCall> callsOfCrashed = CALLS.stream().filter(call -> call.batch().equals(crashed)).toList();
        assertThat(callsOfCrashed).as("the crashed batch is handled again after the restart, with the same rows")
                .hasSize(2);
        assertThat(callsOfCrashed.get(1).keys()).isNotEmpty().isEqualTo(callsOfCrashed.get(0).keys());
        assertThat(FlinkTests.linesOfVisibleFiles(out.resolve("batches"))).containsExactlyElementsOf(BatchRows.jsonLines(ROWS, false));
        assertThat(FlinkTests.linesOfVisibleFiles(out.resolve("alerts"))).containsExactlyElementsOf(BatchRows.jsonLines(ROWS, true));
        assertThat(pendingFiles(tmp.resolve("state"))).isEmpty();
    }

    static StreamExecutionEnvironment checkpointedEnvironment() {
        StreamExecutionEnvironment env = FlinkTests.environment();
        env.setParallelism(2);
        env.enableCheckpointing(200);
        return env;
    }

    static void runToEnd(StreamExecutionEnvironment env) throws Exception {
        env.executeAsync("foreach-batch").getJobExecutionResult().get(3, TimeUnit.MINUTES);
    }

    static List<String> pendingFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(name -> name.endsWith(".pending")).toList();
        }
    }
}
