package dev.flinkpatterns.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.run.LocalService;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

/** --kafka embedded: a real broker for one run, reachable at the address the run prints, gone after close. */
class EmbeddedKafkaTest {

    @Test
    void aBrokerForOneRunAnswersAndIsGoneAfterwards() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String address;
        try (LocalService<String> kafka = new EmbeddedRuntime(Path.of("../conf"))
                .startKafka(new PrintStream(out, true, StandardCharsets.UTF_8))) {
            address = kafka.address();
            Properties properties = new Properties();
            properties.setProperty("bootstrap.servers", address);
            try (Admin admin = Admin.create(properties)) {
                admin.createTopics(List.of(new NewTopic("t", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("t");
            }
        }
        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo("Kafka (embedded, for this run): bootstrap servers " + address + "\n");
        int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
        assertThat(listening(port)).isFalse();
    }

    /** Exit 2 means nothing was started: the broker is asked before the local cluster (and its web UI) starts. */
    @Test
    void anUnreachableBrokerIsRefusedBeforeTheLocalClusterStarts() throws Exception {
        int webUiPort;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            webUiPort = free.getLocalPort();
        }
        dev.flinkpatterns.testing.CapturedRun run = dev.flinkpatterns.testing.CapturedRun.of(
                new EmbeddedRuntime(Path.of("../conf")), "kafka-read", "--bootstrap-servers", "localhost:1",
                "--subscribe", "t", "--web-ui-port", String.valueOf(webUiPort));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("patterns kafka-read: cannot reach Kafka at localhost:1 (");
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("localhost", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
