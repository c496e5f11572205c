package dev.flinkpatterns.io.foreachbatch;

import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.table.ChangeAsRecord;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import dev.flinkpatterns.io.RowSchema;
import java.util.List;
import java.io.Serializable;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * An idempotent {@link BatchHandler}: the batch's rows that pass a filter, as JSON lines, in one file per batch
 * named by the batch id ({@code <prefix>-<checkpoint>-<subtask>-<run>.jsonl}). A second call for the same batch
 * replaces the file whole (write hidden, then rename), so a reader never sees a row twice; another run writes other
 * files. After a restore from an older checkpoint the files of other runs' later batches are deleted (their rows
 * come again in the new run's files). Batches without matching rows make no file.
 */
public final class JsonLinesBatchFiles implements BatchHandler {

    private final String directory;
    private final String prefix;
    private final RowSchema schema;
    private final boolean withKey;
    private final RowFilter filter;

    /** @param withKey each line carries the row's key (needed in update and complete mode, and for deletes) */
    public JsonLinesBatchFiles(String directory, String prefix, RowSchema schema, boolean withKey,
            RowFilter filter) {
        this.directory = directory;
        this.prefix = prefix;
        this.schema = schema;
        this.withKey = withKey;
        this.filter = filter;
    }

    /** Every row of the batch. */
    public static JsonLinesBatchFiles all(String directory, String prefix, RowSchema schema, boolean withKey) {
        return new JsonLinesBatchFiles(directory, prefix, schema, withKey, change -> true);
    }

    /** The rows that pass {@code filter}, a filter on the schema's columns (deleted rows never pass): alerts, say. */
    public static JsonLinesBatchFiles where(String directory, String prefix, RowSchema schema, boolean withKey,
            dev.flinkpatterns.table.RowFilter filter) {
        int index = filter.column() == null ? -1 : schema.indexOf(filter.column());
        return new JsonLinesBatchFiles(directory, prefix, schema, withKey,
                change -> !change.isDelete() && (index < 0 || filter.matches(change.cells().get(index))));
    }

    /** Which rows go to the files; serializable, as the sink is. */
    @FunctionalInterface
    public interface RowFilter extends Predicate<Change>, Serializable {}

    public Path file(BatchId batchId) {
        return Path.of(directory).resolve(prefix + "-" + batchId + ".jsonl");
    }

    @Override
    public void handle(BatchId batchId, List<Change> rows) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (Change row : rows) {
            if (filter.test(row)) {
                lines.append(ChangeAsRecord.json(row, schema, withKey)).append('\n');
            }
        }
        if (lines.length() > 0) {
            replaceAtomically(file(batchId), lines.toString());
        }
    }

    /** Deletes the files of other runs' batches after the restored checkpoint. */
    @Override
    public void discardBatchesAfter(long restoredCheckpoint, String run) throws IOException {
        Path dir = Path.of(directory);
        if (!Files.isDirectory(dir)) {
            return;
        }
        Pattern batchFile = Pattern.compile(Pattern.quote(prefix) + "-(\\d+)-\\d+-([0-9a-f]+)\\.jsonl");
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Matcher matcher = batchFile.matcher(file.getFileName().toString());
                if (matcher.matches() && Long.parseLong(matcher.group(1)) > restoredCheckpoint
                        && !matcher.group(2).equals(run)) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private static void replaceAtomically(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Path hidden = file.resolveSibling("." + file.getFileName() + ".inprogress");
        try (FileChannel channel = FileChannel.open(hidden, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(java.nio.ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        }
        Files.move(hidden, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
