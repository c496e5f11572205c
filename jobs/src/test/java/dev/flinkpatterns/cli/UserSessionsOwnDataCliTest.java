package dev.flinkpatterns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.core.DisplayPath;
import dev.flinkpatterns.io.ReaderOptions;
import dev.flinkpatterns.io.ReaderOptions.Format;
import dev.flinkpatterns.io.SchemaDdl;
import dev.flinkpatterns.io.TestDatasets;
import dev.flinkpatterns.testing.CapturedRun;
import dev.flinkpatterns.testing.FlinkTests;
import dev.flinkpatterns.testing.ParquetGroups;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * user-sessions over the user's own files: an app's logins (JSON lines, an INT account id, a time of its own format)
 * with --key, --event-time and --event-type; exact sessions on the console and in Parquet (read back by parquet-hadoop's
 * reader with its types: the account stays INT), a line without an account as a dead letter, the same logins as
 * Parquet files with the same sessions, the same with --api sql, one-line column errors.
 * {@code --watermark-every-event} reads the file with one reader, so the watermark and the sessions are exact.
 */
class UserSessionsOwnDataCliTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    @TempDir
    Path tmp;

    /** The logins' sessions on the console, from the JSON lines and from the same logins as Parquet alike. */
    private static final String SESSIONS = """
            -------------------------------------------
            Batch: 0
            -------------------------------------------
            +-------+-------------------+-------------------+--------+----+---------------------------+
            |account|session_start      |session_end        |duration|rows|events                     |
            +-------+-------------------+-------------------+--------+----+---------------------------+
            |7      |2024-01-15 08:00:00|2024-01-15 08:04:10|0:04:10 |3   |login=1, purchase=1, view=1|
            |12     |2024-01-15 08:01:30|2024-01-15 08:03:30|0:02:00 |2   |login=1, view=1            |
            |31     |2024-01-15 08:30:00|2024-01-15 08:30:00|0:00:00 |1   |login=1                    |
            |7      |2024-01-15 08:31:00|2024-01-15 08:31:00|0:00:00 |1   |login=1                    |
            |12     |2024-01-15 08:33:00|2024-01-15 08:33:00|0:00:00 |1   |logout=1                   |
            +-------+-------------------+-------------------+--------+----+---------------------------+

            Dead letters: 1 malformed record(s) written to %s
            """;

    @Test
    @Timeout(120)
    void sessionsPerAccountWithTheirBoundsAndCountsAndALineWithoutAccountIsADeadLetter() throws Exception {
        CapturedRun run = CapturedRun.onContext(logins("--event-type", "action", "--truncate", "false", "--output", tmp.resolve("out").toString()));

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo(SESSIONS.formatted(DisplayPath.of(tmp.resolve("out/dead-letter"))));
        assertThat(FlinkTests.linesOfVisibleFiles(tmp.resolve("out/dead-letter"))).singleElement().asString()
                .contains("\"line\":6", "\"reason\":\"column account is null\"");
    }

    /** --api sql (a process table function keyed by the account's text): the same console output and dead letter. */
    @Test
    @Timeout(120)
    void theSqlApiGivesTheSameSessionsAndDeadLetter() throws Exception {
        Path sqlOut = tmp.resolve("sql");
        CapturedRun run = CapturedRun.onContext(logins("--event-type", "action", "--truncate", "false", "--api", "sql",
                "--output", sqlOut.toString()));
        CapturedRun dataStream = CapturedRun.onContext(logins("--event-type", "action", "--truncate", "false",
                "--output", tmp.resolve("out").toString()));

        assertThat(run.err()).isEmpty();
        assertThat(run.out()).isEqualTo(SESSIONS.formatted(DisplayPath.of(sqlOut.resolve("dead-letter"))));
        assertThat(run.out()).isEqualTo(dataStream.out().replace(DisplayPath.of(tmp.resolve("out/dead-letter")),
                DisplayPath.of(sqlOut.resolve("dead-letter"))));
        assertThat(FlinkTests.linesOfVisibleFiles(sqlOut.resolve("dead-letter")))
                .isEqualTo(FlinkTests.linesOfVisibleFiles(tmp.resolve("out/dead-letter")));
    }

    /**
     * The logins as Parquet (written by parquet-avro) give the JSON run's sessions. The line without an account
     * parses, so it is a Parquet row too, with a null account: the same dead letter, at line 0 of the input
     * directory (a Parquet row has no line).
     */
    @Test
    @Timeout(120)
    void parquetLoginsGiveTheSessionsOfTheJsonLines() throws Exception {
        ReaderOptions json = new ReaderOptions(Format.JSON, SchemaDdl.parse(TestDatasets.LOGINS_DDL), null, ',',
                TestDatasets.LOGINS_TIMESTAMP_FORMAT, null, false);
        Path input = TestDatasets.asParquet(TestDatasets.logins(), json, tmp.resolve("logins"));

        CapturedRun run = CapturedRun.onContext(logins(input, List.of("--format", "parquet"), "--event-type", "action",
                "--truncate", "false", "--output", tmp.resolve("out").toString()));

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo(SESSIONS.formatted(DisplayPath.of(tmp.resolve("out/dead-letter"))));
        assertThat(FlinkTests.linesOfVisibleFiles(tmp.resolve("out/dead-letter"))).containsExactly("{\"path\":\"" + input
                + "\",\"line\":0,\"record\":\"{\\\"ts\\\":\\\"2024-01-15 08:20:00\\\",\\\"action\\\":\\\"view\\\","
                + "\\\"device\\\":\\\"web\\\"}\",\"reason\":\"column account is null\"}");
    }

    @Test
    @Timeout(120)
    void parquetKeepsTheAccountAnIntAndHasNoEventsWithoutAnEventTypeColumn() throws Exception {
        Path out = tmp.resolve("out");

        CapturedRun run = CapturedRun.onContext(logins("--sink", "parquet", "--output", out.toString()));

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(ParquetGroups.schemaOfEvery(out.resolve("results"))).isEqualTo("""
                message dev.flinkpatterns.row {
                  optional int32 account;
                  optional int64 session_start (TIMESTAMP(MILLIS,true));
                  optional int64 session_end (TIMESTAMP(MILLIS,true));
                  optional binary duration (STRING);
                  optional int64 rows;
                }
                """);
        List<String> rows = new ArrayList<>(ParquetGroups.rows(out.resolve("results"), row ->
                Instant.ofEpochMilli(row.getLong("session_start", 0)) + " " + row.getInteger("account", 0) + " "
                        + Instant.ofEpochMilli(row.getLong("session_end", 0)) + " " + row.getString("duration", 0) + " "
                        + row.getLong("rows", 0)));
        rows.sort(null);
        assertThat(rows).containsExactly(
                "2024-01-15T08:00:00Z 7 2024-01-15T08:04:10Z 0:04:10 3",
                "2024-01-15T08:01:30Z 12 2024-01-15T08:03:30Z 0:02:00 2",
                "2024-01-15T08:30:00Z 31 2024-01-15T08:30:00Z 0:00:00 1",
                "2024-01-15T08:31:00Z 7 2024-01-15T08:31:00Z 0:00:00 1",
                "2024-01-15T08:33:00Z 12 2024-01-15T08:33:00Z 0:00:00 1");
    }

    @Test
    void columnsThatDoNotExistOrDoNotFitAreOneLineErrors() {
        String columns = TestDatasets.LOGINS_DDL;
        assertError("--key user_id: no such column; columns: " + columns, "--key", "user_id");
        assertError("give --key COLUMN, one of: " + columns);
        assertError("--event-time action: is STRING, not TIMESTAMP; columns: " + columns,
                "--key", "account", "--event-time", "action");
        assertError("--event-type page: no such column; columns: " + columns, "--key", "account", "--event-type", "page");
        assertError("sessions need --event-time COLUMN, a TIMESTAMP column of: account INT, action STRING",
                "--key", "account", "--schema", "account INT, action STRING");
    }

    private void assertError(String message, String... options) {
        List<String> args = new ArrayList<>(List.of("user-sessions", "--input", TestDatasets.logins().toString(),
                "--format", "json", "--schema", TestDatasets.LOGINS_DDL, "--trigger", "available-now"));
        for (int i = 0; i < options.length; i += 2) {
            int given = args.indexOf(options[i]);
            if (given >= 0) {
                args.subList(given, given + 2).clear();
            }
        }
        args.addAll(List.of(options));
        CapturedRun.onContext(args.toArray(String[]::new))
                .assertOneLineError("patterns user-sessions: " + message + " (see 'patterns user-sessions --help')");
    }

    private static String[] logins(String... more) {
        return logins(TestDatasets.logins(), List.of("--format", "json", "--timestamp-format",
                TestDatasets.LOGINS_TIMESTAMP_FORMAT), more);
    }

    /** Sessions per account of the logins in {@code input}, read with {@code reader}. */
    private static String[] logins(Path input, List<String> reader, String... more) {
        List<String> args = new ArrayList<>(List.of("user-sessions", "--input", input.toString(),
                "--schema", TestDatasets.LOGINS_DDL));
        args.addAll(reader);
        args.addAll(List.of("--key", "account", "--event-time", "ts", "--timeout", "10m",
                "--watermark", "1m", "--watermark-every-event", "--trigger", "available-now"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }
}
