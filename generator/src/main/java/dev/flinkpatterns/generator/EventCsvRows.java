package dev.flinkpatterns.generator;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Random;

/** The tutorial's CSV writer: {@code event_batch_N.csv} files of user events. */
public final class EventCsvRows extends UserCsvRows {

    public static final String HEADER = "timestamp,user_id,event";
    public static final List<String> EVENTS = List.of("login", "logout", "purchase", "view");
    public static final int DEFAULT_USERS = 5;

    /** {@code user_id} is drawn from 1..users. */
    public EventCsvRows(int users) {
        super("event_batch", HEADER, users, 1);
    }

    @Override
    public String row(long rowNumber, LocalDateTime timestamp, Random random) {
        int userId = randomUserId(random);
        String event = EVENTS.get(random.nextInt(EVENTS.size()));
        return EventTimeline.TIMESTAMP_FORMAT.format(timestamp) + "," + userId + "," + event;
    }
}
