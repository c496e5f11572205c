package dev.flinkpatterns.testing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * Breaks a job on purpose, for exactly-once tests: passes rows through, and its first subtask throws once a given
 * number of checkpoints have completed since the job (re)started — one failure per entry of
 * {@code checkpointsBeforeEachFailure}, so the failures fall at different points of the run. The count of failures
 * so far is kept per scenario in this JVM (the MiniCluster runs in it), so it survives the restarts.
 * {@link #failOnCheckpointComplete} throws in the notification of that checkpoint instead: the checkpoint is complete,
 * and sinks that commit on the same notification (in other tasks) may or may not have committed it when the job fails.
 */
public final class FailureInjector<T> extends RichMapFunction<T, T> implements CheckpointListener {

    private static final Map<String, AtomicInteger> FAILURES = new ConcurrentHashMap<>();

    private final String scenario;
    private final List<Integer> checkpointsBeforeEachFailure;
    private final boolean inNotification;
    private transient int checkpointsSinceStart;
    private transient boolean failingSubtask;

    private FailureInjector(String scenario, List<Integer> checkpointsBeforeEachFailure, boolean inNotification) {
        this.scenario = scenario;
        this.checkpointsBeforeEachFailure = List.copyOf(checkpointsBeforeEachFailure);
        this.inNotification = inNotification;
    }

    /** A new scenario (its failure count starts at 0); e.g. {@code (id, 2, 1, 3)}: three failures. */
    public static <T> FailureInjector<T> failAfterCheckpoints(String scenario, Integer... checkpointsBeforeEachFailure) {
        FAILURES.put(scenario, new AtomicInteger());
        return new FailureInjector<>(scenario, List.of(checkpointsBeforeEachFailure), false);
    }

    /** Like {@link #failAfterCheckpoints}, but fails in the completion notification of the n-th checkpoint. */
    public static <T> FailureInjector<T> failOnCheckpointComplete(String scenario, Integer... checkpointsBeforeEachFailure) {
        FAILURES.put(scenario, new AtomicInteger());
        return new FailureInjector<>(scenario, List.of(checkpointsBeforeEachFailure), true);
    }

    /** How many times the scenario has failed the job so far. */
    public static int failures(String scenario) {
        AtomicInteger failures = FAILURES.get(scenario);
        return failures == null ? 0 : failures.get();
    }

    @Override
    public void open(OpenContext openContext) {
        checkpointsSinceStart = 0;
        failingSubtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0;
    }

    @Override
    public T map(T row) {
        if (!inNotification) {
            failIfDue();
        }
        return row;
    }

    private void failIfDue() {
        if (failingSubtask) {
            AtomicInteger failures = FAILURES.get(scenario);
            int done = failures.get();
            if (done < checkpointsBeforeEachFailure.size() && checkpointsSinceStart >= checkpointsBeforeEachFailure.get(done)
                    && failures.compareAndSet(done, done + 1)) {
                throw new InjectedFailure("injected failure " + (done + 1) + " of " + checkpointsBeforeEachFailure.size()
                        + " after " + checkpointsSinceStart + " checkpoint(s)");
            }
        }
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        checkpointsSinceStart++;
        if (inNotification) {
            failIfDue();
        }
    }

    /** The failure a test injects: easy to tell apart from a real one in the logs. */
    public static final class InjectedFailure extends RuntimeException {
        InjectedFailure(String message) {
            super(message);
        }
    }
}
