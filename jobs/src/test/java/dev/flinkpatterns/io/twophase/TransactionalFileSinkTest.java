package dev.flinkpatterns.io.twophase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.connector.sink2.Committer.CommitRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The protocol's steps one by one, without Flink: pre-commit, commit, commit again, abort at start-up. */
class TransactionalFileSinkTest {

    private static final TransactionFiles NAMES = new TransactionFiles("part", ".txt");

    @TempDir
    Path dir;

    private TransactionalFileWriter<String> writer(int subtask, int parallelism, long lastCompletedCheckpoint)
            throws IOException {
        return new TransactionalFileWriter<>(dir, NAMES, row -> row, subtask, parallelism, lastCompletedCheckpoint,
                lastCompletedCheckpoint > 0);
    }

    private List<String> fileNames() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void preCommitLeavesTheRowsInAHiddenFileAndCommitRenamesItToTheFinalName() throws Exception {
        TransactionalFileWriter<String> writer = writer(1, 2, 4);
        writer.write("a", null);
        writer.write("b", null);

        List<PendingFile> committables = List.copyOf(writer.prepareCommit());

        assertThat(committables).containsExactly(new PendingFile(
                dir.resolve(".part-1-5.txt.pending").toString(), dir.resolve("part-1-5.txt").toString()));
        assertThat(fileNames()).containsExactly(".part-1-5.txt.pending");
        assertThat(Files.readAllLines(committables.get(0).pending())).containsExactly("a", "b");

        assertThat(FileCommitter.commit(committables.get(0))).isEqualTo(FileCommitter.Outcome.COMMITTED);

        assertThat(fileNames()).containsExactly("part-1-5.txt");
        assertThat(Files.readAllLines(dir.resolve("part-1-5.txt"))).containsExactly("a", "b");
    }

    @Test
    void aCancelThatInterruptedAWriteClosesQuietlyAndTheNextWriterAbortsTheFile() throws Exception {
        TransactionalFileWriter<String> writer = writer(0, 1, 0);
        writer.write("buffered", null);
        // What a cancel does to the task thread: the write below fails and closes the file channel.
        Thread.currentThread().interrupt();
        String longRow = "x".repeat(64 * 1024); // more than the writer's buffer: it reaches the channel
        assertThatThrownBy(() -> writer.write(longRow, null)).isInstanceOf(java.nio.channels.ClosedByInterruptException.class);
        assertThat(Thread.interrupted()).isTrue();

        writer.close(); // no exception: one here would be fatal to the TaskManager

        assertThat(fileNames()).containsExactly(".part-0-1.txt.pending");
        writer(0, 1, 0).close();
        assertThat(fileNames()).isEmpty();
    }

    @Test
    void theNextTransactionIsNumberedAfterTheCheckpointAndAnEmptyOneMakesNoFile() throws Exception {
        TransactionalFileWriter<String> writer = writer(0, 1, 0);
        writer.write("first", null);
        assertThat(writer.prepareCommit()).extracting(PendingFile::finalPath).containsExactly(dir.resolve("part-0-1.txt").toString());
        writer.snapshotState(7);

        assertThat(writer.prepareCommit()).isEmpty();
        writer.write("second", null);

        assertThat(writer.prepareCommit()).extracting(PendingFile::finalPath).containsExactly(dir.resolve("part-0-8.txt").toString());
        assertThat(fileNames()).containsExactly(".part-0-1.txt.pending", ".part-0-8.txt.pending");
    }

    @Test
    void aPreCommitWhoseCheckpointNeverSnapshotsDoesNotLetTheNextTransactionReuseItsFile() throws Exception {
        TransactionalFileWriter<String> writer = writer(0, 1, 4);
        writer.write("pre-committed in checkpoint 5, which then failed", null);
        PendingFile first = writer.prepareCommit().iterator().next();
        // no snapshotState(5): the checkpoint failed in between
        writer.write("next", null);
        PendingFile second = writer.prepareCommit().iterator().next();

        assertThat(second).isNotEqualTo(first);
        assertThat(Files.readAllLines(first.pending())).containsExactly("pre-committed in checkpoint 5, which then failed");
        assertThat(Files.readAllLines(second.pending())).containsExactly("next");
    }

    @Test
    void committingTheSameCommittableTwiceChangesNothing() throws Exception {
        TransactionalFileWriter<String> writer = writer(0, 1, 0);
        writer.write("only once", null);
        PendingFile file = writer.prepareCommit().iterator().next();

        RecordingRequest first = new RecordingRequest(file);
        RecordingRequest second = new RecordingRequest(file);
        new FileCommitter().commit(List.of(first));
        new FileCommitter().commit(List.of(second));

        assertThat(first.signals).isEmpty();
        assertThat(second.signals).containsExactly("already committed");
        assertThat(fileNames()).containsExactly("part-0-1.txt");
        assertThat(Files.readAllLines(file.finalFile())).containsExactly("only once");
    }

    @Test
    void aCommittableWhosePendingFileIsGoneAndFinalFilePresentIsANoOp() throws Exception {
        Files.writeString(dir.resolve("part-0-3.txt"), "committed before the crash\n");
        PendingFile file = NAMES.pendingFile(dir, 0, 3);

        assertThat(FileCommitter.commit(file)).isEqualTo(FileCommitter.Outcome.ALREADY_COMMITTED);

        assertThat(fileNames()).containsExactly("part-0-3.txt");
        assertThat(Files.readString(dir.resolve("part-0-3.txt"))).isEqualTo("committed before the crash\n");
    }

