package dev.flinkpatterns.io.twophase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.testing.Await;
import dev.flinkpatterns.testing.FailureInjector;
import dev.flinkpatterns.testing.FlinkTests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink in real jobs that fail and restart: every row of a replayable source lands in the visible files exactly
 * once, whatever point of the protocol the failure hits.
 */
class TransactionalFileSinkExactlyOnceTest {

    private static final int ROWS = 12_000;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster(retainingEveryCheckpoint());

    /** Restarts, and every retained checkpoint kept (a JobManager setting): a test restores an older one. */
    private static org.apache.flink.configuration.Configuration retainingEveryCheckpoint() {
        org.apache.flink.configuration.Configuration configuration = FlinkTests.restarts();
        configuration.setString("execution.checkpointing.num-retained", "1000");
        return configuration;
    }

    @TempDir
    Path tmp;


    @Test
    void threeFailuresAtDifferentPointsLoseNoRowAndDuplicateNone() throws Exception {
        Path output = tmp.resolve("out");
        StreamExecutionEnvironment env = checkpointedEnvironment();
        numberedRows(env)
                .map(FailureInjector.<String>failAfterCheckpoints("2pc-three-failures", 2, 4, 3)).returns(Types.STRING)
                .name("failure injector")
                .sinkTo(TransactionalFileSink.lines(output.toString(), "part", ".txt", row -> row))
                .name("2pc files");

        try (Reader reader = new Reader(output)) {
            runToEnd(env);
            assertThat(reader.filesChangedAfterTheyBecameVisible()).isEmpty();
        }

        assertThat(FailureInjector.failures("2pc-three-failures")).isEqualTo(3);
        assertThat(FlinkTests.linesOfVisibleFiles(output)).containsExactlyElementsOf(expectedRows());
        assertThat(hiddenFiles(output)).isEmpty();
    }

    @Test
    void checkpointsThatFailAfterThePreCommitLoseNoRowAndDuplicateNone() throws Exception {
        Path output = tmp.resolve("out");
        StreamExecutionEnvironment env = checkpointedEnvironment();
        numberedRows(env)
                .map(new FailingSnapshots<String>(2, 3, 1)).returns(Types.STRING)
                .name("failing snapshots")
                .sinkTo(TransactionalFileSink.lines(output.toString(), "part", ".txt", row -> row))
                .name("2pc files");

        try (Reader reader = new Reader(output)) {
            runToEnd(env);
            assertThat(reader.filesChangedAfterTheyBecameVisible()).isEmpty();
        }

        assertThat(FailingSnapshots.FAILURES.get()).isEqualTo(3);
        assertThat(FlinkTests.linesOfVisibleFiles(output)).containsExactlyElementsOf(expectedRows());
        assertThat(hiddenFiles(output)).isEmpty();
    }

    @Test
    void aCrashBetweenPreCommitAndCommitAndOneAfterTheRenameLoseNothingAndDuplicateNothing() throws Exception {
        Path output = tmp.resolve("out");
        StreamExecutionEnvironment env = checkpointedEnvironment();
        numberedRows(env).sinkTo(new CrashingCommits(TransactionalFileSink.lines(output.toString(), "part", ".txt", row -> row)))
                .name("2pc files, crashing commits");

        try (Reader reader = new Reader(output)) {
            runToEnd(env);
            assertThat(reader.filesChangedAfterTheyBecameVisible()).isEmpty();
        }

        assertThat(CrashingCommits.CRASHES.get()).isEqualTo(2);
        // the crash after the rename: the restarted committer found the final file and did nothing
        assertThat(CrashingCommits.ALREADY_COMMITTED.get()).isPositive();
        assertThat(FlinkTests.linesOfVisibleFiles(output)).containsExactlyElementsOf(expectedRows());
        assertThat(hiddenFiles(output)).isEmpty();
    }

