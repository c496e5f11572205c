package dev.flinkpatterns.io.twophase;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
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
 * completed checkpoint knows about.
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
     */
    TransactionalFileWriter(Path directory, TransactionFiles names, SerializableFunction<IN, String> toLine,
            int subtask, int parallelism, long lastCompletedCheckpoint) throws IOException {
        this.directory = directory;
        this.names = names;
        this.toLine = toLine;
        this.subtask = subtask;
        Files.createDirectories(directory);
        abortUnknownTransactions(lastCompletedCheckpoint, parallelism);
        this.transaction = lastCompletedCheckpoint + 1;
    }

    /**
     * Deletes this subtask's pending files numbered above the checkpoint it restarts from: they were written after
     * that checkpoint, so no restored committable refers to them and the source replays their rows. Those numbered
     * up to it were pre-committed before it completed: the committer commits them, so they stay. Subtask 0 also
     * cleans up after subtasks that no longer exist (the job was rescaled down).
     */
    private void abortUnknownTransactions(long lastCompletedCheckpoint, int parallelism) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                var pending = names.parsePending(file.getFileName().toString());
                if (pending.isEmpty() || pending.get().number() <= lastCompletedCheckpoint) {
                    continue;
                }
                int owner = pending.get().subtask();
                if (owner == subtask || (subtask == 0 && owner >= parallelism)) {
                    LOG.info("Aborting transaction {} of subtask {}: deleting {}", pending.get().number(), owner, file);
                    Files.deleteIfExists(file);
                }
            }
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

    /** On cancel or failure: the open transaction's file stays; the next writer of this subtask aborts it. */
    @Override
    public void close() throws IOException {
        if (out != null) {
            out.close();
        }
    }
}
