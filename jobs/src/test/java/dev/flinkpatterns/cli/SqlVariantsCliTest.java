package dev.flinkpatterns.cli;

import static dev.flinkpatterns.testing.FlinkTests.linesOfVisibleFiles;
import static dev.flinkpatterns.testing.FlinkTests.writeLines;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.core.DisplayPath;
import dev.flinkpatterns.testing.CapturedRun;
import dev.flinkpatterns.testing.FlinkTests;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --api sql} of socket, csv-log and csv-agg: on the same input (bad rows included) the SQL variant prints
 * exactly the expected rows, the same text as the DataStream variant, and writes the same dead letters.
 */
class SqlVariantsCliTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    @TempDir
    Path tmp;

    /** Two event files with a bad row of each kind: missing field, bad user_id, bad timestamp, extra field. */
    private Path eventFiles() throws IOException {
        Path input = tmp.resolve("events");
        writeLines(input, "event_batch_0.csv", "timestamp,user_id,event",
                "2025-07-15T15:03:21.000001,3,logout",
                "2025-07-15T15:03:21.000002,2",
                "2025-07-15T15:03:21.000003,user4,login",
                "2025-07-15T15:03:21.000004,1,login");
        writeLines(input, "event_batch_1.csv", "timestamp,user_id,event",
                "yesterday,1,view",
                "2025-07-15T15:03:22.000001,5,purchase",
                "2025-07-15T15:03:22.000002,2,view,extra",
                "2025-07-15T15:03:22.000003,1,login");
        return input;
    }

    @Test
    @Timeout(120)
    void csvAggOverTheEventFiles() throws Exception {
        Path input = eventFiles();

        assertBothApisPrint(4, """
                +--------+-----+
                |   event|count|
                +--------+-----+
                |   login|    2|
                |  logout|    1|
                |purchase|    1|
                +--------+-----+
                """, "csv-agg", "--input", input.toString(), "--trigger", "available-now");
    }

    @Test
    @Timeout(120)
    void csvLogOverTheEventFiles() throws Exception {
        Path input = eventFiles();

        assertBothApisPrint(4, """
                +--------------------------+-------+--------+
                |timestamp                 |user_id|event   |
                +--------------------------+-------+--------+
                |2025-07-15T15:03:21.000001|3      |logout  |
                |2025-07-15T15:03:21.000004|1      |login   |
                |2025-07-15T15:03:22.000001|5      |purchase|
                |2025-07-15T15:03:22.000003|1      |login   |
                +--------------------------+-------+--------+
                """, "csv-log", "--input", input.toString(), "--trigger", "available-now", "--truncate", "false");
    }

    @Test
    @Timeout(120)
    void csvAggOverOwnFilesByTwoColumns() throws Exception {
        Path input = tmp.resolve("taxi");
        writeLines(input, "trips.csv",
                "15/01/2024 08:05,15/01/2024 08:25,Midtown,23.50,1",
                "15/01/2024 08:12,15/01/2024 08:40,\"Newark, Airport\",71.25,2",
                "15/01/2024 08:31,15/01/2024 08:44,Midtown,12.00,1",
                "yesterday,15/01/2024 08:44,Midtown,12.00,1",
                "15/01/2024 09:02,15/01/2024 09:30,,18.75,",
                "15/01/2024 09:15,15/01/2024 09:21,Midtown,7.80,one");

        // An empty field is null; the null key sorts first. passengers stays an INT.
        assertBothApisPrint(2, """
                +---------------+----------+-----+
                |           zone|passengers|count|
                +---------------+----------+-----+
                |           null|      null|    1|
                |        Midtown|         1|    2|
                |Newark, Airport|         2|    1|
                +---------------+----------+-----+
                """, "csv-agg", "--input", input.toString(), "--header", "false", "--schema",
                "pickup_at TIMESTAMP, dropoff_at TIMESTAMP, zone STRING, fare DECIMAL(10,2), passengers INT",
                "--timestamp-format", "dd/MM/yyyy HH:mm", "--group-by", "zone,passengers", "--trigger", "available-now");
    }

    @Test
    @Timeout(120)
    void csvLogOverOwnNestedJson() throws Exception {
        Path input = tmp.resolve("clicks");
        writeLines(input, "clicks.jsonl",
                "{\"event_id\":\"c1\",\"ts\":\"2024-01-15T10:00:03\",\"user\":{\"id\":42,\"country\":\"DE\"},"
                        + "\"page\":\"/home\",\"tags\":[\"promo\",\"mobile\"],\"amount\":12.5}",
                "not json",
                "{\"event_id\":\"c2\",\"ts\":\"2024-01-15T10:00:09\",\"user\":{\"id\":7},\"page\":\"/cart\",\"tags\":[],"
                        + "\"amount\":3}",
                "{\"event_id\":\"c3\",\"ts\":\"yesterday\",\"page\":\"/home\"}",
                "{\"event_id\":\"c4\",\"ts\":\"2024-01-15T10:02:45.5\",\"page\":\"/home\",\"tags\":null}");

        // Spark's show(): a struct as {42, DE}, an array as [promo, mobile], a DECIMAL with its scale.
        assertBothApisPrint(2, """
                +--------+-----------------------+---------+-----+---------------+------+
                |event_id|ts                     |user     |page |tags           |amount|
                +--------+-----------------------+---------+-----+---------------+------+
                |c1      |2024-01-15 10:00:03    |{42, DE} |/home|[promo, mobile]|12.50 |
                |c2      |2024-01-15 10:00:09    |{7, null}|/cart|[]             |3.00  |
                |c4      |2024-01-15 10:02:45.500|null     |/home|null           |null  |
                +--------+-----------------------+---------+-----+---------------+------+
                """, "csv-log", "--input", input.toString(), "--format", "json", "--schema",
                "event_id STRING, ts TIMESTAMP, user STRUCT<id: BIGINT, country: STRING>, page STRING, "
                        + "tags ARRAY<STRING>, amount DECIMAL(6,2)",
                "--truncate", "false", "--trigger", "available-now");
    }

    @Test
    @Timeout(120)
    void socketWordCountFromARealServer() throws Exception {
        // Blank lines and runs of spaces: no empty words (the socket has no malformed rows of its own).
        List<String> lines = List.of("hello world spark streaming", "", "   spark   is amazing  ", "hello\tspark");
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> serving = CompletableFuture.runAsync(() -> serveEachConnection(server, lines));
            // One batch: a day-long interval fires no batch before the server closes and the input ends.
            List<String> out = new ArrayList<>();
            for (String api : List.of("sql", "datastream")) {
                CapturedRun run = CapturedRun.onContext("socket", "--host", "127.0.0.1", "--port",
                        String.valueOf(server.getLocalPort()), "--trigger", "1d", "--api", api);
                assertThat(run.err()).as(api).isEmpty();
                assertThat(run.exitCode()).as(api).isZero();
                out.add(run.out());
            }
            assertThat(out.get(0)).isEqualTo(CapturedRun.batch(0, """
                    +---------+-----+
                    |     word|count|
                    +---------+-----+
                    |  amazing|    1|
                    |    hello|    2|
                    |       is|    1|
                    |    spark|    3|
                    |streaming|    1|
                    |    world|    1|
                    +---------+-----+
                    """));
            assertThat(out.get(1)).isEqualTo(out.get(0));
            server.close();
            serving.join();
        }
    }

    @Test
    void sqlDoesNotGroupByAStruct() throws Exception {
        Path input = tmp.resolve("clicks");
        writeLines(input, "clicks.jsonl", "{\"event_id\":\"c1\",\"user\":{\"id\":42}}");

        CapturedRun.onContext("csv-agg", "--input", input.toString(), "--format", "json", "--schema",
                "event_id STRING, user STRUCT<id: BIGINT>", "--group-by", "user", "--api", "sql")
                .assertOneLineError("patterns csv-agg: --group-by user: --api sql groups by values, not by STRUCTs; "
                        + "use --api datastream (see 'patterns csv-agg --help')");
    }

    /** Each client (the CLI's probe, then the job's source) gets the lines, then the server closes its connection. */
    private static void serveEachConnection(ServerSocket server, List<String> lines) {
        while (!server.isClosed()) {
            try (Socket client = server.accept();
                    Writer writer = new OutputStreamWriter(client.getOutputStream(), StandardCharsets.UTF_8)) {
                for (String line : lines) {
                    writer.write(line + "\n");
                }
                writer.flush();
            } catch (IOException e) {
                // The probe hung up before reading, or the test closed the server.
            }
        }
    }

    /**
     * Runs the command with {@code --api sql} and {@code --api datastream}: the SQL run prints one batch, {@code table},
     * and the dead-letter line; the DataStream run prints the same text; both write the same {@code deadLetters}.
     */
    private void assertBothApisPrint(int deadLetters, String table, String... args) throws IOException {
        List<String> outs = new ArrayList<>();
        List<List<String>> letters = new ArrayList<>();
        for (String api : List.of("sql", "datastream")) {
            Path output = tmp.resolve("out-" + api);
            List<String> withApi = new ArrayList<>(List.of(args));
            withApi.addAll(List.of("--api", api, "--output", output.toString()));
            CapturedRun run = CapturedRun.onContext(withApi.toArray(String[]::new));
            assertThat(run.err()).as(api).isEmpty();
            assertThat(run.exitCode()).as(api).isZero();
            outs.add(run.out().replace(DisplayPath.of(output.resolve("dead-letter")), "<dead-letters>"));
            letters.add(linesOfVisibleFiles(output.resolve("dead-letter")).stream().sorted().toList());
        }
        assertThat(outs.get(0)).isEqualTo(CapturedRun.batch(0, table)
                + "Dead letters: " + deadLetters + " malformed record(s) written to <dead-letters>\n");
        assertThat(outs.get(1)).isEqualTo(outs.get(0));
        assertThat(letters.get(0)).hasSize(deadLetters).isEqualTo(letters.get(1));
    }
}
