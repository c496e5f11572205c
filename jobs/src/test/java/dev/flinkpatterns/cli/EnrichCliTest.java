package dev.flinkpatterns.cli;

import static dev.flinkpatterns.testing.FlinkTests.writeLines;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.core.DisplayPath;
import dev.flinkpatterns.services.EmbeddedPostgresExtension;
import dev.flinkpatterns.testing.CapturedRun;
import dev.flinkpatterns.testing.FlinkTests;
import dev.flinkpatterns.testing.RuntimeWithPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** enrich through the CLI: the same exact table from the catalog file and from PostgreSQL, and the refusals. */
class EnrichCliTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    @RegisterExtension
    static final EmbeddedPostgresExtension POSTGRES = new EmbeddedPostgresExtension();

    static final String TABLE = """
            -------------------------------------------
            Batch: 0
            -------------------------------------------
            +-------------------+--------+-------+----------+--------+------+------------+----------+-----+
            |order_time         |order_id|user_id|product_id|quantity|amount|product_name|category  |price|
            +-------------------+--------+-------+----------+--------+------+------------+----------+-----+
            |2024-03-01 10:00:00|o1      |1      |p1        |2       |3.0   |pen         |office    |1.5  |
            |2024-03-01 10:00:01|o2      |2      |p2        |1       |2.0   |ink         |office    |2.0  |
            |2024-03-01 10:00:02|o3      |1      |p9        |1       |9.99  |null        |null      |null |
            |2024-03-01 10:00:04|o5      |3      |p3        |4       |2.0   |paper       |stationery|0.5  |
            +-------------------+--------+-------+----------+--------+------+------------+----------+-----+

            """;

    @TempDir
    Path tmp;

    private Path orders() throws Exception {
        return writeLines(tmp.resolve("orders"), "orders_0.csv", "order_time,order_id,user_id,product_id,quantity,amount",
                "2024-03-01T10:00:02.000000,o3,1,p9,1,9.99",
                "2024-03-01T10:00:00.000000,o1,1,p1,2,3.00",
                "2024-03-01T10:00:03.000000,o4,2,p1,2,",
                "2024-03-01T10:00:01.000000,o2,2,p2,1,2.00",
                "2024-03-01T10:00:04.000000,o5,3,p3,4,2.00").getParent();
    }

    private Path catalog() throws Exception {
        return writeLines(tmp.resolve("catalog"), "product_catalog.csv", "product_id,product_name,category,price",
                "p1,pen,office,1.50", "p2,ink,office,2.00", "p3,paper,stationery,0.50", "p4,stapler,office,many");
    }

    private List<String> enrich(String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("enrich", "--input", orders().toString(), "--trigger", "available-now",
                "--truncate", "false", "--output", tmp.resolve("out").toString()));
        args.addAll(List.of(more));
        return args;
    }

    private String deadLetters(int count) {
        return "Dead letters: " + count + " malformed record(s) written to " + DisplayPath.of(tmp.resolve("out/dead-letter")) + "\n";
    }

    @Test
    @Timeout(120)
    void datastreamJoinsTheCatalogFile() throws Exception {
        CapturedRun run = CapturedRun.onContext(enrich("--catalog", catalog().toString()).toArray(String[]::new));

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo(TABLE + deadLetters(2));
    }

    @Test
    @Timeout(120)
    void sqlFillsAnEmbeddedPostgresFromTheFileAndLooksTheProductsUp() throws Exception {
        RuntimeWithPostgres runtime = new RuntimeWithPostgres();
        CapturedRun run = CapturedRun.of(runtime, enrich("--api", "sql", "--postgres", "embedded", "--catalog",
                catalog().toString()).toArray(String[]::new));

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("PostgreSQL (embedded, stopped at the end of the run): "
                + runtime.started().address().jdbcUrl() + "\n"
                + "Catalog: 3 product(s) of " + DisplayPath.of(catalog()) + " upserted into table product_catalog; 1 line(s) refused: "
                + "line 5: price is not a number: 'many'\n"
                + TABLE + deadLetters(1));
    }

    @Test
    @Timeout(120)
    void oneEmbeddedPostgresHoldsTheCatalogAndTheResultTable() throws Exception {
        RuntimeWithPostgres runtime = new RuntimeWithPostgres();
        CapturedRun run = CapturedRun.of(runtime, enrich("--api", "sql", "--postgres", "embedded", "--catalog",
                catalog().toString(), "--sink", "postgres", "--delivery", "at-least-once").toArray(String[]::new));

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        String url = runtime.started().address().jdbcUrl();
        assertThat(run.out()).isEqualTo("PostgreSQL (embedded, stopped at the end of the run): " + url + "\n"
                + "Catalog: 3 product(s) of " + DisplayPath.of(catalog()) + " upserted into table product_catalog; 1 line(s) refused: "
                + "line 5: price is not a number: 'many'\n"
                + "Writing table enrich (at-least-once) to " + url + "\n"
                + deadLetters(1)
                + "Table enrich: 4 row(s)\n"
                + TABLE.substring(TABLE.indexOf('+')).stripTrailing() + "\n");
    }

    @Test
    @Timeout(120)
    void sqlUsesAnExistingTableAsItIs() throws Exception {
        POSTGRES.execute("CREATE TABLE products (product_id TEXT PRIMARY KEY, product_name TEXT, category TEXT, "
                        + "price DOUBLE PRECISION)",
                "INSERT INTO products VALUES ('p1', 'pen', 'office', 1.5), ('p2', 'ink', 'office', 2.0), "
                        + "('p3', 'paper', 'stationery', 0.5)");
        CapturedRun run = CapturedRun.onContext(enrich("--api", "sql", "--postgres", POSTGRES.jdbcUrl(),
                "--postgres-credentials", credentials().toString(), "--catalog-table", "products",
                "--lookup-cache-ttl", "1s").toArray(String[]::new));

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo(TABLE + deadLetters(1));
    }

    @Test
    void refusesAMissingTable() throws Exception {
        CapturedRun.onContext(enrich("--api", "sql", "--postgres", POSTGRES.jdbcUrl(), "--postgres-credentials",
                        credentials().toString(), "--catalog-table", "no_such_table").toArray(String[]::new))
                .assertOneLineError("patterns enrich: table no_such_table does not exist in " + POSTGRES.jdbcUrl()
                        + ": give --catalog FILE to create and fill it, or --catalog-table NAME (see 'patterns enrich --help')");
    }

    private Path credentials() throws Exception {
        return Files.writeString(tmp.resolve("postgres.properties"), "user=postgres\npassword=\n");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--api sql|patterns enrich: --api sql looks the products up in PostgreSQL: give --postgres embedded (with --catalog FILE to fill it) or --postgres jdbc:postgresql://HOST:PORT/DB (see 'patterns enrich --help')",
        "--api sql --postgres embedded --catalog-poll-interval 2s|patterns enrich: --catalog-poll-interval goes with --api datastream; --api sql has --lookup-cache-ttl (see 'patterns enrich --help')",
        "--api sql --postgres embedded --lookup-cache-ttl 0s|patterns enrich: --lookup-cache-ttl must be positive, got PT0S (see 'patterns enrich --help')",
        "--api sql --postgres embedded --catalog-table Drop;Table|patterns enrich: --catalog-table Drop;Table is not a table name such as product_catalog or public.products (lower-case letters, digits and _) (see 'patterns enrich --help')",
        "--api sql --postgres mysql://db|patterns enrich: --postgres mysql://db is neither embedded nor a JDBC URL such as jdbc:postgresql://localhost:5432/db (see 'patterns enrich --help')",
        "--catalog-table products|patterns enrich: --catalog-table goes with --api sql (the lookup join in PostgreSQL) (see 'patterns enrich --help')",
        "--lookup-cache-ttl 5s|patterns enrich: --lookup-cache-ttl goes with --api sql (the lookup join in PostgreSQL) (see 'patterns enrich --help')",
        "--postgres embedded|patterns enrich: --postgres goes with --api sql (the lookup join) or --sink postgres (see 'patterns enrich --help')",
        "--catalog /no/such/catalog.csv|patterns enrich: --catalog /no/such/catalog.csv: no such file (write one with: ./patterns generate catalog) (see 'patterns enrich --help')",
        "--catalog-poll-interval 0s|patterns enrich: --catalog-poll-interval must be positive, got PT0S (see 'patterns enrich --help')",
        "--output-mode complete|patterns enrich: --output-mode complete: Complete output mode not supported when there are no streaming aggregations on streaming DataFrames/Datasets (the table of all rows would grow without bound) (see 'patterns enrich --help')",
        "--api sql --postgres embedded --no-catalog|patterns enrich: --postgres embedded starts an empty PostgreSQL: give --catalog FILE to fill its catalog table (see 'patterns enrich --help')",
        "--api sql --postgres embedded --catalog /no/such.csv --trigger once|patterns enrich: --catalog /no/such.csv: no such file (write one with: ./patterns generate catalog) (see 'patterns enrich --help')"})
    void refusesWithOneLine(String options, String expected) throws Exception {
        Path input = Files.createDirectories(tmp.resolve("empty"));
        List<String> args = new ArrayList<>(List.of("enrich", "--input", input.toString()));
        if (!options.contains("--catalog ") && !options.contains("--no-catalog")) {
            args.addAll(List.of("--catalog", catalog().toString()));
        }
        args.addAll(List.of(options.replace(" --no-catalog", "").split(" ")));
        CapturedRun.onContext(args.toArray(String[]::new)).assertOneLineError(expected);
    }
}
