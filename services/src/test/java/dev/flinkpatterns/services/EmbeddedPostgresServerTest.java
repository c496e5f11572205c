package dev.flinkpatterns.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class EmbeddedPostgresServerTest {

    @Test
    @Timeout(120)
    void aRealServerWithPreparedTransactionsThatStopsOnClose() throws Exception {
        int port;
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start()) {
            port = server.port();
            assertThat(server.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:" + port + "/postgres");
            try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
                ResultSet settings = statement.executeQuery(
                        "SELECT current_setting('max_prepared_transactions'), current_setting('server_version_num')::int / 10000");
                settings.next();
                assertThat(settings.getString(1)).isEqualTo("20");
                assertThat(settings.getInt(2)).isEqualTo(14);
            }
        }
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("localhost", port), 1000);
            }
        }).isInstanceOf(java.net.ConnectException.class);
    }
}
