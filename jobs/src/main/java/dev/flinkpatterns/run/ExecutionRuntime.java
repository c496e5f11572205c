package dev.flinkpatterns.run;

import dev.flinkpatterns.io.PostgresConnection;
import dev.flinkpatterns.core.UsageException;
import java.io.PrintStream;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Where a pattern runs. The jar's entry point uses the environment {@code flink run} provides; the local
 * runtime module provides an embedded MiniCluster with the web UI. Patterns never know which.
 */
public interface ExecutionRuntime {

    /** Set on the MiniCluster of a local run, which ends with its job: {@code stop} reads it from the REST API. */
    ConfigOption<Boolean> LOCAL_RUN = ConfigOptions.key("patterns.local-run").booleanType().defaultValue(false)
            .withDescription("True on the MiniCluster of a local run (./patterns <pattern>), which exits with its job.");

    /**
     * The environment for a job with these settings (parallelism, checkpoint directory, ...). May refuse
     * with a {@link dev.flinkpatterns.core.UsageException}, for example when a port it needs is busy.
     */
    StreamExecutionEnvironment environment(Configuration jobSettings, PrintStream out);

    /** True when the job runs inside this JVM; local-only defaults (data/ directories) apply then. */
    boolean isEmbedded();

    /** A Kafka broker for this run only ({@code --kafka embedded}): its bootstrap address; close it when the run ends. */
    default LocalService<String> startKafka(PrintStream out) {
        throw new dev.flinkpatterns.core.UsageException(
                "--kafka embedded runs only locally (./patterns); here give --bootstrap-servers");
    }

    /**
     * Starts a PostgreSQL for one run ({@code --postgres embedded}). Only the local runtime has one to start: a job on
     * a cluster must not write to a database that lives and dies with the client.
     */
    default LocalService<PostgresConnection> startPostgres() {
        throw new UsageException("--postgres embedded starts PostgreSQL beside a local run (./patterns); "
                + "under flink run, give the JDBC URL of a PostgreSQL the cluster can reach");
    }

    /** The one message for a local run whose web UI port is taken, found before the start or at it. */
    static UsageException webUiPortInUse(int port) {
        return new UsageException("port " + port + " (Flink web UI) is already in use;"
                + " stop what uses it or choose another port with --web-ui-port");
    }

    /** The environment {@code flink run} (or a test's MiniCluster) gives the program. */
    ExecutionRuntime CONTEXT = new ExecutionRuntime() {
        @Override
        public StreamExecutionEnvironment environment(Configuration jobSettings, PrintStream out) {
            return StreamExecutionEnvironment.getExecutionEnvironment(jobSettings);
        }

        @Override
        public boolean isEmbedded() {
            return false;
        }
    };
}
