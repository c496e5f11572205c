package dev.flinkpatterns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.core.DisplayPath;
import dev.flinkpatterns.io.paimon.PaimonCatalogs;
import dev.flinkpatterns.testing.CapturedRun;
import dev.flinkpatterns.testing.EventFiles;
import dev.flinkpatterns.testing.FlinkTests;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.paimon.catalog.Catalog;
import org.apache.paimon.table.Table;
import org.apache.paimon.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * --sink paimon through the CLI (csv-agg's counts upserted by key, csv-log's rows appended), then the tables read
 * back by {@code table show} and {@code table history}, and the refusals: one line, exit status 2.
 */
class PaimonSinkCliTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    @TempDir
    Path tmp;

    private CapturedRun run(String... args) {
        return CapturedRun.onContext(args);
    }

    private List<String> pattern(String pattern, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of(pattern, "--input", EventFiles.twoFiles(tmp.resolve("input")).toString(),
                "--trigger", "available-now", "--output", tmp.resolve("out").toString(), "--sink", "paimon",
                "--warehouse", warehouse()));
        args.addAll(List.of(more));
        return args;
    }

    private String warehouse() {
        return tmp.resolve("lake").toString();
    }

    @Test
    @Timeout(120)
    void countsAreUpsertedByKeyAndRowsAppended() throws Exception {
        CapturedRun counts = run(pattern("csv-agg", "--output-mode", "update", "--table", "shop.event_counts")
                .toArray(String[]::new));

        assertThat(counts.err()).isEmpty();
        assertThat(counts.exitCode()).isZero();
        assertThat(counts.out()).isEqualTo("Writing Paimon table shop.event_counts (primary key row_key, exactly-once) in "
                + DisplayPath.of(warehouse()) + "\nTable shop.event_counts: 4 row(s)\n" + EventFiles.COUNTS_TABLE);
        try (Catalog catalog = PaimonCatalogs.open(warehouse())) {
            Table table = catalog.getTable(PaimonCatalogs.identifier("shop.event_counts", "--table"));
            assertThat(table.primaryKeys()).containsExactly("row_key");
            assertThat(table.rowType().getFieldTypes()).containsExactly(DataTypes.STRING().notNull(), DataTypes.STRING(),
                    DataTypes.BIGINT());
        }
        CapturedRun shown = run("table", "show", "--warehouse", warehouse(), "--table", "shop.event_counts");
        assertThat(shown.exitCode()).isZero();
        assertThat(shown.out()).isEqualTo(EventFiles.COUNTS_TABLE);
        CapturedRun history = run("table", "history", "--warehouse", warehouse(), "--table", "shop.event_counts");
        assertThat(history.exitCode()).isZero();
        assertThat(history.out().replaceAll("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}", "TIME"))
                .isEqualTo("""
                        +--------+-----------------------+-----------+-------------+-------------+
                        |snapshot|commit_time            |commit_kind|delta_records|total_records|
                        +--------+-----------------------+-----------+-------------+-------------+
                        |1       |TIME|APPEND     |4            |4            |
                        |2       |TIME|COMPACT    |0            |4            |
                        +--------+-----------------------+-----------+-------------+-------------+
                        """);

        CapturedRun rows = run(pattern("csv-log", "--table", "shop.events").toArray(String[]::new));
        assertThat(rows.err()).isEmpty();
        assertThat(rows.exitCode()).isZero();
        CapturedRun firstRows = run("table", "show", "--warehouse", warehouse(), "--table", "shop.events",
                "--num-rows", "2", "--truncate", "false", "--as-of", "1");
        assertThat(firstRows.exitCode()).isZero();
        assertThat(firstRows.out()).isEqualTo("""
                +--------------------------+-------+------+
                |timestamp                 |user_id|event |
                +--------------------------+-------+------+
                |2025-07-15T15:03:21.123456|3      |logout|
                |2025-07-15T15:03:21.223456|2      |login |
                +--------------------------+-------+------+
                only showing top 2 rows
                """);

        // The same table for csv-log's columns: refused before the job starts.
        CapturedRun misfit = run(pattern("csv-log", "--table", "shop.event_counts").toArray(String[]::new));
        assertThat(misfit.exitCode()).isEqualTo(2);
        assertThat(misfit.err()).isEqualTo("patterns csv-log: table shop.event_counts exists with columns (row_key STRING "
                + "NOT NULL, event STRING, count BIGINT) and primary key [row_key], but the result needs (timestamp STRING, "
                + "user_id INT, event STRING) and primary key []: drop it or choose another --table (see 'patterns "
                + "csv-log --help')\n");
    }

    @Test
    void refusalsAreOneLine() throws Exception {
        assertThat(run("csv-agg", "--input", tmp.toString(), "--warehouse", warehouse()).err())
                .isEqualTo("patterns csv-agg: --warehouse goes with --sink paimon or --source paimon, not with --sink console "
                        + "(see 'patterns csv-agg --help')\n");
        assertThat(run("csv-agg", "--input", tmp.toString(), "--table", "a.b").err())
                .isEqualTo("patterns csv-agg: --table is an option of --sink postgres and --sink paimon, not of --sink "
                        + "console (see 'patterns csv-agg --help')\n");
        assertThat(run("csv-agg", "--input", tmp.toString(), "--sink", "paimon", "--delivery", "at-least-once").err())
                .isEqualTo("patterns csv-agg: --delivery at-least-once goes with --sink kafka or --sink postgres, the "
                        + "sinks that offer both guarantees; --sink paimon has one (see 'patterns csv-agg --help')\n");
        assertThat(run("csv-agg", "--input", tmp.toString(), "--sink", "paimon", "--table", "events").err())
                .isEqualTo("patterns csv-agg: --table takes DATABASE.TABLE, e.g. lake.events, not 'events' "
                        + "(see 'patterns csv-agg --help')\n");
        assertThat(run("table", "show", "--warehouse", tmp.resolve("none").toString(), "--table", "a.b").err())
                .isEqualTo("patterns table show: --warehouse " + DisplayPath.of(tmp.resolve("none").toString())
                        + ": no such directory (see 'patterns table show --help')\n");
        CapturedRun missing = run("table", "history", "--warehouse", tmp.toString(), "--table", "a.b");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).isEqualTo("patterns table history: no table a.b in warehouse " + DisplayPath.of(tmp)
                + " (see 'patterns table history --help')\n");
        assertThat(run("table").err()).isEqualTo("patterns table: choose a table command: show, history "
                + "(see 'patterns table --help')\n");
    }
}
