package dev.flinkpatterns.io;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A PostgreSQL database and the credentials to write to it. Serializable: the sink writers open their own
 * connections. {@code toString} leaves the password out, so a log line or an error never shows it.
 */
public record PostgresConnection(String jdbcUrl, String user, String password) implements Serializable {

    /** A connection for the caller to close. */
    public Connection open() throws SQLException {
        Properties properties = new Properties();
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        return DriverManager.getConnection(jdbcUrl, properties);
    }

    @Override
    public String toString() {
        return jdbcUrl + (user == null ? "" : " as " + user);
    }
}
