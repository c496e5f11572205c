package dev.flinkpatterns.run;

import dev.flinkpatterns.io.PostgresConnection;

/** A PostgreSQL started beside one local run ({@code --postgres embedded}); {@link #close()} stops it and drops its data. */
public interface LocalPostgres extends AutoCloseable {

    PostgresConnection connection();

    @Override
    void close();

    static LocalPostgres of(PostgresConnection connection, Runnable stop) {
        return new LocalPostgres() {
            @Override
            public PostgresConnection connection() {
                return connection;
            }

            @Override
            public void close() {
                stop.run();
            }
        };
    }
}
