package dev.flinkpatterns.testing;

import dev.flinkpatterns.io.PostgresConnection;
import dev.flinkpatterns.run.ExecutionRuntime;
import dev.flinkpatterns.run.LocalService;
import dev.flinkpatterns.services.EmbeddedPostgresServer;
import java.io.PrintStream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The test cluster, with an embedded PostgreSQL to start for {@code --postgres embedded} as the local runtime does. */
public final class RuntimeWithPostgres implements ExecutionRuntime {

    private LocalService<PostgresConnection> started;

    /** The PostgreSQL the run started (its URL is gone once the run ended). */
    public LocalService<PostgresConnection> started() {
        return started;
    }

    @Override
    public StreamExecutionEnvironment environment(Configuration jobSettings, PrintStream out) {
        return CONTEXT.environment(jobSettings, out);
    }

    @Override
    public boolean isEmbedded() {
        return false;
    }

    @Override
    public LocalService<PostgresConnection> startPostgres() {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start();
        started = LocalService.of(new PostgresConnection(server.jdbcUrl(), server.user(), server.password()),
                server::close);
        return started;
    }
}
