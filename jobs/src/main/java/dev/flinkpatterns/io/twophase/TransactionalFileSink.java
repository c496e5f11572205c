package dev.flinkpatterns.io.twophase;

import dev.flinkpatterns.io.NoWriterState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.InitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Exactly-once files by two-phase commit, on Flink's Sink V2: the reference implementation to copy when a
 * target system has no Flink connector but has an atomic "make visible" step (here: a rename).
 *
 * <h2>The protocol</h2>
 * <ul>
 *   <li><b>Transaction</b>: the rows one subtask writes between two checkpoint barriers, in a hidden pending
 *       file ({@code .part-<subtask>-<n>-<run>.jsonl.pending}; readers skip names that start with a dot).</li>
 *   <li><b>Pre-commit</b> (phase one), at the barrier of checkpoint <i>c</i>:
 *       {@link TransactionalFileWriter#prepareCommit()} flushes, fsyncs and closes the file and hands a
 *       {@link PendingFile} (pending path, final path) to the committer. Flink stores it in checkpoint <i>c</i>.</li>
 *   <li><b>Commit</b> (phase two), when checkpoint <i>c</i> has completed on every task:
 *       {@link FileCommitter} renames the pending file to its final name, atomically. Idempotent: pending file
 *       gone and final file present means an earlier attempt did it, and nothing happens.</li>
 *   <li><b>Restart</b> from checkpoint <i>c</i>: Flink hands the committer every committable of <i>c</i> not
 *       committed yet (they are committed then); the writer of each subtask deletes its pending files numbered
 *       above <i>c</i> (transactions that no completed checkpoint knows: the source replays their rows).</li>
 *   <li><b>Restore from an older checkpoint or savepoint</b> <i>k</i> (not the last one the output saw): the
 *       writers also delete the committed files numbered above <i>k</i>. Their rows are replayed, in transactions
 *       cut at other points, under names of the new run: the output holds every row once, and no committed file is
 *       ever rewritten (a reader sees files appear, and after such a restore, the superseded ones disappear).</li>
 * </ul>
 * Transactions are numbered by checkpoint: a subtask's transaction after checkpoint <i>c</i> is number <i>c</i> + 1
 * (never above the checkpoint that pre-commits it), so a transaction numbered above <i>k</i> was pre-committed after
 * checkpoint <i>k</i>. A final name ({@code <prefix>-<subtask>-<n>-<run><suffix>}) belongs to one (subtask,
 * checkpoint, run): committing it again can never make a second copy, and another run never reuses it. The run part
 * is new each time the job is built (a start or a restore from a savepoint), the same across its restarts.
 *
 * <h2>Limits</h2>
 * A local file system only (a path or {@code file:} URI; others are refused): the files are written, fsynced and
 * renamed with {@code java.nio}, and every TaskManager must see the same directory, so on several hosts it must be
 * a shared mount (NFS) with an atomic rename; elsewhere (HDFS, S3) use Flink's {@code FileSink}. Give each job its
 * own directory (or prefix): a restore deletes the later files of its prefix. Restore only checkpoints of the
 * output's current history: after a restore from checkpoint <i>k</i>, the files of the runs' later checkpoints are
 * gone, so restoring one of those afterwards would lose their rows. Without checkpointing nothing commits until a
 * bounded input ends (then everything commits at once).
 */
public final class TransactionalFileSink<IN>
        implements Sink<IN>, SupportsCommitter<PendingFile>, SupportsWriterState<IN, Void> {

    private final String directory;
    private final TransactionFiles names;
    private final SerializableFunction<IN, String> toLine;

    private TransactionalFileSink(String directory, TransactionFiles names, SerializableFunction<IN, String> toLine) {
        this.directory = directory;
        this.names = names;
        this.toLine = toLine;
    }

    /**
     * Rows as lines ({@code toLine} must not contain a line break) in files
     * {@code <prefix>-<subtask>-<n>-<run><suffix>} under {@code directory}, a local path or {@code file:} URI.
     */
    public static <IN> TransactionalFileSink<IN> lines(
            String directory, String filePrefix, String fileSuffix, SerializableFunction<IN, String> toLine) {
        return lines(directory, TransactionFiles.newRun(filePrefix, fileSuffix), toLine);
    }

    /** Rows as lines in files named by {@code names} under {@code directory}, a local path or {@code file:} URI. */
    public static <IN> TransactionalFileSink<IN> lines(
            String directory, TransactionFiles names, SerializableFunction<IN, String> toLine) {
        return new TransactionalFileSink<>(localDirectory(directory), names, toLine);
    }

    /**
     * The directory as a local path; refuses any other file system (hdfs:, s3:, ...): the sink reads and renames
     * with java.nio, which would take such a URI for a relative local path.
     */
    static String localDirectory(String directory) {
        if (directory.startsWith("file:")) {
            return Path.of(java.net.URI.create(directory)).toString();
        }
        if (directory.matches("[A-Za-z][A-Za-z0-9+.-]*:.*") && !directory.matches("[A-Za-z]:[\\\\/].*")) {
            throw new IllegalArgumentException("TransactionalFileSink writes to a local file system (a path or file:"
                    + " URI, shared by every TaskManager), not " + directory);
        }
        return directory;
    }

    @Override
    public TransactionalFileWriter<IN> createWriter(WriterInitContext context) throws IOException {
        return new TransactionalFileWriter<>(Path.of(directory), names, toLine,
                context.getTaskInfo().getIndexOfThisSubtask(), context.getTaskInfo().getNumberOfParallelSubtasks(),
                context.getRestoredCheckpointId().orElse(InitContext.INITIAL_CHECKPOINT_ID - 1),
                context.getRestoredCheckpointId().isPresent());
    }

    @Override
    public StatefulSinkWriter<IN, Void> restoreWriter(WriterInitContext context, Collection<Void> recoveredState)
            throws IOException {
        return createWriter(context);
    }

    @Override
    public FileCommitter createCommitter(CommitterInitContext context) {
        return new FileCommitter();
    }

    @Override
    public SimpleVersionedSerializer<PendingFile> getCommittableSerializer() {
        return new PendingFile.Serializer();
    }

    /** The writer keeps no state (it returns none), but Flink asks for a serializer of it. */
    @Override
    public SimpleVersionedSerializer<Void> getWriterStateSerializer() {
        return new NoWriterState();
    }
}
