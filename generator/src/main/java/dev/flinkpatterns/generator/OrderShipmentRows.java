package dev.flinkpatterns.generator;

import static dev.flinkpatterns.generator.GeneratorSettings.requireAtLeastOne;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Orders ({@code order_batch_N.csv}) and their shipments ({@code shipment_batch_N.csv}), for the stream-stream
 * join {@code order_id = shipment_order_id AND ship_time BETWEEN order_time AND order_time + 1 hour} and the
 * enrichment with the {@link ProductCatalog}. Per order: with {@link #SHIP_WITHIN_SHARE} a shipment 0 to 60
 * minutes later, with {@link #SHIP_LATE_SHARE} one 1 to 3 hours later (outside the bound), otherwise none; and
 * with {@link #UNKNOWN_ORDER_SHARE} also a shipment, at the order's time, of an order that does not exist
 * ({@code o-1000001}, ...: seven digits, never the id of one of a run's first million orders).
 */
public final class OrderShipmentRows extends RelatedRows {

    public static final String ORDER_HEADER = "order_time,order_id,user_id,product_id,quantity,amount";
    public static final String SHIPMENT_HEADER = "ship_time,shipment_id,shipment_order_id,carrier";
    public static final List<String> CARRIERS = List.of("ups", "dhl", "fedex", "usps");
    public static final double SHIP_WITHIN_SHARE = 0.65;
    public static final double SHIP_LATE_SHARE = 0.15;
    public static final double UNKNOWN_ORDER_SHARE = 0.1;
    /** Product ids beyond the catalog's products: orders the enrichment cannot find. */
    public static final int UNCATALOGUED_PRODUCTS = 2;
    public static final Duration WITHIN = Duration.ofHours(1);
    private static final int MAX_QUANTITY = 5;
    private static final long UNKNOWN_ORDER_BASE = 1_000_000;
    private static final int USER_ID_COLUMN = 2;

    private final int users;
    private final int products;

    /**
     * {@code user_id} from 1..users; {@code product_id} from p-001 to p-(products + 2), the last two not in a
     * catalog of {@code products}; {@code amount} is quantity × the product's catalog price (revision 1).
     */
    public OrderShipmentRows(int users, int products) {
        super(new Stream("order_batch", ORDER_HEADER), new Stream("shipment_batch", SHIPMENT_HEADER), "s-%06d");
        requireAtLeastOne("--users", users);
        requireAtLeastOne("--products", products);
        this.users = users;
        this.products = products;
    }

    @Override
    public LeadRows newRun() {
        long[] unknownOrders = {0};
        return (rowNumber, orderTime, random, shipments) -> {
            String orderId = String.format(Locale.ROOT, "o-%06d", rowNumber + 1);
            int userId = 1 + random.nextInt(users);
            int product = 1 + random.nextInt(products + UNCATALOGUED_PRODUCTS);
            int quantity = 1 + random.nextInt(MAX_QUANTITY);
            BigDecimal amount = ProductCatalog.price(product, 1).multiply(BigDecimal.valueOf(quantity));
            double shipping = random.nextDouble();
            if (shipping < SHIP_WITHIN_SHARE) {
                long after = random.nextInt((int) WITHIN.toSeconds() + 1); // 0..3600 s: both ends of the bound
                shipments.add(orderTime.plusSeconds(after), orderId + "," + carrier(random));
            } else if (shipping < SHIP_WITHIN_SHARE + SHIP_LATE_SHARE) {
                long after = WITHIN.toSeconds() + 1 + random.nextInt((int) WITHIN.toSeconds() * 2);
                shipments.add(orderTime.plusSeconds(after), orderId + "," + carrier(random));
            }
            if (random.nextDouble() < UNKNOWN_ORDER_SHARE) {
                shipments.add(orderTime, "o-" + (UNKNOWN_ORDER_BASE + ++unknownOrders[0]) + "," + carrier(random));
            }
            return String.join(",", EventTimeline.TIMESTAMP_FORMAT.format(orderTime), orderId, String.valueOf(userId),
                    ProductCatalog.productId(product), String.valueOf(quantity), amount.toPlainString());
        };
    }

    private static String carrier(Random random) {
        return CARRIERS.get(random.nextInt(CARRIERS.size()));
    }

    @Override
    public String corruptLead(String goodRow, Random random) {
        return MalformedRows.corrupt(goodRow, USER_ID_COLUMN, random);
    }

    @Override
    public String corruptFollower(String goodRow, Random random) {
        return MalformedRows.corruptWithoutUserId(goodRow, random);
    }
}
