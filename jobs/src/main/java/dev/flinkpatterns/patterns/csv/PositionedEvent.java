package dev.flinkpatterns.patterns.csv;

import dev.flinkpatterns.io.SourceLine;
import dev.flinkpatterns.parse.LineParser;
import dev.flinkpatterns.parse.MalformedRecordException;
import dev.flinkpatterns.table.Change;
import java.util.Optional;

/**
 * An event and where it was read ({@link SourceLine#orderKey()}), so append-mode batches can list rows in
 * the order of the files even after a shuffle.
 */
public record PositionedEvent(String orderKey, Event event) {

    /** The row as csv-log shows it: the three columns, ordered by position. */
    public Change toRow() {
        return Change.of(orderKey, event.timestamp(), event.userId(), event.event());
    }

    /** Parses with {@link EventCsvParser}, keeping the line's position. */
    public static final class Parser implements LineParser<PositionedEvent> {
        private final EventCsvParser events = new EventCsvParser();

        @Override
        public Optional<PositionedEvent> parse(SourceLine line) throws MalformedRecordException {
            return events.parse(line).map(event -> new PositionedEvent(line.orderKey(), event));
        }
    }
}
