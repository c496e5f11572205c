package dev.flinkpatterns.io.twophase;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import org.apache.flink.api.connector.sink2.Committer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Phase two: makes pre-committed files visible once the checkpoint that covers them has completed. Flink calls
 * {@link #commit} from {@code notifyCheckpointComplete}, and again after a restart for every committable of the
 * restored checkpoint that may not have been committed yet, so a commit must be idempotent.
 */
public final class FileCommitter implements Committer<PendingFile> {

    private static final Logger LOG = LoggerFactory.getLogger(FileCommitter.class);

    /** What one commit did. */
    public enum Outcome {
        /** The pending file was renamed to its final name. */
        COMMITTED,
        /** Nothing to do: an earlier attempt renamed it (the crash came after the rename). */
        ALREADY_COMMITTED
    }

    @Override
    public void commit(Collection<CommitRequest<PendingFile>> requests) throws IOException {
        for (CommitRequest<PendingFile> request : requests) {
            if (commit(request.getCommittable()) == Outcome.ALREADY_COMMITTED) {
                request.signalAlreadyCommitted();
            }
        }
    }

    /**
     * Commits one transaction: an atomic rename of the pending file to its final name. Throws (and so fails the
     * job) when neither file exists: the rows are gone, and no retry brings them back.
     */
    public static Outcome commit(PendingFile file) throws IOException {
        Path pending = file.pending();
        Path target = file.finalFile();
        if (Files.exists(pending)) {
            // rename(2): readers see the whole file under its final name or nothing. No other content ever had
            // this name: the name holds the run, and a run numbers each subtask's transactions once.
            Files.move(pending, target, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(target.getParent());
            return Outcome.COMMITTED;
        }
        if (Files.exists(target)) {
            LOG.info("{} was committed before; nothing to do", target);
            return Outcome.ALREADY_COMMITTED;
        }
        throw new IOException("Cannot commit " + target + ": neither it nor its pending file " + pending
                + " exists (deleted by hand, or the directory was wiped?)");
    }

    /** Makes the rename itself durable: a rename lives in the directory, which has its own fsync on Linux. */
    static void syncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some platforms (Windows) cannot open a directory; the rename is still atomic, only its durability
            // on power loss is up to the OS there.
            LOG.debug("Could not fsync directory {}: {}", directory, e.toString());
        }
    }

    @Override
    public void close() {}
}
