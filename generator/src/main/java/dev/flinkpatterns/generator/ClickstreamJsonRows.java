package dev.flinkpatterns.generator;

import static dev.flinkpatterns.generator.GeneratorSettings.requireAtLeastOne;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * {@code clickstream_batch_N.json}: JSON lines of page events, the bronze input of the medallion pipeline. A share
 * of events has {@code "event_type":null} and a share has no {@code event_type} at all: the rows silver's
 * {@code filter(col("event_type").isNotNull())} drops. {@code session_id} is the user's half hour
 * ({@code s-3-20260101T1030}).
 */
public final class ClickstreamJsonRows extends RowFormat {

    public static final int DEFAULT_USERS = 10;
    public static final List<String> EVENT_TYPES = List.of("page_view", "click", "scroll", "add_to_cart");
    public static final List<String> PAGE_CATEGORIES = List.of("home", "electronics", "books", "clothing", "checkout");
    public static final double NULL_EVENT_TYPE_SHARE = 0.1;
    public static final double MISSING_EVENT_TYPE_SHARE = 0.05;
    private static final DateTimeFormatter SESSION_FORMAT = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm");
    private static final int SESSION_MINUTES = 30;
    private static final int PAGES_PER_CATEGORY = 20;
    // tenths of a second: 0.5 to 300.0
    private static final int MIN_TIME_ON_PAGE = 5;
    private static final int MAX_TIME_ON_PAGE = 3000;

    private final int users;

    /** {@code user_id} is drawn from 1..users. */
    public ClickstreamJsonRows(int users) {
        super("clickstream_batch", "json", null);
        requireAtLeastOne("--users", users);
        this.users = users;
    }

    /** {@code event_id} is {@code e-000001} for the first row of a run, increasing across its files. */
    @Override
    public String row(long rowNumber, LocalDateTime timestamp, Random random) {
        int userId = 1 + random.nextInt(users);
        double kind = random.nextDouble();
        String eventType = kind < NULL_EVENT_TYPE_SHARE ? ",\"event_type\":null"
                : kind < NULL_EVENT_TYPE_SHARE + MISSING_EVENT_TYPE_SHARE ? ""
                : ",\"event_type\":\"" + EVENT_TYPES.get(random.nextInt(EVENT_TYPES.size())) + "\"";
        String category = PAGE_CATEGORIES.get(random.nextInt(PAGE_CATEGORIES.size()));
        String url = switch (category) {
            case "home" -> "/";
            case "checkout" -> "/checkout";
            default -> "/" + category + "/" + (1 + random.nextInt(PAGES_PER_CATEGORY));
        };
        int timeOnPage = MIN_TIME_ON_PAGE + random.nextInt(MAX_TIME_ON_PAGE - MIN_TIME_ON_PAGE + 1);
        // every value is a plain id, number or timestamp: nothing needs JSON escaping
        return "{\"event_id\":\"" + String.format(Locale.ROOT, "e-%06d", rowNumber + 1) + "\""
                + ",\"user_id\":" + userId
                + ",\"session_id\":\"s-" + userId + "-" + SESSION_FORMAT.format(sessionStart(timestamp)) + "\""
                + eventType
                + ",\"page_url\":\"" + url + "\""
                + ",\"page_category\":\"" + category + "\""
                + ",\"timestamp\":\"" + EventTimeline.TIMESTAMP_FORMAT.format(timestamp) + "\""
                + ",\"time_on_page\":" + BigDecimal.valueOf(timeOnPage, 1).toPlainString() + "}";
    }

    private static LocalDateTime sessionStart(LocalDateTime timestamp) {
        LocalDateTime hour = timestamp.truncatedTo(ChronoUnit.HOURS);
        return hour.plusMinutes(timestamp.getMinute() / SESSION_MINUTES * SESSION_MINUTES);
    }

    @Override
    public String corrupt(String goodRow, Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> MalformedJson.corrupt(goodRow, MalformedJson.Kind.TRUNCATED_OBJECT);
            case 1 -> MalformedJson.corrupt(goodRow, MalformedJson.Kind.NOT_JSON);
            case 2 -> MalformedJson.corrupt(goodRow, MalformedJson.Kind.MISSING_FIELD);
            case 3 -> MalformedJson.corrupt(goodRow, MalformedJson.Kind.BAD_TIMESTAMP);
            default -> goodRow.replaceFirst("\"time_on_page\":[-0-9.]+", "\"time_on_page\":\"long\"");
        };
    }
}
