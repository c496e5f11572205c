package dev.flinkpatterns.patterns.csv;

import dev.flinkpatterns.io.Json;

/**
 * A row of the tutorial's event files, with the tutorial's schema: {@code timestamp} kept as written
 * (a string in the seed's schema, but checked to be an ISO-8601 date-time), {@code user_id} an integer,
 * {@code event} a string; {@code eventTime} is the timestamp in epoch milliseconds (UTC) for event time.
 */
public record Event(String timestamp, int userId, String event, long eventTime) {

    /** The row as a JSON object with the file's column names (how a late row is written out). */
    public String toJson() {
        return "{\"timestamp\":" + Json.quote(timestamp) + ",\"user_id\":" + userId + ",\"event\":" + Json.quote(event) + "}";
    }
}
