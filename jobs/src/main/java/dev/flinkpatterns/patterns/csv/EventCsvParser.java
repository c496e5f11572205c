package dev.flinkpatterns.patterns.csv;

import dev.flinkpatterns.io.SourceLine;
import dev.flinkpatterns.parse.CsvFields;
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

    public static final List<String> COLUMNS = List.of("timestamp", "user_id", "event");

    @Override
    public Optional<Event> parse(SourceLine line) throws MalformedRecordException {
        String text = line.text();
        if (line.line() == 1 && isHeader(text)) {
            return Optional.empty();
        }
        if (text.isBlank()) {
            throw new MalformedRecordException("blank line");
        }
        List<String> fields = CsvFields.split(text);
        if (fields.size() != COLUMNS.size()) {
            throw new MalformedRecordException(
                    "expected 3 fields (timestamp,user_id,event) but found " + fields.size());
        }
        String timestamp = fields.get(0);
        long eventTime = Timestamps.parseMillis(timestamp);
        int userId;
        try {
            userId = Integer.parseInt(fields.get(1));
        } catch (NumberFormatException e) {
            throw new MalformedRecordException("user_id is not an integer: '" + fields.get(1) + "'");
        }
        String event = fields.get(2);
        if (event.isEmpty()) {
            throw new MalformedRecordException("event is empty");
        }
        return Optional.of(new Event(timestamp, userId, event, eventTime));
    }

    private static boolean isHeader(String text) {
        try {
            List<String> names = CsvFields.split(text.strip());
            return names.stream().map(String::strip).toList().equals(COLUMNS);
        } catch (MalformedRecordException e) {
            return false;
        }
    }
}
