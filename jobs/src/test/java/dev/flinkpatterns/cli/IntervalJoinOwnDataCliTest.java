package dev.flinkpatterns.cli;

import static dev.flinkpatterns.testing.FlinkTests.writeLines;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.core.DisplayPath;
import dev.flinkpatterns.io.ReaderOptions;
import dev.flinkpatterns.io.SchemaDdl;
import dev.flinkpatterns.io.TestDatasets;
import dev.flinkpatterns.io.Json;
import dev.flinkpatterns.testing.CapturedRun;
import dev.flinkpatterns.testing.FlinkTests;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.LocalDateTime;
import java.util.List;
import org.apache.flink.types.Row;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * interval-join over the user's own files on both sides: the taxi trips (CSV, no header, DECIMAL fares) joined
 * with tips (JSON lines, the same time format) on the zone, a tip within 30 minutes after the pickup; exact typed
 * rows in both APIs, a dead letter; the same rows with either side in Parquet (a row without its key a dead letter);
 * one-line errors for columns that are not there or do not fit.
 */
class IntervalJoinOwnDataCliTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    static final String TIPS_DDL = "paid_at TIMESTAMP, zone STRING, tip DECIMAL(6,2)";

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"datastream", "sql"})
    @Timeout(120)
    void tripsJoinedWithTheirTipsWithinHalfAnHour(String api) throws Exception {
        List<String> args = new ArrayList<>(joinArgs());
        args.addAll(List.of("--api", api, "--output", tmp.resolve("out").toString()));

        CapturedRun run = CapturedRun.onContext(args.toArray(String[]::new));

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo(joined());
    }

    /** The trips as Parquet (typed: TIMESTAMP, DECIMAL, INT), the tips JSON: the same rows as all lines. */
    @ParameterizedTest
    @ValueSource(strings = {"datastream", "sql"})
    @Timeout(120)
    void tripsInParquetJoinedWithTipsInJson(String api) throws Exception {
        List<String> args = new ArrayList<>(joinArgs());
        Path trips = TestDatasets.asParquet(tmp.resolve("trips"), TestDatasets.taxiOptions(), tmp.resolve("parquet/trips"));
        args.set(args.indexOf("--left-input") + 1, trips.toString());
        args.addAll(List.of("--left-format", "parquet", "--api", api, "--output", tmp.resolve("out").toString()));

        CapturedRun run = CapturedRun.onContext(args.toArray(String[]::new));

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo(joined());
    }

    /**
     * The tips as Parquet: the JSON tip whose time does not parse is not in it (a typed file has no such value), a
     * tip without a zone (the join key) is the dead letter instead, named by the directory and the column.
     */
    @Test
    @Timeout(120)
    void tipsInParquetWithoutAZoneAreADeadLetter() throws Exception {
        List<String> args = new ArrayList<>(joinArgs());
        ReaderOptions tipsOptions = new ReaderOptions(ReaderOptions.Format.JSON, SchemaDdl.parse(TIPS_DDL), null, ',',
                TestDatasets.TAXI_TIMESTAMP_FORMAT, null, false);
        // named tips as the JSON directory: the table's name, which prefixes tips_zone
        Path tips = TestDatasets.asParquet(tmp.resolve("tips"), tipsOptions, tmp.resolve("parquet/tips"));
        TestDatasets.writeParquet(tipsOptions.rowSchema(),
                List.of(Row.of(LocalDateTime.parse("2024-01-15T09:25:00"), null, new BigDecimal("3.00"))),
                tips.resolve("tips-without-zone.parquet"));
        args.set(args.indexOf("--right-input") + 1, tips.toString());
        args.set(args.indexOf("--right-format") + 1, "parquet");
        args.addAll(List.of("--output", tmp.resolve("out").toString()));

        CapturedRun run = CapturedRun.onContext(args.toArray(String[]::new));

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo(joined());
        assertThat(FlinkTests.linesOfVisibleFiles(tmp.resolve("out/dead-letter"))).singleElement().asString()
                .contains("\"path\":" + Json.quote(tips.toString()), "\"line\":0",
                        "\"reason\":\"column zone is null\"");
    }

    /** The joined trips and tips (whichever format each side has) and one dead letter. */
    private String joined() {
        // Newark's tip at 08:50 is 38 minutes after its trip: no pair (inner join).
        return """
                -------------------------------------------
                Batch: 0
                -------------------------------------------
                +-------------------+-------------------+-------+-----+----------+-------------------+---------+----+
                |pickup_at          |dropoff_at         |zone   |fare |passengers|paid_at            |tips_zone|tip |
                +-------------------+-------------------+-------+-----+----------+-------------------+---------+----+
                |2024-01-15 08:05:00|2024-01-15 08:25:00|Midtown|23.50|1         |2024-01-15 08:30:00|Midtown  |2.50|
                |2024-01-15 09:02:00|2024-01-15 09:30:00|Harlem |18.75|3         |2024-01-15 09:20:00|Harlem   |4.00|
                |2024-01-15 09:15:00|2024-01-15 09:21:00|Midtown|7.80 |1         |2024-01-15 09:40:00|Midtown  |1.20|
                +-------------------+-------------------+-------+-----+----------+-------------------+---------+----+

                Dead letters: 1 malformed record(s) written to %s
                """.formatted(DisplayPath.of(tmp.resolve("out/dead-letter")));
    }

    @Test
    void columnsThatDoNotExistOrDoNotFitAreOneLineErrors() throws Exception {
        assertError("--right-key pickup_zone: no such column; columns: " + TIPS_DDL, "--right-key", "pickup_zone");
        assertError("--left-event-time zone: is STRING, not TIMESTAMP; columns: " + TestDatasets.TAXI_DDL,
                "--left-event-time", "zone");
        assertError("--left-key passengers is INT but --right-key zone is STRING; the join keys need one type",
                "--left-key", "passengers");
        assertError("--right-format: unknown format 'xml'; formats: csv, json, parquet, text", "--right-format", "xml");
    }

    private void assertError(String message, String... options) throws Exception {
        List<String> args = new ArrayList<>(joinArgs());
        args.addAll(List.of(options));
        // The last of an option given twice is refused by picocli, so the option under test replaces its default.
        for (int i = 0; i + 1 < options.length; i += 2) {
            int given = args.indexOf(options[i]);
            if (given < args.size() - options.length) {
                args.remove(given + 1);
                args.remove(given);
            }
        }
        CapturedRun.onContext(args.toArray(String[]::new))
                .assertOneLineError("patterns interval-join: " + message + " (see 'patterns interval-join --help')");
    }

    /** trips (one file, in time order) and tips, read with their schemas; the keys and times named. */
    private List<String> joinArgs() throws Exception {
        Path trips = tmp.resolve("trips");
        if (!Files.isDirectory(trips)) {
            List<String> lines = new ArrayList<>(Files.readAllLines(TestDatasets.taxi().resolve("trips-1.csv")));
            lines.addAll(Files.readAllLines(TestDatasets.taxi().resolve("trips-2.csv")));
            writeLines(trips, "trips.csv", lines.toArray(String[]::new));
            writeLines(tmp.resolve("tips"), "tips.jsonl",
                    "{\"paid_at\":\"15/01/2024 08:30\",\"zone\":\"Midtown\",\"tip\":2.50}",
                    "{\"paid_at\":\"15/01/2024 08:50\",\"zone\":\"Newark, Airport\",\"tip\":10.00}",
                    "{\"paid_at\":\"soon\",\"zone\":\"Harlem\",\"tip\":1.00}",
                    "{\"paid_at\":\"15/01/2024 09:20\",\"zone\":\"Harlem\",\"tip\":4.00}",
                    "{\"paid_at\":\"15/01/2024 09:40\",\"zone\":\"Midtown\",\"tip\":1.20}");
        }
        return List.of("interval-join", "--left-input", trips.toString(), "--right-input", tmp.resolve("tips").toString(),
                "--left-schema", TestDatasets.TAXI_DDL, "--header", "false",
                "--timestamp-format", TestDatasets.TAXI_TIMESTAMP_FORMAT, "--left-event-time", "pickup_at",
                "--left-key", "zone", "--right-format", "json", "--right-schema", TIPS_DDL, "--right-key", "zone",
                "--within", "30m", "--watermark-every-event", "--trigger", "available-now", "--truncate", "false");
    }
}