    @Test
    void aCommittableWithNeitherFileFailsLoudly() {
        PendingFile lost = NAMES.pendingFile(dir, 0, 3);

        assertThatThrownBy(() -> FileCommitter.commit(lost))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("neither it nor its pending file");
    }

    @Test
    void startUpAbortsOnlyTheTransactionsNoCompletedCheckpointKnows() throws Exception {
        for (String name : List.of(
                ".part-0-4.txt.pending", // subtask 0, pre-committed in checkpoint 4: the committer commits it
                ".part-0-5.txt.pending", // subtask 0, written after checkpoint 4: abort
                ".part-0-9.txt.pending", // subtask 0, later still: abort
                ".part-1-6.txt.pending", // subtask 1 aborts its own
                ".part-2-6.txt.pending", // a subtask gone after rescaling to 2: subtask 0 aborts it
                "part-0-3.txt",          // committed: never touched
                ".other-0-9.txt.pending" // another sink's prefix: not ours
        )) {
            Files.writeString(dir.resolve(name), "x\n");
        }

        writer(0, 2, 4);

        assertThat(fileNames()).containsExactly(
                ".other-0-9.txt.pending", ".part-0-4.txt.pending", ".part-1-6.txt.pending", "part-0-3.txt");
    }

    @Test
    void aRestoreAlsoDeletesTheCommittedFilesOfTransactionsAfterTheRestoredCheckpointOfEveryRun() throws Exception {
        TransactionFiles run = new TransactionFiles("part", ".txt", "0a1b2c3d");
        for (String name : List.of(
                "part-0-2-0a1b2c3d.txt",  // committed in checkpoint 2 or before: stays
                "part-0-3-0a1b2c3d.txt",  // committed after checkpoint 3 completed: superseded by the replay
                "part-0-5-99999999.txt",  // another run's, after checkpoint 2: superseded too
                "part-1-4-0a1b2c3d.txt",  // subtask 1's: subtask 1 deletes it
                "part-2-4-0a1b2c3d.txt",  // a subtask gone after rescaling to 2: subtask 0 deletes it
                "other-0-9-0a1b2c3d.txt"  // another sink's prefix: not ours
        )) {
            Files.writeString(dir.resolve(name), "x\n");
        }

        new TransactionalFileWriter<String>(dir, run, row -> row, 0, 2, 2, true);

        assertThat(fileNames()).containsExactly("other-0-9-0a1b2c3d.txt", "part-0-2-0a1b2c3d.txt", "part-1-4-0a1b2c3d.txt");
    }

    @Test
    void aFreshStartKeepsEveryCommittedFileAndNamesItsOwnByItsRun() throws Exception {
        Files.writeString(dir.resolve("part-0-3-0a1b2c3d.txt"), "an earlier job's\n");
        TransactionFiles run = new TransactionFiles("part", ".txt", "44444444");

        TransactionalFileWriter<String> writer = new TransactionalFileWriter<>(dir, run, row -> row, 0, 1, 0, false);
        writer.write("new", null);
        FileCommitter.commit(writer.prepareCommit().iterator().next());

        assertThat(fileNames()).containsExactly("part-0-1-44444444.txt", "part-0-3-0a1b2c3d.txt");
        assertThat(TransactionFiles.newRun("part", ".txt").run()).isNotEqualTo(TransactionFiles.newRun("part", ".txt").run());
    }

    @Test
    void onlyALocalDirectoryIsTaken() {
        assertThat(TransactionalFileSink.localDirectory("file:///tmp/out")).isEqualTo("/tmp/out");
        assertThat(TransactionalFileSink.localDirectory("data/out")).isEqualTo("data/out");
        for (String elsewhere : List.of("hdfs://namenode:8020/out", "s3://bucket/out")) {
            assertThatThrownBy(() -> TransactionalFileSink.lines(elsewhere, "part", ".txt", (String row) -> row))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("TransactionalFileSink writes to a local file system (a path or file: URI, shared by"
                            + " every TaskManager), not " + elsewhere);
        }
    }

    @Test
    void aLeftoverWithTheNumberOfTheFirstNewTransactionIsReplacedNotAppendedTo() throws Exception {
        Files.writeString(dir.resolve(".part-0-5.txt.pending"), "from the failed attempt\n");

        TransactionalFileWriter<String> writer = writer(0, 1, 4);
        writer.write("replayed", null);
        PendingFile file = writer.prepareCommit().iterator().next();

        assertThat(Files.readAllLines(file.pending())).containsExactly("replayed");
    }

    @Test
    void theCommittableSerializerRoundTrips() throws Exception {
        PendingFile file = NAMES.pendingFile(dir, 3, 12);
        PendingFile.Serializer serializer = new PendingFile.Serializer();

        assertThat(serializer.deserialize(serializer.getVersion(), serializer.serialize(file))).isEqualTo(file);
    }

    /** A commit request that records what the committer signalled. */
    private static final class RecordingRequest implements CommitRequest<PendingFile> {
        final PendingFile committable;
        final Collection<String> signals = new ArrayList<>();

        RecordingRequest(PendingFile committable) {
            this.committable = committable;
        }

        @Override
        public PendingFile getCommittable() {
            return committable;
        }

        @Override
        public int getNumberOfRetries() {
            return 0;
        }

        @Override
        public void signalFailedWithKnownReason(Throwable t) {
            signals.add("failed: " + t);
        }

        @Override
        public void signalFailedWithUnknownReason(Throwable t) {
            signals.add("failed: " + t);
        }

        @Override
        public void retryLater() {
            signals.add("retry later");
        }

        @Override
        public void updateAndRetryLater(PendingFile committable) {
            signals.add("update and retry later");
        }

        @Override
        public void signalAlreadyCommitted() {
            signals.add("already committed");
        }
    }
}
