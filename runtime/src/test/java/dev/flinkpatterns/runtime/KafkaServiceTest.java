package dev.flinkpatterns.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./patterns kafka start | status | stop: a real broker as a separate process, and its pid file. */
class KafkaServiceTest {

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int kafka(String... args) throws Exception {
        return KafkaService.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** What the commands printed so far: a failed start says why (and where its log is). */
    private String printed() {
        String printed = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        Path log = tmp.resolve("log").resolve("kafka.log");
        try {
            return Files.exists(log) ? printed + "kafka.log:\n" + Files.readString(log) : printed;
        } catch (java.io.IOException e) {
            return printed + "(kafka.log unreadable: " + e + ")";
        }
    }

    @Test
    void startsABrokerProcessReportsItAndStopsIt() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String dataDir = tmp.resolve("kafka").toString();
        String portText = Integer.toString(port);
        System.setProperty("patterns.log.dir", tmp.resolve("log").toString());
        try {
            assertThat(kafka("status", "--port", portText, "--data-dir", dataDir)).isEqualTo(KafkaService.EXIT_NOT_RUNNING);
            assertThat(kafka("start", "--port", portText, "--data-dir", dataDir)).as(this::printed).isZero();
            assertThat(Files.exists(tmp.resolve("kafka.pid"))).isTrue();
            assertThat(kafka("status", "--port", portText, "--data-dir", dataDir)).as(this::printed).isZero();
            // Without --port, status names the port the broker was started with, not the default.
            int before = out.size();
            assertThat(kafka("status", "--data-dir", dataDir)).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8).substring(before))
                    .endsWith("): bootstrap servers localhost:" + port + "\n");
        } finally {
            assertThat(kafka("stop", "--port", portText, "--data-dir", dataDir)).as(this::printed).isZero();
            System.clearProperty("patterns.log.dir");
        }
        assertThat(kafka("status", "--port", portText, "--data-dir", dataDir)).isEqualTo(KafkaService.EXIT_NOT_RUNNING);
        assertThat(Files.exists(tmp.resolve("kafka.pid"))).isFalse();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains(
                "Kafka broker running (pid ", "): bootstrap servers localhost:" + port + "\n",
                "Kafka broker stopped (pid ");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void aBadCommandGetsTheUsageInOneLine() throws Exception {
        assertThat(kafka("restart")).isEqualTo(KafkaService.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(
                "patterns kafka: usage: ./patterns kafka start|stop|status [--port N] [--data-dir DIR] (unknown 'restart')\n");
    }
}
