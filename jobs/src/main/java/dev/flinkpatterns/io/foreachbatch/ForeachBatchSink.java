package dev.flinkpatterns.io.foreachbatch;

import dev.flinkpatterns.io.twophase.PendingFile;
import dev.flinkpatterns.io.twophase.TransactionFiles;
import dev.flinkpatterns.io.twophase.TransactionalFileSink;
import dev.flinkpatterns.io.twophase.TransactionalFileWriter;
import dev.flinkpatterns.table.Change;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.Collection;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Spark's {@code foreachBatch}, with exactly-once effect: the protocol of {@link TransactionalFileSink}, where
 * "commit" means "hand the batch to user code".
 *
 * <ul>
 *   <li><b>Batch</b>: the rows one subtask receives between two checkpoint barriers, written to a hidden pending
 *       file in the state directory ({@code .batch-<subtask>-<n>.jsonl.pending}); the two-phase file sink's writer
 *       does this, unchanged.</li>
 *   <li><b>Pre-commit</b>, at the barrier: the pending file is fsynced and closed, and goes into the checkpoint as a
 *       committable. The batch's rows are now durable and fixed.</li>
 *   <li><b>Commit</b>, when the checkpoint has completed: {@link BatchCommitter} reads the rows, calls
 *       {@link BatchHandler#handle} (retrying transient errors with backoff), then renames the pending file to
 *       {@code batch-<subtask>-<n>.jsonl}: the durable record that the batch was handled.</li>
 *   <li><b>Restart</b>: Flink hands the committer the committables of the restored checkpoint again. Handled ones
 *       (final file there) are skipped; one whose handler ran but whose rename did not happen is handled again, with
 *       the same id and rows: hence the handler must be idempotent per batch id.</li>
 * </ul>
 * Spark promises at-least-once for {@code foreachBatch}; here each batch is handled to completion once, and called
 * again only after a crash between the handler and its marker. The state directory keeps the handled batches'
 * files (an audit trail; delete old ones as you would old checkpoints). Empty intervals make no batch.
 */
public final class ForeachBatchSink
        implements Sink<Change>, SupportsCommitter<PendingFile>, SupportsWriterState<Change, Void> {

    private static final TransactionFiles NAMES = new TransactionFiles("batch", ".jsonl");

    private final String stateDirectory;
    private final TransactionalFileSink<Change> batches;
    private final BatchHandler handler;
    private final Retry retry;

    /**
     * @param stateDirectory local directory for the pending and handled batch files; one per job
     */
    public ForeachBatchSink(String stateDirectory, BatchHandler handler, Retry retry) {
        this.stateDirectory = stateDirectory;
        this.batches = TransactionalFileSink.lines(stateDirectory, NAMES, ChangeLines::line);
        this.handler = handler;
        this.retry = retry;
    }

    public ForeachBatchSink(String stateDirectory, BatchHandler handler) {
        this(stateDirectory, handler, Retry.DEFAULT);
    }

    @Override
    public TransactionalFileWriter<Change> createWriter(WriterInitContext context) throws IOException {
        if (context.getRestoredCheckpointId().isEmpty()) {
            forgetBatchesOfAnEarlierJob(context.getTaskInfo().getIndexOfThisSubtask(),
                    context.getTaskInfo().getNumberOfParallelSubtasks());
        }
        return batches.createWriter(context);
    }

    /**
     * A job that starts afresh numbers its batches from 1 again; a marker left by an earlier job in this directory
     * would make the committer skip the new batch of that number, silently. No committable of an earlier job can
     * come back (nothing is restored), so its markers go; subtask 0 also takes those of subtasks that no longer exist.
     */
    private void forgetBatchesOfAnEarlierJob(int subtask, int parallelism) throws IOException {
        Path directory = Path.of(stateDirectory);
        if (!Files.isDirectory(directory)) {
            return;
        }
        Pattern handled = Pattern.compile(Pattern.quote(NAMES.prefix()) + "-(\\d+)-\\d+" + Pattern.quote(NAMES.suffix()));
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Matcher matcher = handled.matcher(file.getFileName().toString());
                if (matcher.matches()) {
                    int owner = Integer.parseInt(matcher.group(1));
                    if (owner == subtask || (subtask == 0 && owner >= parallelism)) {
                        Files.deleteIfExists(file);
                    }
                }
            }
        }
    }

    @Override
    public StatefulSinkWriter<Change, Void> restoreWriter(WriterInitContext context, Collection<Void> state)
            throws IOException {
        return batches.restoreWriter(context, state);
    }

    @Override
    public BatchCommitter createCommitter(CommitterInitContext context) {
        return new BatchCommitter(NAMES, handler, retry);
    }

    @Override
    public SimpleVersionedSerializer<PendingFile> getCommittableSerializer() {
        return batches.getCommittableSerializer();
    }

    @Override
    public SimpleVersionedSerializer<Void> getWriterStateSerializer() {
        return batches.getWriterStateSerializer();
    }
}
