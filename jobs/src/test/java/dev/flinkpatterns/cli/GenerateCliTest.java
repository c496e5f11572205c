package dev.flinkpatterns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.testing.CapturedRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The file generators through the CLI: exactly the files and rows asked for; a bad value is one line and exit 2. */
class GenerateCliTest {

    @TempDir
    Path tmp;

    private static final String[] FIXED = {"--interval", "0s", "--seed", "7", "--start-time", "2024-01-15T10:00:00"};

    private static String[] args(String kind, Path out, String... more) {
        return Stream.of(new String[] {"generate", kind, "--out", out.toString()}, FIXED, more)
                .flatMap(Stream::of).toArray(String[]::new);
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void sensorsWritesTheFilesAndRowsAskedFor() throws Exception {
        Path out = tmp.resolve("sensors");
        CapturedRun run = CapturedRun.onContext(args("sensors", out, "--files", "2", "--rows", "3", "--sensors", "4"));

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("wrote " + out.resolve("sensor_batch_0.json") + " (1/2)\n"
                + "wrote " + out.resolve("sensor_batch_1.json") + " (2/2)\n");
        assertThat(names(out)).containsExactly("sensor_batch_0.json", "sensor_batch_1.json");
        for (String name : names(out)) {
            assertThat(Files.readAllLines(out.resolve(name))).hasSize(3)
                    .allMatch(line -> line.matches("\\{\"sensor_id\":\"sensor-0[1-4]\",.*\\}"));
        }
    }

    @Test
    void transactionsWithLateRowsContinueTheNumbering() throws Exception {
        Path out = tmp.resolve("transactions");
        String[] lateRows = {"--files", "2", "--rows", "4", "--disorder", "1s", "--late-fraction", "0.5", "--late-by", "5s"};
        assertThat(CapturedRun.onContext(args("transactions", out, lateRows)).exitCode()).isZero();
        CapturedRun second = CapturedRun.onContext(args("transactions", out, "--files", "1", "--rows", "4"));

        assertThat(second.exitCode()).isZero();
        assertThat(second.out()).isEqualTo("wrote " + out.resolve("transaction_batch_2.csv") + " (1/1)\n");
        assertThat(names(out)).containsExactly("transaction_batch_0.csv", "transaction_batch_1.csv", "transaction_batch_2.csv");
        for (String name : names(out)) {
            List<String> lines = Files.readAllLines(out.resolve(name));
            assertThat(lines).hasSize(5).first().isEqualTo("event_time,transaction_id,user_id,category,region,amount");
        }
    }

    @Test
    void csvTakesTheSkewOptions() throws Exception {
        Path out = tmp.resolve("events");
        CapturedRun run = CapturedRun.onContext(args("csv", out, "--files", "3", "--rows", "5", "--disorder", "2s",
                "--late-fraction", "0.3", "--late-by", "10s", "--users", "2"));

        assertThat(run.exitCode()).isZero();
        assertThat(names(out)).containsExactly("event_batch_0.csv", "event_batch_1.csv", "event_batch_2.csv");
        for (String name : names(out)) {
            List<String> lines = Files.readAllLines(out.resolve(name));
            assertThat(lines).hasSize(6);
            assertThat(lines.subList(1, 6)).allMatch(line -> line.matches("2024-01-15T(09:59|10:00):\\d{2}\\.\\d{6},[12],[a-z]+"));
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "csv|--late-fraction|0.2|--late-by must be positive when --late-fraction > 0",
        "csv|--late-fraction|2|--late-fraction must be between 0 and 1, got 2.0",
        "csv|--disorder|soon|Invalid value for option '--disorder': 'soon' is not a duration (examples: 500ms, 5s, 10 seconds, 2m, 1h)",
        "sensors|--late-by|-1s|Invalid value for option '--late-by': '-1s' is not a duration (examples: 500ms, 5s, 10 seconds, 2m, 1h)",
        "sensors|--sensors|0|--sensors must be at least 1, got 0",
        "sensors|--users|3|Unknown options: '--users', '3'",
        "transactions|--users|0|--users must be at least 1, got 0",
        "transactions|--malformed-fraction|1.5|--malformed-fraction must be between 0 and 1, got 1.5",
    })
    void badValueIsOneLineAndExitCode2(String kind, String option, String value, String message) {
        CapturedRun run = CapturedRun.onContext("generate", kind, "--out", tmp.resolve("x").toString(), option, value);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("patterns generate " + kind + ": " + message
                + " (see 'patterns generate " + kind + " --help')\n");
        assertThat(run.out()).isEmpty();
        assertThat(tmp.resolve("x")).doesNotExist();
    }

    @Test
    void helpDescribesEveryOptionWithItsDefault() {
        for (String kind : List.of("csv", "sensors", "transactions")) {
            assertThat(CapturedRun.onContext("generate", kind, "--help").out()).contains("--out=DIR", "--files=N",
                    "--rows=N", "--interval=DURATION", "--seed=N", "--start-time=DATETIME", "--malformed-fraction=F",
                    "--disorder=DURATION", "--late-fraction=F", "--late-by=DURATION");
        }
        assertThat(CapturedRun.onContext("generate", "sensors", "--help").out())
                .contains("--sensors=N", "data/input/sensors");
        assertThat(CapturedRun.onContext("generate", "transactions", "--help").out())
                .contains("--users=N", "data/input/transactions");
    }

    private static String[] fixed(String... first) {
        return Stream.of(first, FIXED).flatMap(Stream::of).toArray(String[]::new);
    }

    @Test
    void clicksWriteBothStreamsBatchByBatch() throws Exception {
        Path clicks = tmp.resolve("clicks");
        Path purchases = tmp.resolve("purchases");
        CapturedRun run = CapturedRun.onContext(fixed("generate", "clicks", "--clicks-out", clicks.toString(),
                "--purchases-out", purchases.toString(), "--files", "2", "--rows", "5", "--users", "3",
                "--time-per-file", "30m", "--late-fraction", "0.2", "--late-by", "20m"));

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("wrote " + clicks.resolve("click_batch_0.csv") + " (1/2)\n"
                + "wrote " + purchases.resolve("purchase_batch_0.csv") + " (1/2)\n"
                + "wrote " + clicks.resolve("click_batch_1.csv") + " (2/2)\n"
                + "wrote " + purchases.resolve("purchase_batch_1.csv") + " (2/2)\n");
        List<String> clickLines = Files.readAllLines(clicks.resolve("click_batch_1.csv"));
        assertThat(clickLines).hasSize(6).first().isEqualTo("click_time,click_id,user_id,page");
        assertThat(clickLines.subList(1, 6)).allMatch(line -> line.matches("2024-01-15T10:\\d{2}:00\\.000000,c-0000(0[6-9]|10),[1-3],[a-z]+"));
        List<String> purchaseLines = Files.readAllLines(purchases.resolve("purchase_batch_1.csv"));
        assertThat(purchaseLines).hasSizeGreaterThan(1).first().isEqualTo("purchase_time,purchase_id,user_id,product_id,amount");
        assertThat(purchaseLines.subList(1, purchaseLines.size()))
                .allMatch(line -> line.matches("2024-01-15T1[01]:\\d{2}:\\d{2}\\.000000,pu-\\d{6},[1-3],p-0\\d\\d,\\d+\\.\\d{2}"));
    }

    @Test
    void ordersWriteBothStreamsWithProductsBeyondTheCatalog() throws Exception {
        Path orders = tmp.resolve("orders");
        Path shipments = tmp.resolve("shipments");
        CapturedRun run = CapturedRun.onContext(fixed("generate", "orders", "--orders-out", orders.toString(),
                "--shipments-out", shipments.toString(), "--files", "3", "--rows", "10", "--products", "3",
                "--time-per-file", "1h"));

        assertThat(run.exitCode()).isZero();
        assertThat(names(orders)).containsExactly("order_batch_0.csv", "order_batch_1.csv", "order_batch_2.csv");
        assertThat(names(shipments)).containsExactly("shipment_batch_0.csv", "shipment_batch_1.csv", "shipment_batch_2.csv");
        List<String> orderLines = Files.readAllLines(orders.resolve("order_batch_0.csv"));
        assertThat(orderLines).hasSize(11).first().isEqualTo("order_time,order_id,user_id,product_id,quantity,amount");
        // --products 3: p-001..p-005
        assertThat(orderLines.subList(1, 11)).allMatch(line -> line.matches("[^,]+,o-0000(0[1-9]|10),[1-5],p-00[1-5],[1-5],\\d+\\.\\d{2}"));
        assertThat(Files.readAllLines(shipments.resolve("shipment_batch_2.csv")))
                .first().isEqualTo("ship_time,shipment_id,shipment_order_id,carrier");
    }

    @Test
    void catalogAndUserDimReplaceTheirFile() throws Exception {
        Path catalog = tmp.resolve("catalog/product_catalog.csv");
        assertThat(CapturedRun.onContext("generate", "catalog", "--out", catalog.toString(), "--products", "2")
                .exitCode()).isZero();
        CapturedRun revised = CapturedRun.onContext("generate", "catalog", "--out", catalog.toString(), "--products", "2",
                "--revision", "2");
        Path userDim = tmp.resolve("user_dim/user_dim.csv");
        CapturedRun users = CapturedRun.onContext("generate", "user-dim", "--out", userDim.toString(), "--users", "2");

        assertThat(revised.out()).isEqualTo("wrote " + catalog + " (2 products, revision 2)\n");
        assertThat(Files.readString(catalog)).isEqualTo("""
                product_id,product_name,category,price
                p-001,Headphones v2,electronics,35.32
                p-002,Novel v2,books,65.14
                """);
        assertThat(names(catalog.getParent())).containsExactly("product_catalog.csv");
        assertThat(users.out()).isEqualTo("wrote " + userDim + " (2 users)\n");
        assertThat(Files.readString(userDim)).isEqualTo("""
                user_id,user_segment,country,signup_date
                1,new,US,2024-02-17
                2,regular,DE,2024-04-04
                """);
    }

    @Test
    void clickstreamWritesJsonLinesOfItsTenDefaultUsers() throws Exception {
        Path out = tmp.resolve("clickstream");
        CapturedRun run = CapturedRun.onContext(args("clickstream", out, "--files", "2", "--rows", "30"));

        assertThat(run.exitCode()).isZero();
        assertThat(names(out)).containsExactly("clickstream_batch_0.json", "clickstream_batch_1.json");
        List<String> lines = Files.readAllLines(out.resolve("clickstream_batch_1.json"));
        assertThat(lines).hasSize(30).allMatch(line -> line.matches("\\{\"event_id\":\"e-0000[3-6]\\d\",\"user_id\":([1-9]|10),.*\\}"));
        assertThat(CapturedRun.onContext("generate", "clickstream", "--help").out())
                .contains("--users=N", "Default: 10.", "data/input/clickstream", "--time-per-file=DURATION");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "catalog|--revision|0|--revision must be at least 1, got 0",
        "catalog|--products|0|--products must be at least 1, got 0",
        "user-dim|--users|0|--users must be at least 1, got 0",
        "orders|--products|0|--products must be at least 1, got 0",
        "clicks|--time-per-file|-1s|Invalid value for option '--time-per-file': '-1s' is not a duration (examples: 500ms, 5s, 10 seconds, 2m, 1h)",
        "clickstream|--users|0|--users must be at least 1, got 0",
    })
    void badValueOfTheNewGeneratorsIsOneLine(String kind, String option, String value, String message) {
        CapturedRun run = CapturedRun.onContext("generate", kind, option, value);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("patterns generate " + kind + ": " + message
                + " (see 'patterns generate " + kind + " --help')\n");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void paimonOrdersGoesToTheSharedWarehouseOnceOnly() {
        String warehouse = tmp.resolve("lakehouse").toString();
        CapturedRun run = CapturedRun.onContext("generate", "paimon-orders", "--warehouse", warehouse);
        CapturedRun again = CapturedRun.onContext("generate", "paimon-orders", "--warehouse", warehouse);

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("created table shop.orders in " + warehouse + " (snapshots 1 to 3)\n");
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).isEqualTo("patterns generate paimon-orders: table shop.orders exists already in warehouse "
                + warehouse + " (see 'patterns generate paimon-orders --help')\n");
        assertThat(CapturedRun.onContext("generate", "paimon-orders", "--help").out())
                .contains("--warehouse=DIR", "Default: data/output/lakehouse.");
    }
}
