package dev.flinkpatterns.generator;

import static dev.flinkpatterns.generator.FixedRuns.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Orders and their shipments: formats, ids, catalog prices, the one-hour join bound and the unmatched kinds. */
class OrderShipmentRowsTest {

    @TempDir
    Path tmp;

    /** 6 files of 10 orders, 2 minutes apart, 5 users, a catalog of 20 products. */
    private List<Path> run(long seed, double malformedFraction) throws Exception {
        GeneratorSettings settings = new GeneratorSettings(tmp.resolve("orders"), 6, 10, Duration.ZERO, seed, START,
                malformedFraction).withTimePerFile(Duration.ofMinutes(20));
        return FixedRuns.run(settings, new OrderShipmentRows(5, 20), tmp.resolve("shipments"));
    }

    private static List<Path> every(List<Path> files, int from) {
        return IntStream.range(0, files.size()).filter(i -> i % 2 == from).mapToObj(files::get).toList();
    }

    private static LocalDateTime time(String field) {
        return LocalDateTime.parse(field, EventTimeline.TIMESTAMP_FORMAT);
    }

    @Test
    void ordersArePricedFromTheCatalogAndTwoProductsAreNotInIt() throws Exception {
        List<Path> files = run(5, 0);
        for (Path file : every(files, 0)) {
            assertThat(Files.readAllLines(file).get(0)).isEqualTo("order_time,order_id,user_id,product_id,quantity,amount");
        }
        List<String> orders = FixedRuns.lines(every(files, 0), true);

        assertThat(orders).hasSize(60);
        Set<String> products = new HashSet<>();
        for (int i = 0; i < orders.size(); i++) {
            String[] fields = orders.get(i).split(",", -1);
            assertThat(fields).hasSize(6);
            assertThat(time(fields[0])).isEqualTo(START.plusMinutes(2L * i));
            assertThat(fields[1]).isEqualTo(String.format("o-%06d", i + 1));
            assertThat(Integer.parseInt(fields[2])).isBetween(1, 5);
            int product = Integer.parseInt(fields[3].substring(2));
            assertThat(fields[3]).isEqualTo(String.format("p-%03d", product));
            assertThat(product).isBetween(1, 22);
            int quantity = Integer.parseInt(fields[4]);
            assertThat(quantity).isBetween(1, 5);
            assertThat(fields[5]).isEqualTo(ProductCatalog.price(product, 1).multiply(BigDecimal.valueOf(quantity)).toPlainString());
            products.add(fields[3]);
        }
        // seed 5: 21 distinct products ordered, among them both that the catalog lacks
        assertThat(products).hasSize(21).contains("p-021", "p-022");
    }

    @Test
    void shipmentsWithinTheHourLaterNeverAndOfUnknownOrders() throws Exception {
        List<Path> files = run(5, 0);
        Map<String, LocalDateTime> orderTimes = new HashMap<>();
        for (String order : FixedRuns.lines(every(files, 0), true)) {
            String[] fields = order.split(",", -1);
            orderTimes.put(fields[1], time(fields[0]));
        }
        for (Path file : every(files, 1)) {
            assertThat(Files.readAllLines(file).get(0)).isEqualTo("ship_time,shipment_id,shipment_order_id,carrier");
        }
        List<String> shipments = FixedRuns.lines(every(files, 1), true);

        int within = 0;
        int later = 0;
        int unknown = 0;
        Set<String> shipped = new HashSet<>();
        LocalDateTime previous = LocalDateTime.MIN;
        for (int i = 0; i < shipments.size(); i++) {
            String[] fields = shipments.get(i).split(",", -1);
            assertThat(fields).hasSize(4);
            assertThat(fields[1]).isEqualTo(String.format("s-%06d", i + 1));
            assertThat(fields[3]).isIn(OrderShipmentRows.CARRIERS);
            LocalDateTime shipTime = time(fields[0]);
            assertThat(shipTime).isAfterOrEqualTo(previous); // in time order without skew
            previous = shipTime;
            LocalDateTime orderTime = orderTimes.get(fields[2]);
            if (orderTime == null) {
                assertThat(fields[2]).matches("o-1\\d{6}");
                unknown++;
            } else {
                assertThat(shipped.add(fields[2])).as("one shipment per order").isTrue();
                assertThat(shipTime).isAfterOrEqualTo(orderTime).isBefore(orderTime.plusHours(3));
                if (shipTime.isAfter(orderTime.plusHours(1))) {
                    later++;
                } else {
                    within++;
                }
            }
        }
        // seed 5, 60 orders: 31 ship within the hour (the inner join), 14 later, 15 never; 7 shipments of unknown orders
        assertThat(within).isEqualTo(31);
        assertThat(later).isEqualTo(14);
        assertThat(orderTimes.size() - shipped.size()).isEqualTo(15);
        assertThat(unknown).isEqualTo(7);
    }

    @Test
    void sameSeedSameFiles() throws Exception {
        List<Path> first = run(9, 0.1);
        Path other = tmp.resolve("again");
        GeneratorSettings settings = new GeneratorSettings(other.resolve("orders"), 6, 10, Duration.ZERO, 9, START, 0.1)
                .withTimePerFile(Duration.ofMinutes(20));
        List<Path> second = FixedRuns.run(settings, new OrderShipmentRows(5, 20), other.resolve("shipments"));

        assertThat(second).hasSize(12);
        for (int i = 0; i < first.size(); i++) {
            assertThat(Files.readString(second.get(i))).isEqualTo(Files.readString(first.get(i)));
        }
    }

    @Test
    void malformedShipmentsKeepTheirOrderIdText() throws Exception {
        List<String> shipments = FixedRuns.lines(every(run(5, 1.0), 1), true);

        String ts = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}";
        List<String> shapes = List.of(
                ts + ",s-\\d{6},o-\\d{6,7}",                  // MISSING_FIELD: no carrier
                ts + ",s-\\d{6},o-\\d{6,7},[a-z]+,extra",     // EXTRA_FIELD
                "yesterday,s-\\d{6},o-\\d{6,7},[a-z]+",       // BAD_TIMESTAMP
                "");                                          // BLANK_LINE
        Set<Integer> seen = new HashSet<>();
        for (String row : shipments) {
            int shape = IntStream.range(0, shapes.size()).filter(i -> row.matches(shapes.get(i))).findFirst().orElse(-1);
            assertThat(shape).as("malformed shape of '%s'", row).isNotNegative();
            seen.add(shape);
        }
        assertThat(seen).containsExactlyInAnyOrder(0, 1, 2, 3);
    }

    @Test
    void invalidSizesNameTheOption() {
        assertThatThrownBy(() -> new OrderShipmentRows(0, 20))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--users must be at least 1, got 0");
        assertThatThrownBy(() -> new OrderShipmentRows(5, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--products must be at least 1, got 0");
    }
}
