package dev.flinkpatterns.parity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * enrich: the workshop's stream-static join ({@code streaming_df.join(catalog, "product_id", "left")}) of generated
 * orders (malformed lines included; some products not in the catalog) with the generated catalog, Spark and Flink on
 * the same files. They differ by one documented rule: an order line Flink sends to the dead letters (a field that
 * does not convert, a missing or an extra field) is an order in Spark's default PERMISSIVE mode, with null in the
 * fields that do not convert or are missing, and it is joined like any other.
 */
class EnrichParityTest {

    private static final String ORDERS = "order_time TIMESTAMP, order_id STRING, user_id INT, product_id STRING, "
            + "quantity INT, amount DOUBLE";
    private static final String CATALOG = "product_id STRING, product_name STRING, category STRING, price DOUBLE";
    private static final List<String> COLUMNS = List.of("order_time", "order_id", "user_id", "product_id",
            "quantity", "amount", "product_name", "category", "price");

    @Test
    void enrichedOrdersAreTheSameButForTheDeadLetters() throws IOException {
        String catalogFile = Patterns.freshDirectory("enrich/catalog") + "/product_catalog.csv";
        Patterns.run("generate", "catalog", "--out", catalogFile);
        String orders = Patterns.freshDirectory("enrich/orders");
        Patterns.run("generate", "orders", "--orders-out", orders, "--shipments-out",
                Patterns.freshDirectory("enrich/shipments"), "--files", "3", "--rows", "10", "--interval", "0s",
                "--time-per-file", "1m", "--seed", "13", "--start-time", "2026-03-01T10:00:00",
                "--malformed-fraction", "0.2");
        String output = Patterns.freshDirectory("enrich/flink");
        Patterns.run("enrich", "--input", orders, "--catalog", catalogFile, "--trigger", "available-now",
                "--sink", "json", "--output", output);

        SparkSession spark = SparkSessions.get();
        Dataset<Row> catalog = spark.read().schema(CATALOG).option("header", "true")
                .csv(Patterns.ROOT.resolve(catalogFile).toString());
        Dataset<Row> streamingOrders = spark.readStream().schema(ORDERS).option("header", "true")
                .option("maxFilesPerTrigger", 1).csv(Patterns.ROOT.resolve(orders).toString());
        Dataset<Row> enriched = streamingOrders.join(catalog, "product_id", "left");
        List<String> sparkRows = Rows.of(SparkSessions.appendedRows(enriched));

        List<Map<String, String>> flinkRows = Rows.cellsOfJsonLines(output + "/results");
        // Flink's JSON sink leaves a null column out.
        flinkRows.forEach(row -> COLUMNS.forEach(column -> row.putIfAbsent(column, "null")));
        Map<String, Map<String, String>> products = new HashMap<>();
        for (String line : Files.readAllLines(Patterns.ROOT.resolve(catalogFile))) {
            Map<String, String> product = Rows.permissiveCsvRow(line, CATALOG);
            products.put(product.get("product_id"), product);
        }
        List<String> deadLetters = Rows.deadLetterRecords(output);
        assertThat(deadLetters).as("malformed order lines").hasSizeGreaterThanOrEqualTo(3);
        List<Map<String, String>> expected = new ArrayList<>(flinkRows);
        for (String record : deadLetters) {
            Map<String, String> order = Rows.permissiveCsvRow(record, ORDERS);
            Map<String, String> product = products.get(order.get("product_id"));
            for (String column : List.of("product_name", "category", "price")) {
                order.put(column, product == null ? "null" : product.get(column));
            }
            expected.add(order);
        }
        assertThat(flinkRows).as("orders of products the catalog does not have")
                .anyMatch(row -> row.get("product_name").equals("null"));
        assertThat(sparkRows).hasSize(30 - Rows.blankLines(orders));
        ParityCases.differs("enrich", Rows.texts(flinkRows), sparkRows, Rows.texts(expected));
    }
}
