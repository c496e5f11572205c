package dev.flinkpatterns.io.twophase;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.util.function.SerializableFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Phase one, in one subtask: writes the rows of the open transaction to its hidden pending file, and pre-commits it
 * at each checkpoint barrier. At start-up it aborts (deletes) the pending files its subtask left behind that no
 * completed checkpoint knows about, and after a restore also the committed files of transactions after the restored
 * checkpoint.
 */
public final class TransactionalFileWriter<IN>
        implements CommittingSinkWriter<IN, PendingFile>, StatefulSinkWriter<IN, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionalFileWriter.class);

    private final Path directory;
    private final TransactionFiles names;
    private final SerializableFunction<IN, String> toLine;
    private final int subtask;

    /** The number of the open transaction, or of the next one when none is open. */
    private long transaction;
    private PendingFile open;
    private FileChannel channel;
    private Writer out;

    /**
     * @param lastCompletedCheckpoint the checkpoint this subtask restarts from; {@code 0} on a fresh start
     * @param restored whether the job restored a checkpoint or savepoint (false: a fresh start)
     */
    TransactionalFileWriter(Path directory, TransactionFiles names, SerializableFunction<IN, String> toLine,
            int subtask, int parallelism, long lastCompletedCheckpoint, boolean restored) throws IOException {
        this.directory = directory;
        this.names = names;
        this.toLine = toLine;
        this.subtask = subtask;
        Files.createDirectories(directory);
        abortTransactionsAfter(lastCompletedCheckpoint, parallelism, restored);
        this.transaction = lastCompletedCheckpoint + 1;
    }

    /**
     * Deletes this subtask's files of transactions numbered above the checkpoint it restarts from: they were written
     * after that checkpoint, so no restored committable refers to them and the source replays their rows. Pending
     * ones always; committed ones too when the job restored a checkpoint or savepoint: a restore from an older one
     * than the last completed replays rows that later transactions had committed, in transactions cut elsewhere
     * (under other names), so those files go, and every row is visible once. Transactions numbered up to the
     * checkpoint were pre-committed in it or before: they stay, and the committer commits those not committed yet.
     * Subtask 0 also cleans up after subtasks that no longer exist (the job was rescaled down). A fresh start
     * (nothing restored) keeps every committed file.
     */
    private void abortTransactionsAfter(long lastCompletedCheckpoint, int parallelism, boolean restored)
            throws IOException {
        boolean deleted = false;
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                var found = names.parse(file.getFileName().toString());
                if (found.isEmpty() || found.get().number() <= lastCompletedCheckpoint
                        || !(found.get().pending() || restored)) {
                    continue;
                }
                int owner = found.get().subtask();
                if (owner == subtask || (subtask == 0 && owner >= parallelism)) {
                    LOG.info("{} transaction {} of subtask {}, after checkpoint {}: deleting {}",
                            found.get().pending() ? "Aborting" : "Superseding", found.get().number(), owner,
                            lastCompletedCheckpoint, file);
                    deleted |= Files.deleteIfExists(file);
                }
            }
        }
        if (deleted) {
            // Durable before the new transactions commit: a superseded file must not come back after a power loss.
            FileCommitter.syncDirectory(directory);
        }
    }

    @Override
    public void write(IN row, Context context) throws IOException {
        if (out == null) {
            begin();
        }
        out.write(toLine.apply(row));
        out.write('\n');
    }

    /** Opened lazily, so a checkpoint without rows makes no file. */
    private void begin() throws IOException {
        open = names.pendingFile(directory, subtask, transaction);
        // TRUNCATE_EXISTING: a file of this name can only be a leftover of an aborted attempt.
        channel = FileChannel.open(open.pending(), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        out = new BufferedWriter(new OutputStreamWriter(Channels.newOutputStream(channel), StandardCharsets.UTF_8));
    }

    /** Nothing: the flush that matters (with fsync) is the pre-commit, which Flink calls right after this. */
    @Override
    public void flush(boolean endOfInput) {}

    /**
     * Pre-commit, at a checkpoint barrier (and at the end of a bounded input): the transaction's rows reach the
     * disk (flush, fsync) and the file is closed. From here on only a commit or an abort can touch it; the
     * returned committable travels to the committer inside the checkpoint.
     */
    @Override
    public Collection<PendingFile> prepareCommit() throws IOException {
        if (out == null) {
            return List.of();
        }
        out.flush();
        channel.force(true);
        out.close();
        PendingFile preCommitted = open;
        LOG.debug("Pre-committed {}", preCommitted.pendingPath());
        out = null;
        channel = null;
        open = null;
        // Never reuse a number, even if this checkpoint fails before snapshotState tells its id: the file just
        // pre-committed must not be truncated by the next transaction.
        transaction++;
        return List.of(preCommitted);
    }

    /**
     * Called after {@link #prepareCommit()} with the checkpoint's id: the next transaction is numbered after it, so
     * a transaction's number is never above the checkpoint that pre-commits it (what the abort rule needs). There is
     * no writer state: the restored checkpoint id says all a restart needs.
     */
    @Override
    public List<Void> snapshotState(long checkpointId) {
        transaction = Math.max(transaction, checkpointId + 1);
        return List.of();
    }

    /**
     * On cancel or failure: the open transaction's file stays; the next writer of this subtask aborts it. A cancel
     * that interrupted a write has closed the channel already: the rows still buffered belong to that uncommitted
     * transaction, so they are dropped rather than thrown about (an exception here is fatal to the TaskManager).
     */
    @Override
    public void close() throws IOException {
        if (out == null) {
            return;
        }
        try {
            out.close();
        } catch (ClosedChannelException interruptedBefore) {
            LOG.info("Closing transaction {} of subtask {} after an interrupted write: its file is aborted on restart",
                    transaction, subtask);
        } finally {
            channel.close();
        }
    }
}
