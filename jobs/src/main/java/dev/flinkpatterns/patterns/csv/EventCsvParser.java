package dev.flinkpatterns.patterns.csv;

import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.io.SourceLine;
import dev.flinkpatterns.parse.CsvSchema;
import dev.flinkpatterns.parse.LineParser;
import dev.flinkpatterns.parse.MalformedRecordException;
import dev.flinkpatterns.parse.Timestamps;
import java.util.List;
import java.util.Optional;

/**
 * The explicit schema of the event files ({@code timestamp,user_id,event}), applied strictly.
 *
 * <p>Spark's CSV reader in its default PERMISSIVE mode would keep a bad row with nulls in it and count it;
 * here a bad row is a dead letter, as with Spark's {@code badRecordsPath}. The first line of a file is
 * skipped only when it is the header, so a file without a header loses no row.
 */
public final class EventCsvParser implements LineParser<Event> {

    public static final CsvSchema SCHEMA = CsvSchema.of("timestamp", "user_id", "event");
    public static final List<String> COLUMNS = SCHEMA.columns();
    /** The rows as a result: the seed's schema ({@code timestamp} a string as written, {@code user_id} an int). */
    public static final RowSchema RESULT_SCHEMA = RowSchema.of(
            RowSchema.Column.nullable("timestamp", RowSchema.Type.STRING),
            RowSchema.Column.nullable("user_id", RowSchema.Type.INT),
            RowSchema.Column.nullable("event", RowSchema.Type.STRING));

    @Override
    public Optional<Event> parse(SourceLine line) throws MalformedRecordException {
        List<String> fields = SCHEMA.fields(line);
        if (fields == null) {
            return Optional.empty();
        }
        String timestamp = fields.get(0);
        long eventTime = Timestamps.parseMillis(timestamp);
        int userId = CsvSchema.integer("user_id", fields.get(1));
        String event = CsvSchema.nonEmpty("event", fields.get(2));
        return Optional.of(new Event(timestamp, userId, event, eventTime));
    }
}
