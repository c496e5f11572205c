package dev.flinkpatterns.parity;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.split;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * socket: the guide's word count ({@code explode(split(value, " "))}, {@code groupBy("word").count()}, complete
 * mode) over the lines of one text file: Spark reads the file ({@code readStream.text(dir)}: a socket cannot be read
 * twice), Flink's {@code socket} reads the same lines from a TCP server of this test. They differ by one documented
 * rule: Spark's {@code split(value, " ")} gives an empty word for each extra space (and for an empty line), and
 * counts it as the word {@code ""}; Flink's SplitWords splits on runs of whitespace and never gives an empty word.
 */
class SocketParityTest {

    private static final List<String> LINES = List.of(
            "hello world spark streaming",
            "spark is amazing",
            "to be  or not   to be",
            "streaming  words from a socket",
            "",
            "the end of the stream");

    @Test
    void wordCountsAreTheSameButForTheEmptyWord() throws Exception {
        String input = Patterns.freshDirectory("socket/input");
        Files.write(Patterns.ROOT.resolve(input).resolve("lines.txt"), LINES, StandardCharsets.UTF_8);

        Patterns.Run flink;
        try (LineServer server = new LineServer(LINES)) {
            // A socket job runs in its own JVM, beside the resident runtime that other tests' commands started on the suite's port.
            flink = Patterns.run("socket", "--host", "127.0.0.1", "--port", String.valueOf(server.port()), "--truncate",
                    "false", "--web-ui-port", String.valueOf(freePort()));
        }

        Dataset<Row> lines = SparkSessions.get().readStream().text(Patterns.ROOT.resolve(input).toString());
        Dataset<Row> words = lines.select(explode(split(col("value"), " ")).alias("word"));
        Map<String, Long> spark = new TreeMap<>();
        SparkSessions.completeTable(words.groupBy("word").count())
                .forEach(row -> spark.put(row.getString(0), row.getLong(1)));

        Map<String, Long> flinkCounts = new TreeMap<>();
        for (String row : Rows.ofLastConsoleTable(flink.out())) {
            Matcher cells = Pattern.compile("\\{count=(\\d+), word=(\\S+)}").matcher(row);
            assertThat(cells.matches()).as(row).isTrue();
            flinkCounts.put(cells.group(2), Long.parseLong(cells.group(1)));
        }
        long emptyWords = LINES.stream().flatMap(line -> Arrays.stream(line.split(" ", -1)))
                .filter(String::isEmpty).count();
        assertThat(emptyWords).isEqualTo(5);
        assertThat(spark).containsEntry("", emptyWords).containsEntry("spark", 2L).containsEntry("be", 2L).hasSize(19);
        Map<String, Long> flinkByTheRule = new TreeMap<>(flinkCounts);
        flinkByTheRule.put("", emptyWords);
        ParityCases.differs("socket", ParityCases.countRows("word", flinkCounts), ParityCases.countRows("word", spark),
                ParityCases.countRows("word", flinkByTheRule));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * A TCP server in place of {@code nc -lk}: it sends the lines to each client, then closes its connection, which
     * ends the socket job. Every client gets them all, also the connection {@code ./patterns socket} opens and closes
     * at once to check that the server listens.
     */
    private static final class LineServer implements AutoCloseable {
        private final ServerSocket server;
        private final Thread serving;

        LineServer(List<String> lines) throws IOException {
            server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
            byte[] text = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
            serving = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket client = server.accept(); OutputStream out = client.getOutputStream()) {
                        out.write(text);
                        out.flush();
                    } catch (IOException closedOrGone) {
                        // the server was closed, or the client went away (the port check): next one
                    }
                }
            }, "line-server");
            serving.setDaemon(true);
            serving.start();
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
