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
 *       file ({@code .part-<subtask>-<n>.jsonl.pending}; readers skip names that start with a dot).</li>
 *   <li><b>Pre-commit</b> (phase one), at the barrier of checkpoint <i>c</i>:
 *       {@link TransactionalFileWriter#prepareCommit()} flushes, fsyncs and closes the file and hands a
 *       {@link PendingFile} (pending path, final path) to the committer. Flink stores it in checkpoint <i>c</i>.</li>
 *   <li><b>Commit</b> (phase two), when checkpoint <i>c</i> has completed on every task:
 *       {@link FileCommitter} renames the pending file to its final name, atomically. Idempotent: pending file
 *       gone and final file present means an earlier attempt did it, and nothing happens.</li>
 *   <li><b>Restart</b> from checkpoint <i>c</i>: Flink hands the committer every committable of <i>c</i> not
 *       committed yet (they are committed then); the writer of each subtask deletes its pending files numbered
 *       above <i>c</i> (transactions that no completed checkpoint knows: the source replays their rows).</li>
 * </ul>
 * Transactions are numbered by checkpoint: a subtask's transaction after checkpoint <i>c</i> is number <i>c</i> + 1
 * (never above the checkpoint that pre-commits it), so a final name belongs to one (subtask, checkpoint): committing
 * it again can never make a second copy.
 *
 * <h2>Limits</h2>
 * The file system must rename atomically (local disks, HDFS; not S3: use Flink's {@code FileSink} there). Give each
 * job its own directory (or prefix): a new job starts again at transaction 1 and would replace older files of the
 * same name. Without checkpointing nothing commits until a bounded input ends (then everything commits at once).
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
     * Rows as lines ({@code toLine} must not contain a line break) in files {@code <prefix>-<subtask>-<n><suffix>}
     * under {@code directory}.
     */
    public static <IN> TransactionalFileSink<IN> lines(
            String directory, String filePrefix, String fileSuffix, SerializableFunction<IN, String> toLine) {
        return new TransactionalFileSink<>(directory, new TransactionFiles(filePrefix, fileSuffix), toLine);
    }

    @Override
    public TransactionalFileWriter<IN> createWriter(WriterInitContext context) throws IOException {
        return new TransactionalFileWriter<>(Path.of(directory), names, toLine,
                context.getTaskInfo().getIndexOfThisSubtask(), context.getTaskInfo().getNumberOfParallelSubtasks(),
                context.getRestoredCheckpointId().orElse(InitContext.INITIAL_CHECKPOINT_ID - 1));
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
