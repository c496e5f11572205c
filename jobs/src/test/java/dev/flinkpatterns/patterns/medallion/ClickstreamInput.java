package dev.flinkpatterns.patterns.medallion;

import java.util.List;

/**
 * The small fixed input of the medallion tests, and what each stage must make of it. Batch 0: rows of two 5-minute
 * windows and two segments, an event_type null and one missing, a malformed line, a user without a user_dim row.
 * Batch 1: a row at 10:40 (the watermark moves to 10:10) and then one at 10:04, late behind the 30-minute watermark.
 */
final class ClickstreamInput {

    private ClickstreamInput() {}

    static final String[] USER_DIM = {
        "user_id,user_segment,country,signup_date",
        "1,premium,US,2023-01-10",
        "2,premium,DE,2023-02-20",
        "3,regular,FR,2023-03-30",
        "4,regular,US,2023-04-05"};

    static final String[] BATCH_0 = {
        click("e-000001", 1, "\"page_view\"", "electronics", "10:01:00.000000", "30.0"),
        click("e-000002", 2, "\"click\"", "electronics", "10:02:00.000000", "10.0"),
        click("e-000003", 1, "\"page_view\"", "electronics", "10:03:00.000000", "20.0"),
        click("e-000004", 3, "\"scroll\"", "books", "10:04:00.000000", "5.5"),
        click("e-000005", 1, "null", "home", "10:04:30.000000", "1.0"),
        "{\"event_id\":\"e-000006\",\"user_id\":2,\"session_id\":\"s-2\",\"page_url\":\"/home\",\"page_category\":\"home\","
                + "\"timestamp\":\"2024-01-15T10:04:40.000000\",\"time_on_page\":2.0}",
        "{\"event_id\":\"e-000007\",\"user_id\":",
        click("e-000008", 99, "\"page_view\"", "home", "10:05:30.000000", "1.0"),
        click("e-000009", 3, "\"add_to_cart\"", "books", "10:07:30.250000", "12.5"),
        click("e-000010", 4, "\"page_view\"", "books", "10:08:00.000000", "7.5")};

    static final String[] BATCH_1 = {
        click("e-000011", 2, "\"page_view\"", "home", "10:40:00.000000", "3.0"),
        click("e-000012", 1, "\"click\"", "electronics", "10:04:00.000000", "8.0")};

    /** Silver: user_id first (the join column), the event, parsed_timestamp, the user; sorted as text. */
    static final List<String> SILVER = List.of(
            "1|e-000001|s-1|page_view|/electronics/p1|electronics|2024-01-15T10:01:00.000000|30.0|2024-01-15 10:01:00|premium|US|2023-01-10",
            "1|e-000003|s-1|page_view|/electronics/p3|electronics|2024-01-15T10:03:00.000000|20.0|2024-01-15 10:03:00|premium|US|2023-01-10",
            "1|e-000012|s-1|click|/electronics/p12|electronics|2024-01-15T10:04:00.000000|8.0|2024-01-15 10:04:00|premium|US|2023-01-10",
            "2|e-000002|s-2|click|/electronics/p2|electronics|2024-01-15T10:02:00.000000|10.0|2024-01-15 10:02:00|premium|DE|2023-02-20",
            "2|e-000011|s-2|page_view|/home/p11|home|2024-01-15T10:40:00.000000|3.0|2024-01-15 10:40:00|premium|DE|2023-02-20",
            "3|e-000004|s-3|scroll|/books/p4|books|2024-01-15T10:04:00.000000|5.5|2024-01-15 10:04:00|regular|FR|2023-03-30",
            "3|e-000009|s-3|add_to_cart|/books/p9|books|2024-01-15T10:07:30.250000|12.5|2024-01-15 10:07:30.250|regular|FR|2023-03-30",
            "4|e-000010|s-4|page_view|/books/p10|books|2024-01-15T10:08:00.000000|7.5|2024-01-15 10:08:00|regular|US|2023-04-05");

    /** Gold, every window row: window_start, window_end, page_category, user_segment, page_views, unique_users, avg. */
    static final List<List<String>> GOLD = List.of(
            List.of("2024-01-15 10:00:00", "2024-01-15 10:05:00", "books", "regular", "1", "1", "5.5"),
            List.of("2024-01-15 10:00:00", "2024-01-15 10:05:00", "electronics", "premium", "3", "2", "20.0"),
            List.of("2024-01-15 10:05:00", "2024-01-15 10:10:00", "books", "regular", "2", "2", "10.0"),
            List.of("2024-01-15 10:40:00", "2024-01-15 10:45:00", "home", "premium", "1", "1", "3.0"));

    /** The row gold drops as late, as the late-row output writes it. */
    static final String LATE_ROW = "{\"event_time\":\"2024-01-15 10:04:00\",\"watermark\":\"2024-01-15 10:09:59.999\","
            + "\"row\":{\"event_time\":\"2024-01-15 10:04:00\",\"page_category\":\"electronics\",\"user_segment\":\"premium\","
            + "\"time_on_page\":8.0,\"user_id\":\"1\"}}";

    /** A clickstream event as the generator writes it; {@code eventType} is JSON (quoted, or null). */
    static String click(String eventId, int userId, String eventType, String category, String time, String timeOnPage) {
        String n = eventId.substring(2).replaceFirst("^0+", "");
        return "{\"event_id\":\"" + eventId + "\",\"user_id\":" + userId + ",\"session_id\":\"s-" + userId
                + "\",\"event_type\":" + eventType + ",\"page_url\":\"/" + category + "/p" + n + "\",\"page_category\":\""
                + category + "\",\"timestamp\":\"2024-01-15T" + time + "\",\"time_on_page\":" + timeOnPage + "}";
    }
}
