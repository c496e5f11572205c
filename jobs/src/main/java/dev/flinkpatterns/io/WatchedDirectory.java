package dev.flinkpatterns.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.enumerate.FileEnumerator;
import org.apache.flink.core.fs.Path;

/**
 * Lists a watched directory for Flink's continuous file enumerator, and says on the console what Flink's own
 * listing does not:
 * <ul>
 *   <li>the directory is gone: one line, then empty listings until it is back (one more line), instead of an
 *       ERROR with a stack trace every discovery interval;</li>
 *   <li>a file changed after it was first listed (it was still being written, or was replaced): Flink reads a path
 *       once, so what was written after its read is never read. One line per file.</li>
 * </ul>
 * Lives in the enumerator, so it remembers the files listed since the job (or its last restore) started.
 */
final class WatchedDirectory implements FileEnumerator {

    private final FileEnumerator files;
    /** Each file as it was at its first listing. */
    private final Map<Path, Listed> firstListed = new HashMap<>();
    private final Set<Path> reportedChange = new HashSet<>();
    private boolean reportedMissing;

    private WatchedDirectory(FileEnumerator files) {
        this.files = files;
    }

    static Provider around(Provider files) {
        return () -> new WatchedDirectory(files.create());
    }

    @Override
    public Collection<FileSourceSplit> enumerateSplits(Path[] paths, int minDesiredSplits) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path path : paths) {
            if (!path.getFileSystem().exists(path)) {
                missing.add(path);
            }
        }
        if (!missing.isEmpty()) {
            return gone(missing);
        }
        Collection<FileSourceSplit> splits;
        try {
            splits = files.enumerateSplits(paths, minDesiredSplits);
        } catch (FileNotFoundException | NoSuchFileException e) {
            // Removed while it was listed.
            return gone(List.of(paths));
        }
        if (reportedMissing) {
            reportedMissing = false;
            InputWarnings.warn("input directory " + String.join(", ", names(paths)) + " is back; reading its files");
        }
        for (FileSourceSplit split : splits) {
            checkUnchanged(split);
        }
        return splits;
    }

    private Collection<FileSourceSplit> gone(List<Path> missing) {
        if (!reportedMissing) {
            reportedMissing = true;
            InputWarnings.warn("input directory " + String.join(", ", names(missing.toArray(new Path[0])))
                    + " does not exist (removed?); waiting for it to come back");
        }
        return List.of();
    }

    private void checkUnchanged(FileSourceSplit split) {
        Path path = split.path();
        Listed now = new Listed(split.fileSize(), split.fileModificationTime());
        Listed first = firstListed.putIfAbsent(path, now);
        if (first != null && !first.equals(now) && reportedChange.add(path)) {
            InputWarnings.warn("input file " + path + " changed after it was picked up (" + first.length() + " bytes then, "
                    + split.fileSize() + " bytes now): a file is read once, so lines written after its read are not "
                    + "read; write a file under a name starting with . or _ and rename it when complete");
        }
    }

    private record Listed(long length, long modified) {}

    private static List<String> names(Path[] paths) {
        List<String> names = new ArrayList<>();
        for (Path path : paths) {
            names.add(path.toString());
        }
        return names;
    }
}
