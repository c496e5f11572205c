package dev.flinkpatterns.patterns.joins;

import static dev.flinkpatterns.io.RowSchema.Column.required;

import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.io.RowSchema.Type;
import java.time.Duration;
import java.util.List;

/** The stream-stream joins of the guides, by the name {@code --dataset} takes. */
public final class JoinDatasets {

    private JoinDatasets() {}

    private static final Duration ONE_HOUR = Duration.ofHours(1);

    /**
     * The guide's 08_stream_stream_join.py: clicks and purchases of a user, the purchase within an hour after the
     * click; both watermarks 10 minutes.
     */
    public static final JoinDataset CLICKS_PURCHASES = new JoinDataset("clicks-purchases",
            new JoinSide("clicks", "c", RowSchema.of(
                    required("click_time", Type.TIMESTAMP), required("click_id", Type.STRING),
                    required("user_id", Type.STRING), required("page", Type.STRING)),
                    "click_time", "click_id", "user_id", "data/input/clicks", Duration.ofMinutes(10)),
            new JoinSide("purchases", "p", RowSchema.of(
                    required("purchase_time", Type.TIMESTAMP), required("purchase_id", Type.STRING),
                    required("user_id", Type.STRING), required("product_id", Type.STRING),
                    required("amount", Type.DOUBLE)),
                    "purchase_time", "purchase_id", "user_id", "data/input/purchases", Duration.ofMinutes(10)),
            Duration.ZERO, ONE_HOUR, "./patterns generate clicks");

    /**
     * The workshop's stream-to-stream join: an order and its shipment within an hour; watermarks 10 minutes on
     * orders, 15 on shipments.
     */
    public static final JoinDataset ORDERS_SHIPMENTS = new JoinDataset("orders-shipments",
            new JoinSide("orders", "o", RowSchema.of(
                    required("order_time", Type.TIMESTAMP), required("order_id", Type.STRING),
                    required("user_id", Type.STRING), required("product_id", Type.STRING),
                    required("quantity", Type.INT), required("amount", Type.DOUBLE)),
                    "order_time", "order_id", "order_id", "data/input/orders", Duration.ofMinutes(10)),
            new JoinSide("shipments", "s", RowSchema.of(
                    required("ship_time", Type.TIMESTAMP), required("shipment_id", Type.STRING),
                    required("shipment_order_id", Type.STRING), required("carrier", Type.STRING)),
                    "ship_time", "shipment_id", "shipment_order_id", "data/input/shipments", Duration.ofMinutes(15)),
            Duration.ZERO, ONE_HOUR, "./patterns generate orders");

    public static final List<JoinDataset> ALL = List.of(CLICKS_PURCHASES, ORDERS_SHIPMENTS);

    public static JoinDataset named(String name) {
        return ALL.stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "'" + name + "' is not a dataset; available: " + String.join(", ", ALL.stream().map(JoinDataset::name).toList())));
    }
}