    /**
     * A restore from an older checkpoint: the first run commits checkpoints 1..N and is cancelled; the second
     * restores checkpoint 2 and runs to the end with a long checkpoint interval, so its replay cuts the rows into
     * other transactions (one per subtask, committed at the end) than the first run's 3..N. The committed files must
     * hold every row once, and no file may change its content while visible.
     */
    @Test
    void aRestoreFromAnOlderCheckpointLeavesEveryRowOnceAndRewritesNoCommittedFile() throws Exception {
        Path output = tmp.resolve("out");
        Path checkpoints = tmp.resolve("checkpoints");
        try (Reader reader = new Reader(output)) {
            StreamExecutionEnvironment first = retainingEnvironment(checkpoints, "100ms", Map.of());
            numberedRows(first).sinkTo(TransactionalFileSink.lines(output.toString(), "part", ".txt", row -> row))
                    .name("2pc files").uid("2pc-files");
            JobClient firstRun = first.executeAsync("two-phase commit file sink, first run");
            // Files of transactions after checkpoint 3 committed: the restore below has later files to supersede.
            Await.until("files committed after checkpoint 3", Duration.ofSeconds(60),
                    () -> visibleTransactions(output).stream().anyMatch(number -> number > 3));
            firstRun.cancel().get(30, TimeUnit.SECONDS);
            Path checkpoint2 = checkpoints.resolve(firstRun.getJobID().toString()).resolve("chk-2");
            try (Stream<Path> all = Files.walk(checkpoints, 2)) {
                assertThat(checkpoint2.resolve("_metadata")).as("retained: %s", all.toList()).exists();
            }

            StreamExecutionEnvironment second = retainingEnvironment(checkpoints, "10min",
                    Map.of("execution.state-recovery.path", checkpoint2.toUri().toString()));
            numberedRows(second).sinkTo(TransactionalFileSink.lines(output.toString(), "part", ".txt", row -> row))
                    .name("2pc files").uid("2pc-files");
            runToEnd(second);

            assertThat(reader.filesRewrittenInPlace()).isEmpty();
        }
        // Read back by another reader than the writer: every visible line of the directory.
        assertThat(FlinkTests.linesOfVisibleFiles(output)).containsExactlyElementsOf(expectedRows());
        assertThat(hiddenFiles(output)).isEmpty();
    }

