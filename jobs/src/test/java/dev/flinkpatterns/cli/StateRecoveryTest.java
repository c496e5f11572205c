package dev.flinkpatterns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.core.DisplayPath;
import dev.flinkpatterns.testing.CapturedRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a resumed run's state comes from, and the one-line refusals before any job starts. */
class StateRecoveryTest {

    @TempDir
    Path tmp;

    private Path checkpoint(String job, int id, Instant written) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("checkpoints").resolve(job).resolve("chk-" + id));
        Path metadata = Files.writeString(dir.resolve("_metadata"), "x");
        Files.setLastModifiedTime(metadata, FileTime.from(written));
        return dir;
    }

    @Test
    void theLatestCheckpointIsTheNewestCompletedOneOfAnyRun() throws Exception {
        Instant now = Instant.parse("2026-11-21T10:00:00Z");
        checkpoint("0a", 7, now);
        Path newest = checkpoint("0b", 2, now.plusSeconds(60));
        checkpoint("0b", 1, now.plusSeconds(30));
        // In progress: no _metadata yet.
        Files.createDirectories(tmp.resolve("checkpoints/0b/chk-3"));
        Files.createDirectories(tmp.resolve("checkpoints/0b/shared"));

        assertThat(StateRecovery.latestCheckpoint(tmp.resolve("checkpoints"))).contains(newest.toAbsolutePath());
        assertThat(StateRecovery.latestCheckpoint(tmp.resolve("none"))).isEmpty();
    }

    @Test
    void badRecoveryOptionsAreOneLine() throws Exception {
        Path input = Files.createDirectories(tmp.resolve("input"));
        Path missing = tmp.resolve("no-savepoint");
        CapturedRun.onContext("dedup", "--input", input.toString(), "--from-savepoint", missing.toString())
                .assertOneLineError("patterns dedup: --from-savepoint " + missing + ": no savepoint or checkpoint there"
                        + " (a directory with a _metadata file, as ./patterns stop <job> --savepoint=DIR writes)"
                        + " (see 'patterns dedup --help')");
        CapturedRun.onContext("dedup", "--input", input.toString(), "--from-savepoint", input.toString(),
                "--resume-latest").assertOneLineError("patterns dedup: --from-savepoint and --resume-latest exclude"
                        + " each other: give one (see 'patterns dedup --help')");
        CapturedRun.onContext("dedup", "--input", input.toString(), "--allow-non-restored-state")
                .assertOneLineError("patterns dedup: --allow-non-restored-state applies only with --from-savepoint or"
                        + " --resume-latest (see 'patterns dedup --help')");
        Path empty = Files.createDirectories(tmp.resolve("empty-checkpoints"));
        CapturedRun.onContext("dedup", "--input", input.toString(), "--resume-latest", "--checkpoint-dir",
                empty.toString()).assertOneLineError("patterns dedup: --resume-latest: no completed checkpoint under "
                        + DisplayPath.of(empty) + " (a run keeps its last checkpoints when it is stopped or cancelled)"
                        + " (see 'patterns dedup --help')");
        CapturedRun.onContext("stop", "dedup", "--drain").assertOneLineError(
                "patterns stop: --drain applies only with --savepoint (see 'patterns stop --help')");
    }
}
