package dev.flinkpatterns.patterns.dedup;

import dev.flinkpatterns.patterns.csv.Event;
import dev.flinkpatterns.patterns.csv.EventCsvParser;
import java.io.Serializable;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;

/** The columns of Spark's {@code dropDuplicates([...])}, and the one string they make per row. */
public record DedupKey(List<String> columns) implements Serializable {

    /** Joins the columns' values; a character no event file contains. */
    private static final char SEPARATOR = '\u001f';

    public DedupKey {
        columns = List.copyOf(columns);
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("--key needs at least one column of " + String.join(", ", EventCsvParser.COLUMNS));
        }
        for (String column : columns) {
            if (!EventCsvParser.COLUMNS.contains(column)) {
                throw new IllegalArgumentException(
                        "unknown column '" + column + "'; columns: " + String.join(", ", EventCsvParser.COLUMNS));
            }
        }
        if (new HashSet<>(columns).size() != columns.size()) {
            throw new IllegalArgumentException("a column is named twice in " + String.join(",", columns));
        }
    }

    /** {@code user_id,event} as written on the command line. */
    public static DedupKey parse(String commaSeparated) {
        return new DedupKey(Arrays.stream(commaSeparated.split(",", -1)).map(String::strip).toList());
    }

    /** Whether the event time is part of the key: then duplicates share their time, and so does their lateness. */
    public boolean hasTimestamp() {
        return columns.contains("timestamp");
    }

    public String of(Event event) {
        StringBuilder key = new StringBuilder();
        for (String column : columns) {
            if (!key.isEmpty()) {
                key.append(SEPARATOR);
            }
            switch (column) {
                case "timestamp" -> key.append(event.timestamp());
                case "user_id" -> key.append(event.userId());
                default -> key.append(event.event());
            }
        }
        return key.toString();
    }

    @Override
    public String toString() {
        return String.join(",", columns);
    }
}