    /** Checkpoints every {@code interval} into {@code directory}, every one kept (a restore can pick an older one). */
    private static StreamExecutionEnvironment retainingEnvironment(Path directory, String interval,
            Map<String, String> more) {
        Map<String, String> settings = new java.util.HashMap<>(Map.of(
                "execution.checkpointing.interval", interval,
                "execution.checkpointing.dir", directory.toUri().toString(),
                "execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION"));
        settings.putAll(more);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                org.apache.flink.configuration.Configuration.fromMap(settings));
        env.getConfig().enableObjectReuse();
        env.setParallelism(2);
        return env;
    }

    /** The transaction numbers of the committed files ({@code part-<subtask>-<n>[-<run>].txt}). */
    private static List<Long> visibleTransactions(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        java.util.regex.Pattern committed = java.util.regex.Pattern.compile("part-\\d+-(\\d+)(-[0-9a-f]+)?\\.txt");
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(file -> committed.matcher(file.getFileName().toString()))
                    .filter(java.util.regex.Matcher::matches)
                    .map(matcher -> Long.parseLong(matcher.group(1)))
                    .toList();
        }
    }

    private static StreamExecutionEnvironment checkpointedEnvironment() {
        StreamExecutionEnvironment env = FlinkTests.environment();
        env.setParallelism(2);
        env.enableCheckpointing(200);
        return env;
    }

    /** row-00000 to row-11999, slow enough (3,000 rows/s) that the run spans many checkpoints. */
    private static DataStream<String> numberedRows(StreamExecutionEnvironment env) {
        DataGeneratorSource<String> source = new DataGeneratorSource<>(
                TransactionalFileSinkExactlyOnceTest::row, ROWS, RateLimiterStrategy.perSecond(3_000), Types.STRING);
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "numbered rows");
    }

    private static String row(long number) {
        return String.format("row-%05d", number);
    }

    private static List<String> expectedRows() {
        return LongStream.range(0, ROWS).mapToObj(TransactionalFileSinkExactlyOnceTest::row).toList();
    }

    private static void runToEnd(StreamExecutionEnvironment env) throws Exception {
        JobClient job = env.executeAsync("two-phase commit file sink");
        job.getJobExecutionResult().get(3, TimeUnit.MINUTES);
    }

    private static List<String> hiddenFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(name -> name.startsWith(".")).toList();
        }
    }

    /**
     * Fails checkpoints after the sink has pre-committed. Chained in front of the writer, its snapshot runs after
     * the writer's pre-commit (Flink calls every operator's prepareSnapshotPreBarrier first) and throws: the task
     * fails, and the job restarts from the checkpoint before, with a pre-committed transaction that no completed
     * checkpoint covers. Subtask 0 fails once per entry, after that many successful snapshots since (re)start.
     */
    private static final class FailingSnapshots<T> extends RichMapFunction<T, T> implements CheckpointedFunction {

        static final AtomicInteger FAILURES = new AtomicInteger();

        private final List<Integer> snapshotsBeforeEachFailure;
        private transient int snapshotsSinceStart;

        FailingSnapshots(Integer... snapshotsBeforeEachFailure) {
            this.snapshotsBeforeEachFailure = List.of(snapshotsBeforeEachFailure);
            FAILURES.set(0);
        }

        @Override
        public T map(T row) {
            return row;
        }

        @Override
        public void initializeState(FunctionInitializationContext context) {
            snapshotsSinceStart = 0;
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) {
            int done = FAILURES.get();
            if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0
                    && done < snapshotsBeforeEachFailure.size()
                    && snapshotsSinceStart >= snapshotsBeforeEachFailure.get(done)
                    && FAILURES.compareAndSet(done, done + 1)) {
                throw new IllegalStateException("injected failure of checkpoint " + context.getCheckpointId()
                        + " after the pre-commit");
            }
            snapshotsSinceStart++;
        }
    }

    /**
     * What a downstream reader sees: polls the visible files while the job runs and remembers each one's content
     * when first seen. Exactly-once for a reader means a visible file never changes or disappears afterwards.
     */
    private static final class Reader implements AutoCloseable {
        private final Path dir;
        private final Map<String, List<String>> firstSeen = new ConcurrentHashMap<>();
        private final List<String> changed = new CopyOnWriteArrayList<>();
        private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();

        Reader(Path dir) {
            this.dir = dir;
            poller.scheduleWithFixedDelay(this::poll, 0, 10, TimeUnit.MILLISECONDS);
        }

        private void poll() {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter(f -> !f.getFileName().toString().startsWith(".")).toList()) {
                    firstSeen.putIfAbsent(file.getFileName().toString(), Files.readAllLines(file));
                }
            } catch (IOException e) {
                // the directory does not exist yet, or a file was renamed over while listing: next poll
            }
        }

        /** The files that are still there with another content than when the reader first saw them. */
        List<String> filesRewrittenInPlace() throws Exception {
            poller.shutdown();
            poller.awaitTermination(10, TimeUnit.SECONDS);
            List<String> rewritten = new ArrayList<>();
            for (var seen : firstSeen.entrySet()) {
                Path file = dir.resolve(seen.getKey());
                if (Files.exists(file) && !Files.readAllLines(file).equals(seen.getValue())) {
                    rewritten.add(seen.getKey());
                }
            }
            return rewritten;
        }

        /** The files whose content differs now from when the reader first saw them. */
        List<String> filesChangedAfterTheyBecameVisible() throws Exception {
            poller.shutdown();
            poller.awaitTermination(10, TimeUnit.SECONDS);
            for (var seen : firstSeen.entrySet()) {
                Path file = dir.resolve(seen.getKey());
                if (!Files.exists(file) || !Files.readAllLines(file).equals(seen.getValue())) {
                    changed.add(seen.getKey());
                }
            }
            return changed;
        }

        @Override
        public void close() {
            poller.shutdownNow();
        }
    }

    /**
     * The sink with a committer (of subtask 0) that crashes twice: on its first commit before renaming anything (a
     * crash between pre-commit and commit), and on its third after renaming (a crash before Flink learns the commit
     * is done).
     */
    private static final class CrashingCommits
            implements Sink<String>, SupportsCommitter<PendingFile>, SupportsWriterState<String, Void> {

        static final AtomicInteger COMMITS = new AtomicInteger();
        static final AtomicInteger CRASHES = new AtomicInteger();
        static final AtomicInteger ALREADY_COMMITTED = new AtomicInteger();

        private final TransactionalFileSink<String> sink;

        CrashingCommits(TransactionalFileSink<String> sink) {
            this.sink = sink;
            COMMITS.set(0);
            CRASHES.set(0);
            ALREADY_COMMITTED.set(0);
        }

        @Override
        public TransactionalFileWriter<String> createWriter(WriterInitContext context) throws IOException {
            return sink.createWriter(context);
        }

        @Override
        public StatefulSinkWriter<String, Void> restoreWriter(WriterInitContext context, Collection<Void> state)
                throws IOException {
            return sink.restoreWriter(context, state);
        }

        @Override
        public SimpleVersionedSerializer<Void> getWriterStateSerializer() {
            return sink.getWriterStateSerializer();
        }

        @Override
        public SimpleVersionedSerializer<PendingFile> getCommittableSerializer() {
            return sink.getCommittableSerializer();
        }

        @Override
        public Committer<PendingFile> createCommitter(CommitterInitContext context) {
            FileCommitter committer = sink.createCommitter(context);
            boolean crashing = context.getTaskInfo().getIndexOfThisSubtask() == 0;
            return new Committer<>() {
                @Override
                public void commit(Collection<CommitRequest<PendingFile>> requests) throws IOException {
                    if (!crashing || requests.isEmpty()) {
                        committer.commit(requests.stream().map(CrashingCommits::recording).toList());
                        return;
                    }
                    int attempt = COMMITS.incrementAndGet();
                    if (attempt == 1) {
                        CRASHES.incrementAndGet();
                        throw new IOException("crash after pre-commit, before the commit");
                    }
                    committer.commit(requests.stream().map(CrashingCommits::recording).toList());
                    if (attempt == 3) {
                        CRASHES.incrementAndGet();
                        throw new IOException("crash after the rename, before Flink records the commit");
                    }
                }

                @Override
                public void close() throws Exception {
                    committer.close();
                }
            };
        }

        /** Counts the "already committed" signals, passing everything on. */
        private static Committer.CommitRequest<PendingFile> recording(Committer.CommitRequest<PendingFile> request) {
            return new Committer.CommitRequest<>() {
                @Override
                public PendingFile getCommittable() {
                    return request.getCommittable();
                }

                @Override
                public int getNumberOfRetries() {
                    return request.getNumberOfRetries();
                }

                @Override
                public void signalFailedWithKnownReason(Throwable t) {
                    request.signalFailedWithKnownReason(t);
                }

                @Override
                public void signalFailedWithUnknownReason(Throwable t) {
                    request.signalFailedWithUnknownReason(t);
                }

                @Override
                public void retryLater() {
                    request.retryLater();
                }

                @Override
                public void updateAndRetryLater(PendingFile committable) {
                    request.updateAndRetryLater(committable);
                }

                @Override
                public void signalAlreadyCommitted() {
                    ALREADY_COMMITTED.incrementAndGet();
                    request.signalAlreadyCommitted();
                }
            };
        }
    }
}
