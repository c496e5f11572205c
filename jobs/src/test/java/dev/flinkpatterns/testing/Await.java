package dev.flinkpatterns.testing;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The one way tests wait: poll a condition until it holds, and fail with what was awaited (and what was last seen)
 * once the timeout has passed. The pause between polls is only the poll interval, never a guess at how long
 * something takes.
 */
public final class Await {

    private static final long POLL_MILLIS = 100;

    private Await() {}

    /** A condition that may throw (a REST call, a file read). */
    @FunctionalInterface
    public interface Check {
        boolean holds() throws Exception;
    }

    /** A value that is not there yet (empty) or is. */
    @FunctionalInterface
    public interface Probe<T> {
        Optional<T> poll() throws Exception;
    }

    /** Polls until {@code check} holds; fails the test after {@code timeout}. */
    public static void until(String what, Duration timeout, Check check) throws Exception {
        value(() -> what, timeout, () -> check.holds() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }

    /**
     * Polls until {@code probe} has a value and returns it; fails the test after {@code timeout}, naming
     * {@code what} (evaluated then, so it can show the last state seen).
     */
    public static <T> T value(Supplier<String> what, Duration timeout, Probe<T> probe) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> value = probe.poll();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what.get());
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
        }
    }
}
