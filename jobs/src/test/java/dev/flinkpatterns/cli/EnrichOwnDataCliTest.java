package dev.flinkpatterns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.core.DisplayPath;
import dev.flinkpatterns.io.Json;
import dev.flinkpatterns.io.SchemaDdl;
import dev.flinkpatterns.io.TestDatasets;
import dev.flinkpatterns.patterns.enrich.Enrichment;
import dev.flinkpatterns.testing.CapturedRun;
import dev.flinkpatterns.testing.FlinkTests;
import dev.flinkpatterns.testing.ParquetGroups;
import dev.flinkpatterns.testing.RuntimeWithPostgres;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * enrich over the user's own files: the taxi trips (no header, their own timestamp format, DECIMAL fares) joined on
 * zone with a JSON zone catalog (BOOLEAN, DECIMAL, a column named as a trip column); exact rows on the console and in
 * Parquet (read back by parquet-hadoop's reader with its logical types), a dead letter, the same from Parquet trips,
 * one-line column errors; and
 * the SQL lookup join of JSON (and Parquet) orders of their own (a column named as a SQL reserved word) in an
 * embedded PostgreSQL.
 */
class EnrichOwnDataCliTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    static final String ZONES_DDL = "zone STRING, borough STRING, airport BOOLEAN, fare DECIMAL(10,2)";
    /** Orders of their own for the SQL lookup join: a column named as a SQL reserved word, a sku as the key. */
    static final String SKU_ORDERS_DDL = "timestamp TIMESTAMP, sku STRING, price DECIMAL(10,2)";

    /** The trips with their zones and one dead letter (%s: its directory), whichever the trips' format. */
    static final String ENRICHED_TRIPS = """
            -------------------------------------------
            Batch: 0
            -------------------------------------------
            +-------------------+-------------------+---------------+-----+----------+---------+-------+------------+
            |          pickup_at|         dropoff_at|           zone| fare|passengers|  borough|airport|catalog_fare|
            +-------------------+-------------------+---------------+-----+----------+---------+-------+------------+
            |2024-01-15 08:05:00|2024-01-15 08:25:00|        Midtown|23.50|         1|Manhattan|  false|        null|
            |2024-01-15 08:12:00|2024-01-15 08:40:00|Newark, Airport|71.25|         2|   Newark|   true|       70.00|
            |2024-01-15 08:31:00|2024-01-15 08:44:00|        Midtown|12.00|         1|Manhattan|  false|        null|
            |2024-01-15 09:02:00|2024-01-15 09:30:00|         Harlem|18.75|         3|     null|   null|        null|
            |2024-01-15 09:15:00|2024-01-15 09:21:00|        Midtown| 7.80|         1|Manhattan|  false|        null|
            |2024-01-15 09:48:00|2024-01-15 10:20:00|Newark, Airport|68.00|         4|   Newark|   true|       70.00|
            +-------------------+-------------------+---------------+-----+----------+---------+-------+------------+

            Dead letters: 1 malformed record(s) written to %s
            """;

    @TempDir
    Path tmp;

    @Test
    @Timeout(120)
    void tripsWithTheirZoneInTheFilesOrderAndATripWithoutZoneIsADeadLetter() throws Exception {
        Path input = taxiCopy();
        FlinkTests.writeLines(input, "trips-3.csv", "15/01/2024 10:02,15/01/2024 10:30,,9.50,1");

        CapturedRun run = CapturedRun.onContext(enrich(input, "--output", tmp.resolve("out").toString()));

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo(ENRICHED_TRIPS.formatted(DisplayPath.of(tmp.resolve("out/dead-letter"))));
        assertThat(FlinkTests.linesOfVisibleFiles(tmp.resolve("out/dead-letter"))).singleElement().asString()
                .contains("\"line\":1", "\"reason\":\"column zone is null\"");
    }

    /**
     * The trips as Parquet (one file, both CSV files' rows in order), the trip without a zone in a file of its own:
     * the same rows and dead letter as the CSV files (a Parquet dead letter names the directory and the column).
     */
    @Test
    @Timeout(120)
    void tripsInParquetWithTheirZoneAndATripWithoutZoneIsADeadLetter() throws Exception {
        Path lines = tmp.resolve("trips");
        List<String> trips = new ArrayList<>(Files.readAllLines(TestDatasets.taxi().resolve("trips-1.csv")));
        trips.addAll(Files.readAllLines(TestDatasets.taxi().resolve("trips-2.csv")));
        FlinkTests.writeLines(lines, "trips.csv", trips.toArray(String[]::new));
        // The taxi CSV files have no bad lines: every line is a row of the Parquet file.
        Path input = TestDatasets.asParquet(lines, TestDatasets.taxiOptions(), tmp.resolve("trips-parquet"));
        TestDatasets.writeParquet(TestDatasets.taxiOptions().rowSchema(), List.of(Row.of(
                LocalDateTime.parse("2024-01-15T10:02:00"), LocalDateTime.parse("2024-01-15T10:30:00"), null,
                new BigDecimal("9.50"), 1)), input.resolve("trips-3.parquet"));

        CapturedRun run = CapturedRun.onContext(enrich(input, "--format", "parquet", "--output",
                tmp.resolve("out").toString()));

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo(ENRICHED_TRIPS.formatted(DisplayPath.of(tmp.resolve("out/dead-letter"))));
        assertThat(FlinkTests.linesOfVisibleFiles(tmp.resolve("out/dead-letter"))).singleElement().asString()
                .contains("\"path\":" + Json.quote(input.toString()), "\"line\":0",
                        "\"reason\":\"column zone is null\"");
    }

    @Test
    @Timeout(120)
    void parquetHasTheTypesOfBothFiles() throws Exception {
        Path out = tmp.resolve("out");

        CapturedRun run = CapturedRun.onContext(enrich(taxiCopy(), "--sink", "parquet", "--output", out.toString()));

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(ParquetGroups.schemaOfEvery(out.resolve("results"))).isEqualTo("""
                message dev.flinkpatterns.row {
                  optional int64 pickup_at (TIMESTAMP(MILLIS,true));
                  optional int64 dropoff_at (TIMESTAMP(MILLIS,true));
                  optional binary zone (STRING);
                  optional binary fare (DECIMAL(10,2));
                  optional int32 passengers;
                  optional binary borough (STRING);
                  optional boolean airport;
                  optional binary catalog_fare (DECIMAL(10,2));
                }
                """);
        List<String> rows = new ArrayList<>(ParquetGroups.rows(out.resolve("results"), ParquetGroups::cells));
        rows.sort(null);
        assertThat(rows).containsExactly(
                "2024-01-15T08:05:00Z|2024-01-15T08:25:00Z|Midtown|23.50|1|Manhattan|false|null",
                "2024-01-15T08:12:00Z|2024-01-15T08:40:00Z|Newark, Airport|71.25|2|Newark|true|70.00",
                "2024-01-15T08:31:00Z|2024-01-15T08:44:00Z|Midtown|12.00|1|Manhattan|false|null",
                "2024-01-15T09:02:00Z|2024-01-15T09:30:00Z|Harlem|18.75|3|null|null|null",
                "2024-01-15T09:15:00Z|2024-01-15T09:21:00Z|Midtown|7.80|1|Manhattan|false|null",
                "2024-01-15T09:48:00Z|2024-01-15T10:20:00Z|Newark, Airport|68.00|4|Newark|true|70.00");
    }

    @Test
    void columnsThatDoNotExistAreOneLineErrors() throws Exception {
        String trips = "pickup_at TIMESTAMP, dropoff_at TIMESTAMP, zone STRING, fare DECIMAL(10,2), passengers INT";
        assertError("--key borough: no such column; columns: " + trips, "--key", "borough");
        assertError("--catalog-key zone_name: no such column; columns: " + ZONES_DDL, "--key", "zone",
                "--catalog-key", "zone_name");
        assertError("give --key COLUMN, one of: " + trips);
        assertError("--key passengers is INT but the catalog's zone is STRING; the join columns need one type",
                "--key", "passengers", "--catalog-key", "zone");
        assertError("--catalog-format parquet: the catalog is csv or json", "--key", "zone", "--catalog-format", "parquet");
        assertError("--catalog-format goes with --api datastream; --api sql looks the rows up in the catalog table by "
                + "its product_id", "--key", "zone", "--api", "sql");
    }

    @Test
    @Timeout(120)
    void sqlLooksTheStreamsOwnKeyUpInTheCatalogTable() throws Exception {
        Path orders = FlinkTests.writeLines(tmp.resolve("orders"), "orders.jsonl",
                "{\"timestamp\":\"2024-03-01T10:00:00\",\"sku\":\"p1\",\"price\":3.5}",
                "{\"timestamp\":\"2024-03-01T10:00:01\",\"sku\":\"p9\",\"price\":1.25}",
                "{\"timestamp\":\"2024-03-01T10:00:02\",\"price\":2}").getParent();

        assertThat(lookUp(orders, "json")).contains("\"line\":3", "\"reason\":\"column sku is null\"");
    }

    /** The same orders as Parquet (one file): the same rows, the order without a sku a dead letter. */
    @Test
    @Timeout(120)
    void sqlLooksParquetRowsUpInTheCatalogTable() throws Exception {
        Path orders = Files.createDirectories(tmp.resolve("orders"));
        TestDatasets.writeParquet(SchemaDdl.parse(SKU_ORDERS_DDL), List.of(
                Row.of(LocalDateTime.parse("2024-03-01T10:00:00"), "p1", new BigDecimal("3.50")),
                Row.of(LocalDateTime.parse("2024-03-01T10:00:01"), "p9", new BigDecimal("1.25")),
                Row.of(LocalDateTime.parse("2024-03-01T10:00:02"), null, new BigDecimal("2.00"))),
                orders.resolve("orders.parquet"));

        assertThat(lookUp(orders, "parquet")).contains("\"path\":" + Json.quote(orders.toString()), "\"line\":0",
                "\"reason\":\"column sku is null\"");
    }

    /** enrich --api sql of {@code orders} (of {@link #SKU_ORDERS_DDL}) on their sku: the rows; the dead letter's line. */
    private String lookUp(Path orders, String format) throws Exception {
        Path catalog = FlinkTests.writeLines(tmp.resolve("catalog"), "product_catalog.csv",
                "product_id,product_name,category,price", "p1,pen,office,1.50");
        RuntimeWithPostgres runtime = new RuntimeWithPostgres();

        CapturedRun run = CapturedRun.of(runtime, "enrich", "--api", "sql", "--postgres", "embedded", "--catalog",
                catalog.toString(), "--input", orders.toString(), "--format", format, "--schema", SKU_ORDERS_DDL,
                "--key", "sku", "--trigger", "available-now", "--output", tmp.resolve("out").toString());

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("""
                PostgreSQL (embedded, stopped at the end of the run): %s
                Catalog: 1 product(s) of %s upserted into table product_catalog
                -------------------------------------------
                Batch: 0
                -------------------------------------------
                +-------------------+---+-----+------------+--------+-------------+
                |          timestamp|sku|price|product_name|category|catalog_price|
                +-------------------+---+-----+------------+--------+-------------+
                |2024-03-01 10:00:00| p1| 3.50|         pen|  office|          1.5|
                |2024-03-01 10:00:01| p9| 1.25|        null|    null|         null|
                +-------------------+---+-----+------------+--------+-------------+

                Dead letters: 1 malformed record(s) written to %s
                """.formatted(runtime.started().address().jdbcUrl(), DisplayPath.of(catalog),
                DisplayPath.of(tmp.resolve("out/dead-letter"))));
        List<String> deadLetters = FlinkTests.linesOfVisibleFiles(tmp.resolve("out/dead-letter"));
        assertThat(deadLetters).hasSize(1);
        return deadLetters.get(0);
    }

    /** The lookup join's select list comes from the stream's schema; names SQL reserves are quoted. */
    @Test
    void theSqlSelectListIsTheStreamsColumnsThenTheCatalogs() {
        assertThat(Enrichment.sqlText(List.of("timestamp", "product_id", "price", "_order_key"), "product_id"))
                .isEqualTo("""
                        SELECT o.`timestamp`, o.product_id, o.price, o.`_order_key`,
                               c.product_name, c.category, c.price AS catalog_price
                        FROM orders AS o
                        LEFT JOIN product_catalog FOR SYSTEM_TIME AS OF o.proc_time AS c
                          ON o.product_id = c.product_id""");
    }

    /** The run of {@link #enrich} without its --key, with {@code options} in place of its own. */
    private void assertError(String message, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of(enrich(taxiCopy())));
        List<String> replaced = new ArrayList<>(List.of(options));
        replaced.add("--key");
        for (String option : replaced) {
            int index = args.indexOf(option);
            if (index >= 0) {
                args.subList(index, index + 2).clear();
            }
        }
        args.addAll(List.of(options));
        CapturedRun.onContext(args.toArray(String[]::new))
                .assertOneLineError("patterns enrich: " + message + " (see 'patterns enrich --help')");
    }

    private String[] enrich(Path input, String... more) {
        List<String> args = new ArrayList<>(List.of("enrich", "--input", input.toString(),
                "--schema", TestDatasets.TAXI_DDL, "--header", "false", "--timestamp-format",
                TestDatasets.TAXI_TIMESTAMP_FORMAT, "--key", "zone",
                "--catalog", TestDatasets.zones().resolve("zones.jsonl").toString(), "--catalog-format", "json",
                "--catalog-schema", ZONES_DDL, "--trigger", "available-now"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    /** The taxi files in a directory of the test's own (once per test). */
    private Path taxiCopy() throws Exception {
        return TestDatasets.taxiCopy(tmp);
    }
}
