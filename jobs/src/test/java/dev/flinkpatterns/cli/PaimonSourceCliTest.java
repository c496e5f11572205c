package dev.flinkpatterns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.io.paimon.PaimonExampleTables;
import dev.flinkpatterns.testing.CapturedRun;
import dev.flinkpatterns.testing.FlinkTests;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * --source paimon through the CLI on shop.orders ({@link PaimonExampleTables#orders}): csv-log, window-agg and sql
 * read the table's typed rows (window-agg's windows follow its TIMESTAMP column), time travel and the change feed
 * bounded, and the refusals, one line each.
 */
class PaimonSourceCliTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    @TempDir
    Path tmp;

    private String warehouse;

    @BeforeEach
    void orders() throws Exception {
        warehouse = tmp.resolve("warehouse").toString();
        PaimonExampleTables.orders(warehouse);
    }

    private String[] args(String command, String... more) {
        List<String> args = new ArrayList<>(List.of(command, "--source", "paimon", "--warehouse", warehouse,
                "--source-table", "shop.orders", "--trigger", "available-now", "--output", tmp.resolve("out").toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    @Timeout(60)
    void csvLogPrintsTheSnapshotAsOfAVersionWithTheChangeType() {
        CapturedRun.onContext(args("csv-log", "--starting-version", "2", "--read-change-feed")).assertPrinted("""
                -------------------------------------------
                Batch: 0
                -------------------------------------------
                +---+-------------------+-----+------+------------+
                | id|                 ts| item|amount|_change_type|
                +---+-------------------+-----+------+------------+
                |  1|2024-01-15 10:00:00|apple|   1.5|      insert|
                |  2|2024-01-15 10:01:00| pear|   2.0|      insert|
                |  3|2024-01-15 10:02:00| plum|   3.0|      insert|
                +---+-------------------+-----+------+------------+

                """);
    }

    @Test
    @Timeout(60)
    void windowAggCountsTheLatestSnapshotPerMinuteOfItsTimestampColumn() {
        CapturedRun.onContext(args("window-agg", "--window", "1m", "--watermark", "0s", "--group-by", "none",
                "--agg", "count(*) AS orders, sum(amount) AS revenue")).assertPrinted("""
                -------------------------------------------
                Batch: 0
                -------------------------------------------
                +-------------------+-------------------+------+-------+
                |       window_start|         window_end|orders|revenue|
                +-------------------+-------------------+------+-------+
                |2024-01-15 10:01:00|2024-01-15 10:02:00|     1|    2.5|
                |2024-01-15 10:02:00|2024-01-15 10:03:00|     1|    3.0|
                +-------------------+-------------------+------+-------+

                """);
    }

    @Test
    @Timeout(60)
    void sqlReadsATableAsAView() {
        CapturedRun.onContext("sql", "--source", "orders=paimon:shop.orders", "--warehouse", warehouse,
                "--query", "SELECT item, amount * 2 AS doubled FROM orders", "--trigger", "available-now",
                "--output", tmp.resolve("out").toString()).assertPrinted("""
                -------------------------------------------
                Batch: 0
                -------------------------------------------
                +----+-------+
                |item|doubled|
                +----+-------+
                |pear|    5.0|
                |plum|    6.0|
                +----+-------+

                """);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "csv-log --source paimon|--source paimon needs --source-table DATABASE.TABLE (of --warehouse DIR)",
        "csv-log --source paimon --warehouse WH|--source paimon needs --source-table DATABASE.TABLE (of --warehouse DIR)",
        "csv-log --source paimon --warehouse WH --source-table orders|--source-table takes DATABASE.TABLE, e.g. lake.events, not 'orders'",
        "csv-log --source paimon --warehouse WH --source-table shop.nope|table shop.nope: no such table in warehouse WH; tables of shop: orders",
        "window-agg --source paimon --warehouse WH --source-table shop.orders --window 1m --starting-version 9|--starting-version 9: table shop.orders has snapshots 1 to 3",
        "csv-log --source paimon --warehouse WH --source-table shop.orders --starting-version 2 --as-of-timestamp 2024-01-01T00:00:00|--starting-version and --as-of-timestamp both say where to start: give one",
        "csv-log --source paimon --warehouse WH --source-table shop.orders --trigger available-now --as-of-timestamp 2024-01-01T00:00:00|--as-of-timestamp 2024-01-01T00:00:00Z: table shop.orders has no snapshot that old; its first is of FIRST",
        "csv-log --source paimon --warehouse WH --source-table shop.orders --as-of-timestamp yesterday|--as-of-timestamp takes a UTC time like 2026-01-01T12:00:00 or 2026-01-01 12:00:00.250, not 'yesterday'",
        "csv-log --source paimon --warehouse WH --source-table shop.orders --input WH|--input reads files; --source paimon reads the table --source-table of --warehouse",
        "window-agg --source paimon --warehouse WH --source-table shop.orders --window 1m --format csv|--source paimon reads the table's own schema: drop the file reader options (--format, --schema, ...)",
        "csv-log --warehouse WH|--warehouse goes with --sink paimon or --source paimon, not with --sink console",
        "window-agg --window 1m --source-table shop.orders|--source-table is for --source paimon; this run reads --source events",
        "sql --source orders=paimon:orders --warehouse WH --query 'SELECT * FROM orders'|--source NAME=paimon: takes DATABASE.TABLE, e.g. lake.events, not 'orders'",
        "sql --source orders=paimon:shop.orders --source-format orders=csv --warehouse WH --query 'SELECT * FROM orders'|source orders reads a Paimon table, typed by its own schema: drop --source-format orders=...",
    })
    void refusalsAreOneLine(String commandLine, String error) throws Exception {
        String first = java.time.Instant.ofEpochMilli(dev.flinkpatterns.testing.PaimonTables.snapshotMillis(
                Path.of(warehouse), "shop.orders", 1)).toString();
        List<String> args = new ArrayList<>();
        for (String arg : commandLine.split(" (?=(?:[^']*'[^']*')*[^']*$)")) {
            args.add(arg.replace("'", "").replace("WH", warehouse));
        }
        CapturedRun run = CapturedRun.onContext(args.toArray(String[]::new));
        run.assertOneLineError("patterns " + args.get(0) + ": " + error.replace("WH", warehouse).replace("FIRST", first)
                + " (see 'patterns " + args.get(0) + " --help')");
    }

    @Test
    void helpListsThePaimonOptionsOnlyWhereTheyApply() {
        assertThat(CapturedRun.onContext("csv-log", "--help").out()).contains("--source-table", "--read-change-feed");
        assertThat(CapturedRun.onContext("sql", "--help").out()).contains("--warehouse").doesNotContain("--source-table");
        assertThat(CapturedRun.onContext("dedup", "--help").out()).doesNotContain("--source-table");
    }
}
