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
 */
public final class FailureInjector<T> extends RichMapFunction<T, T> implements CheckpointListener {

    private static final Map<String, AtomicInteger> FAILURES = new ConcurrentHashMap<>();

    private final String scenario;
    private final List<Integer> checkpointsBeforeEachFailure;
    private transient int checkpointsSinceStart;
    private transient boolean failingSubtask;

    private FailureInjector(String scenario, List<Integer> checkpointsBeforeEachFailure) {
        this.scenario = scenario;
        this.checkpointsBeforeEachFailure = List.copyOf(checkpointsBeforeEachFailure);
    }

    /** A new scenario (its failure count starts at 0); e.g. {@code (id, 2, 1, 3)}: three failures. */
    public static <T> FailureInjector<T> failAfterCheckpoints(String scenario, Integer... checkpointsBeforeEachFailure) {
        FAILURES.put(scenario, new AtomicInteger());
        return new FailureInjector<>(scenario, List.of(checkpointsBeforeEachFailure));
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
        if (failingSubtask) {
            AtomicInteger failures = FAILURES.get(scenario);
            int done = failures.get();
            if (done < checkpointsBeforeEachFailure.size() && checkpointsSinceStart >= checkpointsBeforeEachFailure.get(done)
                    && failures.compareAndSet(done, done + 1)) {
                throw new InjectedFailure("injected failure " + (done + 1) + " of " + checkpointsBeforeEachFailure.size()
                        + " after " + checkpointsSinceStart + " checkpoint(s)");
            }
        }
        return row;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        checkpointsSinceStart++;
    }

    /** The failure a test injects: easy to tell apart from a real one in the logs. */
    public static final class InjectedFailure extends RuntimeException {
        InjectedFailure(String message) {
            super(message);
        }
    }
}
