package dev.flinkpatterns.generator;

import static dev.flinkpatterns.generator.GeneratorSettings.requireAtLeastOne;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Clicks ({@code click_batch_N.csv}) and the purchases that follow them ({@code purchase_batch_N.csv}), for the
 * stream-stream join {@code purchase_time BETWEEN click_time AND click_time + 1 hour} on {@code user_id}.
 * Per click: with {@link #PURCHASE_SHARE} a purchase of the same user 0 to 60 minutes later; with
 * {@link #STRAY_PURCHASE_SHARE} a purchase, at the click's time, by another user who has not clicked in the hour
 * before (if there is one); otherwise nothing follows.
 */
public final class ClickPurchaseRows extends RelatedRows {

    public static final String CLICK_HEADER = "click_time,click_id,user_id,page";
    public static final String PURCHASE_HEADER = "purchase_time,purchase_id,user_id,product_id,amount";
    public static final List<String> PAGES = List.of("home", "search", "product", "cart", "checkout");
    public static final double PURCHASE_SHARE = 0.6;
    public static final double STRAY_PURCHASE_SHARE = 0.15;
    public static final int PRODUCTS = 20;
    /** The join bound: a purchase at most this long after the click. */
    public static final Duration WITHIN = Duration.ofHours(1);
    private static final int USER_ID_COLUMN = 2;

    private final int users;

    /** {@code user_id} is drawn from 1..users. */
    public ClickPurchaseRows(int users) {
        super(new Stream("click_batch", CLICK_HEADER), new Stream("purchase_batch", PURCHASE_HEADER), "pu-%06d");
        requireAtLeastOne("--users", users);
        this.users = users;
    }

    @Override
    public LeadRows newRun() {
        Map<Integer, LocalDateTime> lastClick = new HashMap<>();
        return (rowNumber, clickTime, random, purchases) -> {
            int userId = 1 + random.nextInt(users);
            String page = PAGES.get(random.nextInt(PAGES.size()));
            if (random.nextDouble() < PURCHASE_SHARE) {
                // whole seconds 0..3600: both ends of the bound occur
                long after = random.nextInt((int) WITHIN.toSeconds() + 1);
                purchases.add(clickTime.plusSeconds(after), purchase(userId, random));
            }
            if (random.nextDouble() < STRAY_PURCHASE_SHARE) {
                List<Integer> notClickedWithin = new ArrayList<>();
                for (int user = 1; user <= users; user++) {
                    LocalDateTime last = lastClick.get(user);
                    if (user != userId && (last == null || last.isBefore(clickTime.minus(WITHIN)))) {
                        notClickedWithin.add(user);
                    }
                }
                if (!notClickedWithin.isEmpty()) {
                    int buyer = notClickedWithin.get(random.nextInt(notClickedWithin.size()));
                    purchases.add(clickTime, purchase(buyer, random));
                }
            }
            lastClick.merge(userId, clickTime, (a, b) -> a.isAfter(b) ? a : b);
            return String.join(",", EventTimeline.TIMESTAMP_FORMAT.format(clickTime),
                    String.format(Locale.ROOT, "c-%06d", rowNumber + 1), String.valueOf(userId), page);
        };
    }

    private static String purchase(int userId, Random random) {
        String product = ProductCatalog.productId(1 + random.nextInt(PRODUCTS));
        int cents = 100 + random.nextInt(50_000 - 100 + 1);
        return userId + "," + product + "," + BigDecimal.valueOf(cents, 2).toPlainString();
    }

    @Override
    public String corruptLead(String goodRow, Random random) {
        return MalformedRows.corrupt(goodRow, USER_ID_COLUMN, random);
    }

    @Override
    public String corruptFollower(String goodRow, Random random) {
        return MalformedRows.corrupt(goodRow, USER_ID_COLUMN, random);
    }
}
