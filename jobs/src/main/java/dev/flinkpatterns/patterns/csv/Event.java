package dev.flinkpatterns.patterns.csv;

/**
 * A row of the tutorial's event files, with the tutorial's schema: {@code timestamp} kept as written
 * (a string in the seed's schema, but checked to be an ISO-8601 date-time), {@code user_id} an integer,
 * {@code event} a string; {@code eventTime} is the timestamp in epoch milliseconds (UTC) for event time.
 */
public record Event(String timestamp, int userId, String event, long eventTime) {}
