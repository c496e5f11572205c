package dev.flinkpatterns.generator;

import static dev.flinkpatterns.generator.GeneratorSettings.requireAtLeastOne;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/** The tutorial's CSV writer: {@code event_batch_N.csv} files of user events. */
public final class EventCsvRows implements RowFormat {

    public static final String HEADER = "timestamp,user_id,event";
    public static final List<String> EVENTS = List.of("login", "logout", "purchase", "view");
    public static final int DEFAULT_USERS = 5;
    private static final int USER_ID_COLUMN = 1;

    private final int users;

    /** {@code user_id} is drawn from 1..users. */
    public EventCsvRows(int users) {
        requireAtLeastOne("--users", users);
        this.users = users;
    }

    @Override
    public String fileStem() {
        return "event_batch";
    }

    @Override
    public String extension() {
        return "csv";
    }

    @Override
    public Optional<String> header() {
        return Optional.of(HEADER);
    }

    @Override
    public String row(long rowNumber, LocalDateTime timestamp, Random random) {
        int userId = 1 + random.nextInt(users);
        String event = EVENTS.get(random.nextInt(EVENTS.size()));
        return EventTimeline.TIMESTAMP_FORMAT.format(timestamp) + "," + userId + "," + event;
    }

    @Override
    public String corrupt(String goodRow, Random random) {
        return MalformedRows.corrupt(goodRow, USER_ID_COLUMN, random);
    }
}
