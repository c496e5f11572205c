package dev.flinkpatterns.io;

import java.io.Serializable;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.assigners.FileSplitAssigner;

/**
 * Spark's {@code maxFilesPerTrigger}: at most N files handed out per discovery round of a watched directory,
 * oldest first. Each round, Flink's continuous enumerator lists the directory, passes what is new to
 * {@link #addSplits} (possibly nothing) and then asks for splits for the idle readers; so a call of
 * {@code addSplits} opens a new round with a fresh budget, as a new micro-batch does in Spark. Files beyond the
 * budget wait, in order, for later rounds (and are in the checkpoint meanwhile).
 *
 * <p>Rounds are scheduled at a fixed rate, so rounds delayed by a busy JobManager arrive back to back; a round
 * that comes less than half an interval after the last counted one shares its budget, which keeps the rate at N
 * files per interval. Only for watched directories: a bounded file source ends as soon as the assigner has
 * nothing to give.
 */
public final class MaxFilesPerTrigger implements FileSplitAssigner {

    private final FileSplitAssigner files;
    private final int maxFilesPerRound;
    private final long minNanosBetweenRounds;
    private final LongSupplier nanoClock;
    private long roundStartNanos;
    private int handedOutThisRound;

    MaxFilesPerTrigger(FileSplitAssigner files, int maxFilesPerRound, Duration discoveryInterval, LongSupplier nanoClock) {
        if (maxFilesPerRound < 1) {
            throw new IllegalArgumentException("max files per trigger must be at least 1, got " + maxFilesPerRound);
        }
        this.files = files;
        this.maxFilesPerRound = maxFilesPerRound;
        this.minNanosBetweenRounds = discoveryInterval.toNanos() / 2;
        this.nanoClock = nanoClock;
        this.roundStartNanos = nanoClock.getAsLong();
    }

    /** Oldest files first, at most {@code maxFilesPerRound} per discovery round of {@code discoveryInterval}. */
    public static Provider provider(int maxFilesPerRound, Duration discoveryInterval) {
        return splits -> new MaxFilesPerTrigger(new OldestFilesFirst(splits), maxFilesPerRound, discoveryInterval,
                (LongSupplier & Serializable) System::nanoTime);
    }

    @Override
    public Optional<FileSourceSplit> getNext(String hostname) {
        if (handedOutThisRound >= maxFilesPerRound) {
            return Optional.empty();
        }
        Optional<FileSourceSplit> next = files.getNext(hostname);
        if (next.isPresent()) {
            handedOutThisRound++;
        }
        return next;
    }

    @Override
    public void addSplits(Collection<FileSourceSplit> splits) {
        long now = nanoClock.getAsLong();
        if (now - roundStartNanos >= minNanosBetweenRounds) {
            roundStartNanos = now;
            handedOutThisRound = 0;
        }
        files.addSplits(splits);
    }

    @Override
    public Collection<FileSourceSplit> remainingSplits() {
        return files.remainingSplits();
    }
}
