package dev.flinkpatterns.io.foreachbatch;

import dev.flinkpatterns.io.foreachbatch.BatchHandler.TransientBatchFailure;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workshop's {@code process_with_retry}: up to {@code attempts} calls, sleeping {@code firstBackoff}, then
 * twice as long, and so on, between them. Only transient failures ({@link TransientBatchFailure},
 * {@link IOException}) are retried; any other, or the last attempt's, fails the job, and the batch runs again after
 * the restart.
 */
public record Retry(int attempts, Duration firstBackoff) implements Serializable {

    private static final Logger LOG = LoggerFactory.getLogger(Retry.class);

    /** 3 attempts, 100 ms then 200 ms apart. */
    public static final Retry DEFAULT = new Retry(3, Duration.ofMillis(100));

    public Retry {
        if (attempts < 1 || firstBackoff.isNegative()) {
            throw new IllegalArgumentException("need at least one attempt and a backoff >= 0, got " + attempts
                    + " and " + firstBackoff);
        }
    }

    /** A call that may fail. */
    @FunctionalInterface
    public interface Call {
        void run() throws Exception;
    }

    public void run(String what, Call call) throws Exception {
        Duration backoff = firstBackoff;
        for (int attempt = 1; ; attempt++) {
            try {
                call.run();
                return;
            } catch (TransientBatchFailure | IOException e) {
                if (attempt >= attempts) {
                    LOG.error("{} failed after {} attempts", what, attempts, e);
                    throw e;
                }
                LOG.warn("{} failed (attempt {} of {}), retrying in {} ms: {}", what, attempt, attempts,
                        backoff.toMillis(), e.toString());
                // Sleeps in the task thread: the committer has nothing else to do until this batch is done.
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2);
            }
        }
    }
}
