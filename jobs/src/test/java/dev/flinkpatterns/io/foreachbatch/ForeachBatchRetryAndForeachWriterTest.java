package dev.flinkpatterns.io.foreachbatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinkpatterns.io.foreachbatch.BatchHandler.TransientBatchFailure;
import dev.flinkpatterns.io.twophase.FileCommitter;
import dev.flinkpatterns.io.twophase.PendingFile;
import dev.flinkpatterns.io.twophase.TransactionFiles;
import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.testing.FlinkTests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transient handler errors are retried in place (this cluster has no restarts: a job failure fails the test), and
 * the per-row foreach writer sees open, process and close as Spark's ForeachWriter documents.
 */
class ForeachBatchRetryAndForeachWriterTest {

    private static final int ROWS = 3_000;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    @TempDir
    Path tmp;

    private static final AtomicReference<BatchId> FLAKY_BATCH = new AtomicReference<>();
    private static final Queue<Long> FLAKY_ATTEMPTS_NANOS = new ConcurrentLinkedQueue<>();

    @Test
    void aHandlerFailingTwiceIsRetriedWithBackoffAndWritesEachRowOnceWithoutARestart() throws Exception {
        FLAKY_BATCH.set(null);
        FLAKY_ATTEMPTS_NANOS.clear();
        Path out = tmp.resolve("batches");
        BatchHandler files = JsonLinesBatchFiles.all(out.toString(), "batch", BatchRows.SCHEMA, false);
        StreamExecutionEnvironment env = ForeachBatchSinkExactlyOnceTest.checkpointedEnvironment();
        BatchRows.numbered(env, ROWS).sinkTo(new ForeachBatchSink(tmp.resolve("state").toString(), (batch, rows) -> {
            FLAKY_BATCH.compareAndSet(null, batch);
            if (batch.equals(FLAKY_BATCH.get())) {
                FLAKY_ATTEMPTS_NANOS.add(System.nanoTime());
                files.handle(batch, rows.subList(0, rows.size() / 2));  // half written, as a real failure might
                if (FLAKY_ATTEMPTS_NANOS.size() <= 2) {
                    throw new TransientBatchFailure("database busy (attempt " + FLAKY_ATTEMPTS_NANOS.size() + ")");
                }
            }
            files.handle(batch, rows);
        }, new Retry(3, Duration.ofMillis(100))));

        ForeachBatchSinkExactlyOnceTest.runToEnd(env);

        List<Long> attempts = new ArrayList<>(FLAKY_ATTEMPTS_NANOS);
        assertThat(attempts).hasSize(3);
        assertThat(Duration.ofNanos(attempts.get(1) - attempts.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(100));
        assertThat(Duration.ofNanos(attempts.get(2) - attempts.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(FlinkTests.linesOfVisibleFiles(out)).containsExactlyElementsOf(BatchRows.jsonLines(ROWS, false));
    }

    @Test
    void aBatchFailingOnEveryAttemptIsNotMarkedAndAHandledBatchIsNotHandledAgain() throws Exception {
        TransactionFiles names = new TransactionFiles("batch", ".jsonl");
        PendingFile batch = new PendingFile(tmp.resolve(".batch-1-7.jsonl.pending").toString(),
                tmp.resolve("batch-1-7.jsonl").toString());
        Files.write(batch.pending(), List.of(ChangeLines.line(Change.of("a", "a", "high")), ChangeLines.line(Change.delete("b"))));
        AtomicInteger calls = new AtomicInteger();
        List<Change> handled = new ArrayList<>();

        BatchCommitter alwaysBusy = new BatchCommitter(names, (id, rows) -> {
            calls.incrementAndGet();
            throw new TransientBatchFailure("busy");
        }, new Retry(3, Duration.ofMillis(1)));
        assertThatThrownBy(() -> alwaysBusy.commit(batch)).isInstanceOf(java.io.IOException.class);
        assertThat(calls).hasValue(3);
        assertThat(batch.pending()).exists();
        assertThat(batch.finalFile()).doesNotExist();

        BatchCommitter working = new BatchCommitter(names, (id, rows) -> {
            assertThat(id).isEqualTo(new BatchId(7, 1));
            handled.addAll(rows);
        }, Retry.DEFAULT);
        assertThat(working.commit(batch)).isEqualTo(FileCommitter.Outcome.COMMITTED);
        assertThat(handled).containsExactly(Change.of("a", "a", "high"), Change.delete("b"));
        assertThat(batch.finalFile()).exists();

        assertThat(working.commit(batch)).isEqualTo(FileCommitter.Outcome.ALREADY_COMMITTED);
        assertThat(handled).hasSize(2);
    }

    /** Every call on the recording writers, per partition, in order. */
    private static final Map<Integer, Queue<String>> EVENTS = new java.util.concurrent.ConcurrentHashMap<>();

    private static final class RecordingWriter implements ForeachWriter<Change> {
        private final boolean refusePartitionOne;
        private transient int partition;

        RecordingWriter(boolean refusePartitionOne) {
            this.refusePartitionOne = refusePartitionOne;
        }

        private void event(String event) {
            EVENTS.computeIfAbsent(partition, p -> new ConcurrentLinkedQueue<>()).add(event);
        }

        @Override
        public boolean open(int partitionId, long epochId) {
            partition = partitionId;
            event("open " + epochId);
            return !(refusePartitionOne && partitionId == 1);
        }

        @Override
        public void process(Change row) {
            event("process " + row.key());
        }

        @Override
        public void close(Throwable errorOrNull) {
            event("close " + errorOrNull);
        }
    }

    @Test
    void theForeachWriterOpensEachEpochProcessesItsRowsAndClosesIt() throws Exception {
        EVENTS.clear();
        StreamExecutionEnvironment env = ForeachBatchSinkExactlyOnceTest.checkpointedEnvironment();
        BatchRows.numbered(env, ROWS).sinkTo(new ForeachSink<>(new RecordingWriter(false)));

        ForeachBatchSinkExactlyOnceTest.runToEnd(env);

        assertThat(EVENTS).containsOnlyKeys(0, 1);
        List<String> processed = new ArrayList<>();
        for (Queue<String> events : EVENTS.values()) {
            // open, its rows, close(null): again and again; epochs rise
            String sequence = events.stream().map(e -> e.split(" ")[0]).collect(Collectors.joining(","));
            assertThat(sequence).matches("open(,process)+,close(,open(,process)+,close)*");
            assertThat(events).filteredOn(e -> e.startsWith("close")).containsOnly("close null");
            List<Long> epochs = events.stream().filter(e -> e.startsWith("open"))
                    .map(e -> Long.parseLong(e.substring(5))).toList();
            assertThat(epochs).hasSizeGreaterThan(1).isSorted().doesNotHaveDuplicates();
            events.stream().filter(e -> e.startsWith("process")).map(e -> e.substring(8)).forEach(processed::add);
        }
        processed.sort(null);
        assertThat(processed).containsExactlyElementsOf(BatchRows.keys(ROWS));
    }

    @Test
    void anEpochWhoseOpenReturnsFalseProcessesNothingButIsClosed() throws Exception {
        EVENTS.clear();
        StreamExecutionEnvironment env = ForeachBatchSinkExactlyOnceTest.checkpointedEnvironment();
        BatchRows.numbered(env, ROWS).sinkTo(new ForeachSink<>(new RecordingWriter(true)));

        ForeachBatchSinkExactlyOnceTest.runToEnd(env);

        String refused = EVENTS.get(1).stream().map(e -> e.split(" ")[0]).collect(Collectors.joining(","));
        assertThat(refused).matches("open,close(,open,close)*");
        assertThat(EVENTS.get(0)).anyMatch(e -> e.startsWith("process"));
    }
}
