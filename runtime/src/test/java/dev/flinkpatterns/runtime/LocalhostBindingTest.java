package dev.flinkpatterns.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import dev.flinkpatterns.testing.Await;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The REST API, the web UI and the Prometheus endpoint listen on the loopback interface only: conf/config.yaml says so,
 * and the embedded runtime's MiniCluster, started from that file, answers on 127.0.0.1 and refuses connections on
 * the machine's other addresses.
 */
class LocalhostBindingTest {

    private static final Path CONF = Path.of(System.getProperty("patterns.conf.dir", "../conf"));

    @Test
    void configYamlBindsEverythingToLocalhost() {
        Configuration conf = new EmbeddedRuntime(CONF).configuration(new Configuration());

        assertThat(conf.get(RestOptions.BIND_ADDRESS)).isEqualTo("localhost");
        assertThat(conf.get(RestOptions.ADDRESS)).isEqualTo("localhost");
        assertThat(conf.get(JobManagerOptions.BIND_HOST)).isEqualTo("localhost");
        assertThat(conf.get(JobManagerOptions.ADDRESS)).isEqualTo("localhost");
        assertThat(conf.get(TaskManagerOptions.BIND_HOST)).isEqualTo("localhost");
        assertThat(conf.get(TaskManagerOptions.HOST)).isEqualTo("localhost");
        // Flink's Prometheus reporter factory has no host option: the project's does, and binds to loopback.
        assertThat(conf.toMap()).containsEntry("metrics.reporter.prom.factory.class",
                "dev.flinkpatterns.metrics.LoopbackPrometheusReporterFactory")
                .containsEntry("metrics.reporter.prom.host", "127.0.0.1");
    }

    @Test
    @Timeout(120)
    void theEmbeddedRestApiAnswersOnLoopbackOnly() throws Exception {
        int port = freePort();
        Configuration conf = new EmbeddedRuntime(CONF).configuration(new Configuration());
        conf.set(RestOptions.PORT, port);
        int metricsPort = freePort();
        conf.setString("metrics.reporter.prom.port", String.valueOf(metricsPort));
        MiniClusterConfiguration cluster = new MiniClusterConfiguration.Builder().setConfiguration(conf)
                .setNumTaskManagers(1).setNumSlotsPerTaskManager(1).build();
        try (MiniCluster miniCluster = new MiniCluster(cluster)) {
            miniCluster.start();
            assertThat(miniCluster.getRestAddress().get().getPort()).isEqualTo(port);

            // Right after the start the REST API may answer 503 until its leader is known: asked until it answers.
            HttpResponse<String> config = Await.value(() -> "an answer from /config", Duration.ofSeconds(30), () -> {
                HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/config")).timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.ofString());
                return Optional.of(answer).filter(response -> response.statusCode() != 503);
            });
            assertThat(config.statusCode()).isEqualTo(200);
            assertThat(config.body()).contains("\"flink-version\":\"2.2.0\"");
            // No jar upload through the REST API (web.submit.enable: false): it would run any code.
            assertThat(config.body()).contains("\"web-submit\":false");

            // The Prometheus endpoint of the same process (conf/config.yaml's reporter).
            HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("flink_jobmanager_");

            List<InetAddress> others = nonLoopbackAddresses();
            for (InetAddress other : others) {
                for (int listening : new int[] {port, metricsPort}) {
                    assertThatThrownBy(() -> {
                        try (Socket socket = new Socket()) {
                            socket.connect(new InetSocketAddress(other, listening), 2000);
                        }
                    }).as("port %d on %s", listening, other).isInstanceOf(ConnectException.class);
                }
            }
        }
    }

    /** The machine's IPv4 addresses other than loopback (none on a machine without a network). */
    private static List<InetAddress> nonLoopbackAddresses() throws SocketException {
        return Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .filter(network -> {
                    try {
                        return network.isUp() && !network.isLoopback();
                    } catch (SocketException e) {
                        return false;
                    }
                })
                .flatMap(network -> Collections.list(network.getInetAddresses()).stream())
                .filter(address -> address instanceof Inet4Address)
                .toList();
    }

    private static int freePort() throws IOException {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName("localhost"))) {
            return free.getLocalPort();
        }
    }
}
