package dev.flinkpatterns.generator;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/** {@code transaction_batch_N.csv}: purchases by user, category and region, for windowed sums and joins. */
public final class TransactionCsvRows extends UserCsvRows {

    public static final String HEADER = "event_time,transaction_id,user_id,category,region,amount";
    public static final List<String> CATEGORIES = List.of("electronics", "books", "clothing", "home", "toys");
    public static final List<String> REGIONS = List.of("north", "south", "east", "west");
    private static final int MIN_AMOUNT_CENTS = 100;
    private static final int MAX_AMOUNT_CENTS = 50_000;

    /** {@code user_id} is drawn from 1..users. */
    public TransactionCsvRows(int users) {
        super("transaction_batch", HEADER, users, 2);
    }

    /** {@code transaction_id} is {@code t-000001} for the first row of a run, increasing across its files. */
    @Override
    public String row(long rowNumber, LocalDateTime timestamp, Random random) {
        int userId = randomUserId(random);
        String category = CATEGORIES.get(random.nextInt(CATEGORIES.size()));
        String region = REGIONS.get(random.nextInt(REGIONS.size()));
        int cents = MIN_AMOUNT_CENTS + random.nextInt(MAX_AMOUNT_CENTS - MIN_AMOUNT_CENTS + 1);
        // BigDecimal prints '.' in every locale
        String amount = BigDecimal.valueOf(cents, 2).toPlainString();
        return String.join(",", EventTimeline.TIMESTAMP_FORMAT.format(timestamp),
                String.format(Locale.ROOT, "t-%06d", rowNumber + 1), String.valueOf(userId), category, region, amount);
    }
}
