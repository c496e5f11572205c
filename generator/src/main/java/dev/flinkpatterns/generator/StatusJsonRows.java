package dev.flinkpatterns.generator;

import static dev.flinkpatterns.generator.GeneratorSettings.requireAtLeastOne;

import java.time.LocalDateTime;
import java.util.Locale;
import java.util.Random;

/**
 * JSON records of the guide's ETL pattern (Kafka JSON, {@code filter(status == "active")}): timestamp, id,
 * user_id, status (active 60 %, inactive, suspended) and amount. Malformed records are one of: a cut object, not
 * JSON, a missing or unreadable timestamp, or an amount that is not a number.
 */
public final class StatusJsonRows extends RowFormat {

    private static final String[] STATUSES = {"active", "active", "active", "inactive", "inactive", "suspended"};

    private final int users;

    public StatusJsonRows(int users) {
        super("status_batch", "json", null);
        requireAtLeastOne("--users", users);
        this.users = users;
    }

    @Override
    public String row(long rowNumber, LocalDateTime timestamp, Random random) {
        // timestamp first: a record without it must still be an object (see corrupt)
        return "{\"timestamp\":\"" + EventTimeline.TIMESTAMP_FORMAT.format(timestamp) + "\""
                + ",\"id\":" + (rowNumber + 1)
                + ",\"user_id\":" + (1 + random.nextInt(users))
                + ",\"status\":\"" + STATUSES[random.nextInt(STATUSES.length)] + "\""
                + ",\"amount\":" + String.format(Locale.ROOT, "%.2f", 1 + random.nextInt(50_000) / 100.0) + "}";
    }

    @Override
    public String corrupt(String goodRow, Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> MalformedJson.corrupt(goodRow, MalformedJson.Kind.TRUNCATED_OBJECT);
            case 1 -> MalformedJson.corrupt(goodRow, MalformedJson.Kind.NOT_JSON);
            case 2 -> MalformedJson.corrupt(goodRow, MalformedJson.Kind.MISSING_FIELD);
            case 3 -> MalformedJson.corrupt(goodRow, MalformedJson.Kind.BAD_TIMESTAMP);
            default -> goodRow.replaceFirst("\"amount\":[-0-9.]+", "\"amount\":\"lots\"");
        };
    }
}
