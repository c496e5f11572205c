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
 * <p>A round's budget opens with its first file: a reader may ask for one just before the next round, and rounds
 * delayed by a busy JobManager arrive back to back (they are scheduled at a fixed rate). So a round that comes
 * less than half an interval after the first file of the last budget shares that budget: files start at most N
 * per interval. Only for watched directories: a bounded file source ends as soon as the assigner has nothing
 * to give.
 */
public final class MaxFilesPerTrigger implements FileSplitAssigner {

    private final FileSplitAssigner files;
    private final int maxFilesPerRound;
    private final long minNanosBetweenRounds;
    private final LongSupplier nanoClock;
    /** When the first file of the current budget was handed out. */
    private long budgetStartNanos;
    private int handedOutThisRound;

    MaxFilesPerTrigger(FileSplitAssigner files, int maxFilesPerRound, Duration discoveryInterval, LongSupplier nanoClock) {
        if (maxFilesPerRound < 1) {
            throw new IllegalArgumentException("max files per trigger must be at least 1, got " + maxFilesPerRound);
        }
        this.files = files;
        this.maxFilesPerRound = maxFilesPerRound;
        this.minNanosBetweenRounds = discoveryInterval.toNanos() / 2;
        this.nanoClock = nanoClock;
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
            if (handedOutThisRound == 0) {
                budgetStartNanos = nanoClock.getAsLong();
            }
            handedOutThisRound++;
        }
        return next;
    }

    @Override
    public void addSplits(Collection<FileSourceSplit> splits) {
        if (handedOutThisRound > 0 && nanoClock.getAsLong() - budgetStartNanos >= minNanosBetweenRounds) {
            handedOutThisRound = 0;
        }
        files.addSplits(splits);
    }

    @Override
    public Collection<FileSourceSplit> remainingSplits() {
        return files.remainingSplits();
    }
}
