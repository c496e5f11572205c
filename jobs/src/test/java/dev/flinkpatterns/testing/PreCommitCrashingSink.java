package dev.flinkpatterns.testing;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Breaks a job between pre-commit and commit: wraps a two-phase Sink V2 sink, and its first subtask's writer dies in
 * {@code snapshotState} of the {@code n}-th checkpoint since the (re)start, before the wrapped writer's. By then the
 * writer has pre-committed that checkpoint ({@code prepareCommit}: flushed, transaction prepared, committables
 * emitted), and the checkpoint can never complete, so nothing commits it: as when the process is killed there.
 * Fails once per entry of {@code checkpointsBeforeEachFailure}; the count is kept per scenario in this JVM (the
 * MiniCluster runs in it), so it survives the restarts. {@link #failAfterWriterSnapshot} dies after the wrapped
 * writer's {@code snapshotState} instead: as when another operator's snapshot fails, or the process dies, once the
 * writer is done with the checkpoint but before the checkpoint completes.
 */
public final class PreCommitCrashingSink<T, S, C>
        implements Sink<T>, SupportsWriterState<T, S>, SupportsCommitter<C> {

    private static final Map<String, AtomicInteger> FAILURES = new ConcurrentHashMap<>();
    private static final Set<String> ARMED = ConcurrentHashMap.newKeySet();

    private final Sink<T> sink;
    private final String scenario;
    private final int[] checkpointsBeforeEachFailure;
    private final boolean waitsToBeArmed;
    private final boolean afterWriterSnapshot;

    private PreCommitCrashingSink(Sink<T> sink, String scenario, int[] checkpointsBeforeEachFailure,
            boolean waitsToBeArmed, boolean afterWriterSnapshot) {
        this.sink = sink;
        this.scenario = scenario;
        this.checkpointsBeforeEachFailure = checkpointsBeforeEachFailure.clone();
        this.waitsToBeArmed = waitsToBeArmed;
        this.afterWriterSnapshot = afterWriterSnapshot;
        FAILURES.put(scenario, new AtomicInteger());
        ARMED.remove(scenario);
    }

    /** A new scenario: e.g. {@code (sink, id, 3, 2)} fails in the 3rd checkpoint, then in the 2nd after the restart. */
    public static <T> Sink<T> failInCheckpoint(Sink<T> sink, String scenario, int... checkpointsBeforeEachFailure) {
        return new PreCommitCrashingSink<>(sink, scenario, checkpointsBeforeEachFailure, false, false);
    }

    /** Like {@link #failInCheckpoint}, but the wrapped writer's {@code snapshotState} of that checkpoint runs first. */
    public static <T> Sink<T> failAfterWriterSnapshot(Sink<T> sink, String scenario,
            int... checkpointsBeforeEachFailure) {
        return new PreCommitCrashingSink<>(sink, scenario, checkpointsBeforeEachFailure, false, true);
    }

    /** A new scenario that fails once, in the first checkpoint (or savepoint) after the test calls {@link #arm}. */
    public static <T> Sink<T> failInCheckpointOnceArmed(Sink<T> sink, String scenario) {
        return new PreCommitCrashingSink<>(sink, scenario, new int[] {1}, true, false);
    }

    /** Lets a {@link #failInCheckpointOnceArmed} scenario fail from now on. */
    public static void arm(String scenario) {
        ARMED.add(scenario);
    }

    /** How many times the scenario has failed the job so far. */
    public static int failures(String scenario) {
        AtomicInteger failures = FAILURES.get(scenario);
        return failures == null ? 0 : failures.get();
    }

    @Override
    public StatefulSinkWriter<T, S> createWriter(WriterInitContext context) throws IOException {
        return restoreWriter(context, List.of());
    }

    @Override
    @SuppressWarnings("unchecked")
    public StatefulSinkWriter<T, S> restoreWriter(WriterInitContext context, Collection<S> state) throws IOException {
        StatefulSinkWriter<T, S> writer = ((SupportsWriterState<T, S>) sink).restoreWriter(context, state);
        return new Writer<>(writer, context.getTaskInfo().getIndexOfThisSubtask() == 0, this);
    }

    @Override
    @SuppressWarnings("unchecked")
    public SimpleVersionedSerializer<S> getWriterStateSerializer() {
        return ((SupportsWriterState<T, S>) sink).getWriterStateSerializer();
    }

    @Override
    @SuppressWarnings("unchecked")
    public Committer<C> createCommitter(CommitterInitContext context) throws IOException {
        return ((SupportsCommitter<C>) sink).createCommitter(context);
    }

    @Override
    @SuppressWarnings("unchecked")
    public SimpleVersionedSerializer<C> getCommittableSerializer() {
        return ((SupportsCommitter<C>) sink).getCommittableSerializer();
    }

    private boolean failNow(int checkpointsSinceStart) {
        if (waitsToBeArmed && !ARMED.contains(scenario)) {
            return false;
        }
        AtomicInteger failures = FAILURES.get(scenario);
        int done = failures.get();
        return done < checkpointsBeforeEachFailure.length && checkpointsSinceStart >= checkpointsBeforeEachFailure[done]
                && failures.compareAndSet(done, done + 1);
    }

    private static final class Writer<T, S, C> implements StatefulSinkWriter<T, S>, CommittingSinkWriter<T, C> {
        private final StatefulSinkWriter<T, S> writer;
        private final boolean failing;
        private final PreCommitCrashingSink<T, S, C> scenario;
        private int checkpointsSinceStart;

        Writer(StatefulSinkWriter<T, S> writer, boolean failing, PreCommitCrashingSink<T, S, C> scenario) {
            this.writer = writer;
            this.failing = failing;
            this.scenario = scenario;
        }

        @Override
        public void write(T element, Context context) throws IOException, InterruptedException {
            writer.write(element, context);
        }

        @Override
        public void flush(boolean endOfInput) throws IOException, InterruptedException {
            writer.flush(endOfInput);
        }

        @Override
        @SuppressWarnings("unchecked")
        public Collection<C> prepareCommit() throws IOException, InterruptedException {
            return ((CommittingSinkWriter<T, C>) writer).prepareCommit();
        }

        @Override
        public List<S> snapshotState(long checkpointId) throws IOException {
            List<S> state = scenario.afterWriterSnapshot ? writer.snapshotState(checkpointId) : null;
            if (failing) {
                if (!scenario.waitsToBeArmed || ARMED.contains(scenario.scenario)) {
                    checkpointsSinceStart++;
                }
                if (scenario.failNow(checkpointsSinceStart)) {
                    throw new FailureInjector.InjectedFailure("injected failure between pre-commit and commit of "
                            + "checkpoint " + checkpointId);
                }
            }
            return scenario.afterWriterSnapshot ? state : writer.snapshotState(checkpointId);
        }

        @Override
        public void close() throws Exception {
            writer.close();
        }
    }
}
