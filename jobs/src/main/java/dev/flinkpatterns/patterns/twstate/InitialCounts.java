package dev.flinkpatterns.patterns.twstate;

import dev.flinkpatterns.io.DeadLetter;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.io.filetable.CsvTableFile;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.types.Row;

/**
 * Spark's {@code initialState} of {@code transformWithState}: the count each user starts from, read from a CSV file
 * {@code user_id,count} when the job is defined. A user's count starts there on its first event; users not in the
 * file start at 0.
 */
public record InitialCounts(Map<Integer, Long> counts) implements Serializable {

    public static final InitialCounts NONE = new InitialCounts(Map.of());

    static final RowSchema SCHEMA = new RowSchema(List.of(
            RowSchema.Column.nullable("user_id", RowSchema.Type.INT),
            RowSchema.Column.nullable("count", RowSchema.Type.LONG)));

    public InitialCounts {
        counts = Map.copyOf(counts);
    }

    public long of(int userId) {
        return counts.getOrDefault(userId, 0L);
    }

    /**
     * The counts of {@code location}; a file that is not such a table, or a bad line, is refused with its line, naming
     * the file as {@code file} (as the user gave it).
     */
    public static InitialCounts read(String location, String file) throws IOException {
        String text = new String(CsvTableFile.read(location), StandardCharsets.UTF_8);
        CsvTableFile.Content content = new CsvTableFile(SCHEMA, "user_id").parse(file, text);
        if (content.isRefused()) {
            throw new IllegalArgumentException(file + ": " + content.refusal());
        }
        if (!content.rejected().isEmpty()) {
            DeadLetter bad = content.rejected().get(0);
            throw new IllegalArgumentException(file + " line " + bad.line() + ": " + bad.reason());
        }
        Map<Integer, Long> counts = new HashMap<>();
        for (Row row : content.rows().values()) {
            Long count = (Long) row.getField(1);
            if (count == null || count < 0) {
                throw new IllegalArgumentException(file + ": user " + row.getField(0) + " needs a count of 0 or more");
            }
            counts.put((Integer) row.getField(0), count);
        }
        return new InitialCounts(counts);
    }
}
