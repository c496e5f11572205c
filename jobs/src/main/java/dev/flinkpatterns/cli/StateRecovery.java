package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.DisplayPath;
import dev.flinkpatterns.core.UsageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;

/**
 * Where a job's state comes from when it resumes: a savepoint or retained checkpoint given by path
 * ({@code --from-savepoint}) or the newest completed checkpoint under the checkpoint directory
 * ({@code --resume-latest}), which is the nearest Flink gets to Spark's restart with the same checkpointLocation.
 */
final class StateRecovery {

    private static final Pattern CHECKPOINT_DIR = Pattern.compile("chk-(\\d+)");
    private static final String METADATA = "_metadata";

    private StateRecovery() {}

    /** Checks the combination of options before anything starts. */
    static void validate(StreamingOptions options) {
        if (options.fromSavepoint != null && options.resumeLatest) {
            throw new UsageException("--from-savepoint and --resume-latest exclude each other: give one");
        }
        if (options.allowNonRestoredState && options.fromSavepoint == null && !options.resumeLatest) {
            throw new UsageException("--allow-non-restored-state applies only with --from-savepoint or --resume-latest");
        }
        if (options.fromSavepoint != null) {
            existingSavepoint("--from-savepoint " + options.fromSavepoint, options.fromSavepoint);
        }
    }

    /** Adds the recovery settings to a job's settings; {@code checkpointDir} is the job's (null: none known). */
    static void apply(StreamingOptions options, String checkpointDir, Configuration settings) {
        String path = null;
        if (options.fromSavepoint != null) {
            path = existingSavepoint("--from-savepoint " + options.fromSavepoint, options.fromSavepoint);
        } else if (options.resumeLatest) {
            if (checkpointDir == null) {
                throw new UsageException("--resume-latest needs --checkpoint-dir under flink run "
                        + "(the cluster's checkpoint directory is not known here)");
            }
            path = latestCheckpoint(localPath(checkpointDir))
                    .orElseThrow(() -> new UsageException("--resume-latest: no completed checkpoint under "
                            + DisplayPath.of(checkpointDir) + " (a run keeps its last checkpoints when it is stopped or cancelled)"))
                    .toUri().toString();
        }
        if (path != null) {
            settings.set(StateRecoveryOptions.SAVEPOINT_PATH, path);
            settings.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, options.allowNonRestoredState);
        }
    }

    /**
     * The newest completed checkpoint under a checkpoint directory laid out as Flink writes it
     * ({@code <dir>/<job-id>/chk-N/_metadata}): the one whose metadata was written last (a checkpoint is complete
     * once its _metadata exists).
     */
    static Optional<Path> latestCheckpoint(Path checkpointDir) {
        if (!Files.isDirectory(checkpointDir)) {
            return Optional.empty();
        }
        try (Stream<Path> paths = Files.find(checkpointDir, 2, (path, attributes) -> attributes.isDirectory()
                && CHECKPOINT_DIR.matcher(path.getFileName().toString()).matches())) {
            return paths.filter(dir -> Files.isRegularFile(dir.resolve(METADATA)))
                    .max(Comparator.comparing(StateRecovery::metadataTime)
                            .thenComparing(StateRecovery::checkpointId))
                    .map(Path::toAbsolutePath);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The URI of a savepoint or retained checkpoint; {@code given} names it in the error when there is none. */
    static String existingSavepoint(String given, String location) {
        if (Locations.isUri(location) && !location.startsWith("file:")) {
            return location;
        }
        Path path = localPath(location);
        boolean savepoint = Files.isDirectory(path) ? Files.isRegularFile(path.resolve(METADATA))
                : Files.isRegularFile(path) && path.getFileName().toString().equals(METADATA);
        if (!savepoint) {
            throw new UsageException(given + ": no savepoint or checkpoint there "
                    + "(a directory with a _metadata file, as ./patterns stop <job> --savepoint=DIR writes)");
        }
        return path.toUri().toString();
    }

    private static Path localPath(String location) {
        return location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(Locations.resolve(location));
    }

    private static long metadataTime(Path checkpoint) {
        try {
            return Files.getLastModifiedTime(checkpoint.resolve(METADATA)).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long checkpointId(Path checkpoint) {
        var matcher = CHECKPOINT_DIR.matcher(checkpoint.getFileName().toString());
        return matcher.matches() ? Long.parseLong(matcher.group(1)) : -1;
    }
}
