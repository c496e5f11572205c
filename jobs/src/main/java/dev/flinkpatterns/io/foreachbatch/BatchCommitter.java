package dev.flinkpatterns.io.foreachbatch;

import dev.flinkpatterns.io.twophase.FileCommitter;
import dev.flinkpatterns.io.twophase.PendingFile;
import dev.flinkpatterns.io.twophase.TransactionFiles;
import dev.flinkpatterns.table.Change;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.sink2.Committer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Phase two of {@link ForeachBatchSink}: once the checkpoint that pre-committed a batch has completed, runs the
 * handler on the batch's rows (with {@link Retry}), then records the batch as handled by renaming its pending file
 * to the final name (the file committer's atomic rename). A batch whose final file exists was handled: a committable
 * that Flink hands over again after a restart does not reach the handler a second time.
 */
public final class BatchCommitter implements Committer<PendingFile> {

    private static final Logger LOG = LoggerFactory.getLogger(BatchCommitter.class);

    private final TransactionFiles names;
    private final BatchHandler handler;
    private final Retry retry;

    BatchCommitter(TransactionFiles names, BatchHandler handler, Retry retry) {
        this.names = names;
        this.handler = handler;
        this.retry = retry;
    }

    @Override
    public void commit(Collection<CommitRequest<PendingFile>> requests) throws IOException, InterruptedException {
        for (CommitRequest<PendingFile> request : requests) {
            if (commit(request.getCommittable()) == FileCommitter.Outcome.ALREADY_COMMITTED) {
                request.signalAlreadyCommitted();
            }
        }
    }

    /** Handles one batch unless it was handled before; throws when the handler fails for good (the job restarts). */
    FileCommitter.Outcome commit(PendingFile batch) throws IOException, InterruptedException {
        if (Files.exists(batch.finalFile())) {
            LOG.info("Batch {} was handled before; not calling the handler again", batch.finalFile().getFileName());
            return FileCommitter.Outcome.ALREADY_COMMITTED;
        }
        Path pending = batch.pending();
        BatchId id = batchId(pending);
        if (Files.exists(pending)) {
            List<Change> rows = Files.readAllLines(pending, StandardCharsets.UTF_8).stream().map(ChangeLines::change).toList();
            try {
                retry.run("batch " + id, () -> handler.handle(id, rows));
            } catch (IOException | InterruptedException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException("The handler of batch " + id + " failed", e);
            }
        }
        // The marker, after the handler: a crash before it means one more handler call (same id, same rows).
        return FileCommitter.commit(batch);
    }

    private BatchId batchId(Path pending) throws IOException {
        var transaction = names.parsePending(pending.getFileName().toString())
                .orElseThrow(() -> new IOException("not a pending batch file: " + pending));
        return new BatchId(transaction.run(), transaction.number(), transaction.subtask());
    }

    @Override
    public void close() {}
}
