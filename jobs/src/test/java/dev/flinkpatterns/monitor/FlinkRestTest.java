package dev.flinkpatterns.monitor;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class FlinkRestTest {

    @Test
    void aServerThatClosesTheConnectionMidRequestIsUnreachable() throws Exception {
        // What a local run does when its job ends during a poll: it exits and the connection drops.
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // Every connection (the HTTP client retries a GET once) is read from, then closed unanswered.
            Thread closer = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket client = server.accept()) {
                        client.getInputStream().read();
                    } catch (Exception stopped) {
                        return;
                    }
                }
            });
            closer.setDaemon(true);
            closer.start();
            FlinkRest rest = new FlinkRest("http://localhost:" + server.getLocalPort());
            assertThatThrownBy(() -> rest.get("/jobs/overview"))
                    .isInstanceOf(FlinkRest.Unreachable.class)
                    .hasMessageContaining("closed the connection");
        }
    }
}
