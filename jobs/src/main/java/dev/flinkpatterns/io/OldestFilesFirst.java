package dev.flinkpatterns.io;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.assigners.FileSplitAssigner;

/**
 * Hands out files oldest first (modification time, then path), as Spark's file source does. Flink's default
 * assigner has no order, so a reader could take a file written an hour later before an older one and move its
 * watermark past the older file's rows: they would all be dropped as late.
 */
public final class OldestFilesFirst implements FileSplitAssigner {

    /** Serializable factory for {@code FileSource.Builder#setSplitAssigner}. */
    public static final Provider PROVIDER = OldestFilesFirst::new;

    /** Modification time, then path: the order files are handed out in (and Spark's file source reads them in). */
    public static final Comparator<FileSourceSplit> ORDER = Comparator.comparingLong(FileSourceSplit::fileModificationTime)
            .thenComparing(split -> split.path().toString())
            .thenComparingLong(FileSourceSplit::offset);

    private final Comparator<FileSourceSplit> order;
    private final PriorityQueue<FileSourceSplit> pending;

    OldestFilesFirst(Collection<FileSourceSplit> splits) {
        this(splits, ORDER);
    }

    private OldestFilesFirst(Collection<FileSourceSplit> splits, Comparator<FileSourceSplit> order) {
        this.order = order;
        this.pending = new PriorityQueue<>(order);
        pending.addAll(splits);
    }

    /**
     * Hands out the files of {@code rankOfPath} in its order (e.g. Spark's micro-batches of several directories, one
     * after the other), the others after them, oldest first.
     */
    public static Provider ranked(Map<String, Integer> rankOfPath) {
        Map<String, Integer> ranks = new HashMap<>(rankOfPath);
        return splits -> new OldestFilesFirst(splits, Comparator.<FileSourceSplit>comparingInt(
                split -> ranks.getOrDefault(split.path().toString(), Integer.MAX_VALUE)).thenComparing(ORDER));
    }

    @Override
    public Optional<FileSourceSplit> getNext(String hostname) {
        return Optional.ofNullable(pending.poll());
    }

    @Override
    public void addSplits(Collection<FileSourceSplit> splits) {
        pending.addAll(splits);
    }

    @Override
    public Collection<FileSourceSplit> remainingSplits() {
        List<FileSourceSplit> remaining = new ArrayList<>(pending);
        remaining.sort(order);
        return remaining;
    }
}
