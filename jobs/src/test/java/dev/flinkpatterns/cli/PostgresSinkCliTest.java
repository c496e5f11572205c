package dev.flinkpatterns.cli;

import static dev.flinkpatterns.testing.FlinkTests.writeLines;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.services.EmbeddedPostgresExtension;
import dev.flinkpatterns.testing.CapturedRun;
import dev.flinkpatterns.testing.FlinkTests;
import dev.flinkpatterns.testing.RuntimeWithPostgres;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
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

/**
 * The guide's Pattern 2 (five-minute windows per category with a 10-minute watermark, written to PostgreSQL) through
 * the CLI, into a real PostgreSQL: the exact rows with each guarantee, the embedded server, and the refusals.
 */
class PostgresSinkCliTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    @RegisterExtension
    static final EmbeddedPostgresExtension POSTGRES = new EmbeddedPostgresExtension();

    /** As PostgreSQL prints its typed columns (a DOUBLE PRECISION 30.0 is 30). */
    private static final List<String> EXPECTED_ROWS = List.of(
            "2024-01-15 10:00:00|2024-01-15 10:05:00|books|3|60.75|20.25|10.5|30",
            "2024-01-15 10:00:00|2024-01-15 10:05:00|toys|1|5|5|5|5",
            "2024-01-15 10:05:00|2024-01-15 10:10:00|books|1|1|1|1|1");

    private static final String EXPECTED_TABLE = """
            Table %s: 3 row(s)
            +-------------------+-------------------+--------+-----+-----------+-----------+-----------+-----------+
            |window_start       |window_end         |category|count|sum(amount)|avg(amount)|min(amount)|max(amount)|
            +-------------------+-------------------+--------+-----+-----------+-----------+-----------+-----------+
            |2024-01-15 10:00:00|2024-01-15 10:05:00|books   |3    |60.75      |20.25      |10.5       |30.0       |
            |2024-01-15 10:00:00|2024-01-15 10:05:00|toys    |1    |5.0        |5.0        |5.0        |5.0        |
            |2024-01-15 10:05:00|2024-01-15 10:10:00|books   |1    |1.0        |1.0        |1.0        |1.0        |
            +-------------------+-------------------+--------+-----+-----------+-----------+-----------+-----------+
            """;

    @TempDir
    Path tmp;

    private Path input() throws Exception {
        return writeLines(tmp.resolve("input"), "transaction_batch_0.csv",
                "event_time,transaction_id,user_id,category,region,amount",
                "2024-01-15T10:01:00,t-1,1,books,north,10.50",
                "2024-01-15T10:02:00,t-2,2,books,north,20.25",
                "2024-01-15T10:03:00,t-3,1,toys,south,5.00",
                "2024-01-15T10:06:00,t-4,3,books,north,1.00",
                "2024-01-15T10:04:00,t-5,4,books,north,30.00", // out of order, within the 10-minute watermark
                "2024-01-15T10:07:00,t-6,3,books,north,oops").getParent();
    }

    private List<String> windowAgg(String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("window-agg", "--source", "transactions", "--input",
                input().toString(), "--window", "5m", "--watermark", "10m", "--group-by", "category", "--distinct", "none",
                "--trigger", "available-now", "--truncate", "false", "--output", tmp.resolve("out").toString(),
                "--sink", "postgres"));
        args.addAll(List.of(more));
        return args;
    }

    private Path credentials() throws Exception {
        return Files.writeString(tmp.resolve("postgres.properties"), "user=postgres\npassword=s3cret-pw\n");
    }

    @ParameterizedTest
    @CsvSource({"exactly-once,append", "at-least-once,update"})
    @Timeout(120)
    void writesTheWindowsIntoTheTable(String delivery, String outputMode) throws Exception {
        String table = "pattern2_" + delivery.replace('-', '_');
        CapturedRun run = CapturedRun.onContext(windowAgg("--postgres", POSTGRES.jdbcUrl(), "--table", table,
                "--delivery", delivery, "--output-mode", outputMode, "--postgres-credentials", credentials().toString())
                .toArray(String[]::new));

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("Writing table " + table + " (" + delivery + ") to " + POSTGRES.jdbcUrl() + "\n"
                + "Dead letters: 1 malformed record(s) written to " + tmp.resolve("out/dead-letter") + "\n"
                + EXPECTED_TABLE.formatted(table));
        assertThat(run.out() + run.err()).doesNotContain("s3cret-pw");
        assertThat(POSTGRES.query("SELECT window_start, window_end, category, count, sum_amount, avg_amount, "
                + "min_amount, max_amount FROM " + table + " ORDER BY row_key")).isEqualTo(EXPECTED_ROWS);
        assertThat(POSTGRES.queryLong("SELECT count(*) FROM pg_prepared_xacts")).isZero();
    }

    /** csv-log's row keys are file and line joined by NUL, which PostgreSQL text cannot hold: escaped, every row written. */
    @Test
    @Timeout(120)
    void rowsWhoseKeysHoldNulAreWritten() throws Exception {
        Path input = writeLines(tmp.resolve("events"), "event_batch_0.csv", "timestamp,user_id,event",
                "2026-01-01T10:00:00,1,login", "2026-01-01T10:00:01,2,view\\back");
        CapturedRun run = CapturedRun.onContext("csv-log", "--input", input.getParent().toString(), "--trigger",
                "available-now", "--sink", "postgres", "--postgres", POSTGRES.jdbcUrl(), "--table", "csv_log_keys",
                "--delivery", "at-least-once", "--postgres-credentials", credentials().toString(), "--output",
                tmp.resolve("out").toString());

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(POSTGRES.query("SELECT timestamp, user_id, event FROM csv_log_keys ORDER BY row_key"))
                .containsExactly("2026-01-01T10:00:00|1|login", "2026-01-01T10:00:01|2|view\\back");
        assertThat(POSTGRES.query("SELECT row_key FROM csv_log_keys ORDER BY row_key"))
                .allMatch(key -> key.contains("event_batch_0.csv\\0"));
    }

    @Test
    @Timeout(120)
    void embeddedStartsAPostgresForTheRunAndStopsIt() throws Exception {
        RuntimeWithPostgres runtime = new RuntimeWithPostgres();
        CapturedRun run = CapturedRun.of(runtime, windowAgg("--postgres", "embedded").toArray(String[]::new));

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        String url = runtime.started().address().jdbcUrl();
        assertThat(run.out()).isEqualTo("PostgreSQL (embedded, stopped at the end of the run): " + url + "\n"
                + "Writing table window_agg (exactly-once) to " + url + "\n"
                + "Dead letters: 1 malformed record(s) written to " + tmp.resolve("out/dead-letter") + "\n"
                + EXPECTED_TABLE.formatted("window_agg"));
        int port = Integer.parseInt(url.replaceAll(".*:(\\d+)/.*", "$1"));
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("localhost", port), 1000);
            throw new AssertionError("the embedded PostgreSQL still listens on " + port);
        } catch (ConnectException stopped) {
            // expected
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--sink postgres --delivery twice|patterns window-agg: Invalid value for option '--delivery': 'twice' is not at-least-once or exactly-once (see 'patterns window-agg --help')",
        "--sink console --postgres embedded|patterns window-agg: --postgres is an option of --sink postgres, not of --sink console (see 'patterns window-agg --help')",
        "--sink postgres --postgres mysql://db|patterns window-agg: --postgres mysql://db is neither embedded nor a JDBC URL such as jdbc:postgresql://localhost:5432/db (see 'patterns window-agg --help')",
        "--sink postgres --postgres jdbc:postgresql://db/x?user=a&password=b|patterns window-agg: --postgres: the URL holds a password, which any user of the machine can read on the command line; give it in PGPASSWORD or in --postgres-credentials FILE (see 'patterns window-agg --help')",
        "--sink postgres --table Drop;Table|patterns window-agg: --table Drop;Table is not a table name such as window_agg or public.aggregations (lower-case letters, digits and _) (see 'patterns window-agg --help')",
        "--sink postgres --postgres jdbc:postgresql://db/x --postgres-credentials /no/such/file|patterns window-agg: --postgres-credentials /no/such/file cannot be read: /no/such/file (see 'patterns window-agg --help')",
        "--sink postgres --postgres embedded --trigger available-now|patterns window-agg: --postgres embedded starts PostgreSQL beside a local run (./patterns); under flink run, give the JDBC URL of a PostgreSQL the cluster can reach (see 'patterns window-agg --help')",
        "--sink postgres --postgres jdbc:postgresql://localhost:1/x|patterns window-agg: cannot connect to PostgreSQL at jdbc:postgresql://localhost:1/x: Connection to localhost:1 refused. Check that the hostname and port are correct and that the postmaster is accepting TCP/IP connections. (start it, or use --postgres embedded) (see 'patterns window-agg --help')"})
    void refusesWithOneLine(String options, String expected) throws Exception {
        Path input = Files.createDirectories(tmp.resolve("empty"));
        String[] args = ("window-agg --input " + input + " --window 5m " + options).split(" ");
        CapturedRun.onContext(args).assertOneLineError(expected);
    }

    @Test
    void refusesExactlyOnceWithoutCheckpoints() throws Exception {
        Path input = Files.createDirectories(tmp.resolve("empty"));
        CapturedRun.onContext("window-agg", "--input", input.toString(), "--window", "5m", "--sink", "postgres",
                        "--postgres", POSTGRES.jdbcUrl(), "--postgres-credentials", credentials().toString())
                .assertOneLineError("patterns window-agg: --delivery exactly-once commits with each checkpoint, and "
                        + "checkpointing is off (execution.checkpointing.interval): turn it on, or use --delivery "
                        + "at-least-once (see 'patterns window-agg --help')");
    }

    @Test
    void createsTypedColumnsUnderLegalNamesWithTheRowKeyAsPrimaryKey() throws Exception {
        CapturedRun run = CapturedRun.onContext(windowAgg("--postgres", POSTGRES.jdbcUrl(), "--table", "typed_columns",
                "--postgres-credentials", credentials().toString()).toArray(String[]::new));
        assertThat(run.exitCode()).isZero();
        assertThat(POSTGRES.query("SELECT column_name, data_type FROM information_schema.columns"
                + " WHERE table_name = 'typed_columns' ORDER BY ordinal_position")).containsExactly(
                "row_key|text", "window_start|timestamp without time zone", "window_end|timestamp without time zone",
                "category|text", "count|bigint", "sum_amount|double precision", "avg_amount|double precision",
                "min_amount|double precision", "max_amount|double precision");
        assertThat(POSTGRES.query("SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
                + " AND a.attnum = ANY(i.indkey) WHERE i.indrelid = 'typed_columns'::regclass AND i.indisprimary"))
                .containsExactly("row_key");
        assertThat(POSTGRES.query("SELECT sum(count), max(window_end) FROM typed_columns")).containsExactly(
                "5|2024-01-15 10:10:00");
    }

    @Test
    void refusesATableWithOtherColumns() throws Exception {
        POSTGRES.execute("CREATE TABLE other_columns (row_key TEXT PRIMARY KEY, colour TEXT)");
        CapturedRun.onContext(windowAgg("--postgres", POSTGRES.jdbcUrl(), "--table", "other_columns",
                        "--postgres-credentials", credentials().toString()).toArray(String[]::new))
                .assertOneLineError("patterns window-agg: table other_columns exists with columns (row_key text, colour text), "
                        + "but the result needs (row_key text, window_start timestamp without time zone, window_end timestamp "
                        + "without time zone, category text, count bigint, sum_amount double precision, avg_amount double "
                        + "precision, min_amount double precision, max_amount double precision): drop it or choose another "
                        + "table (--table) (see 'patterns window-agg --help')");
    }

    @Test
    void refusesATableWhoseColumnsAreText() throws Exception {
        POSTGRES.execute("CREATE TABLE text_columns (row_key TEXT PRIMARY KEY, window_start TEXT, window_end TEXT,"
                + " category TEXT, count TEXT, sum_amount TEXT, avg_amount TEXT, min_amount TEXT, max_amount TEXT)");
        CapturedRun.onContext(windowAgg("--postgres", POSTGRES.jdbcUrl(), "--table", "text_columns",
                        "--postgres-credentials", credentials().toString()).toArray(String[]::new))
                .assertOneLineError("patterns window-agg: table text_columns exists with columns (row_key text, "
                        + "window_start text, window_end text, category text, count text, sum_amount text, avg_amount text, "
                        + "min_amount text, max_amount text), but the result needs (row_key text, window_start timestamp "
                        + "without time zone, window_end timestamp without time zone, category text, count bigint, "
                        + "sum_amount double precision, avg_amount double precision, min_amount double precision, "
                        + "max_amount double precision): drop it or choose another table (--table) (see 'patterns "
                        + "window-agg --help')");
    }
}
