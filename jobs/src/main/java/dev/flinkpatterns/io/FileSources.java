package dev.flinkpatterns.io;

import dev.flinkpatterns.core.Trigger;
import java.time.Duration;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.fs.Path;

/** The one way patterns read a directory: every file as lines with positions, bounded or watched. */
public final class FileSources {

    /** How often a watched directory is listed for new files. */
    public static final Duration DEFAULT_DISCOVERY_INTERVAL = Duration.ofSeconds(1);

    private FileSources() {}

    /**
     * Lines of every file in {@code directory}. With a bounded trigger (once, available-now) the files that
     * exist now are read and the source ends; otherwise new files are picked up as they appear. Files whose
     * names start with {@code .} or {@code _} are skipped until renamed, so writers can publish atomically.
     * Files are read oldest first, as Spark reads them.
     */
    public static FileSource<SourceLine> lines(String directory, Trigger trigger, Duration discoveryInterval) {
        var builder = FileSource.forBulkFileFormat(new LineFileFormat(), new Path(directory))
                .setSplitAssigner(OldestFilesFirst.PROVIDER);
        if (!trigger.isBounded()) {
            builder.monitorContinuously(discoveryInterval);
        }
        return builder.build();
    }
}
