package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.io.PostgresConnection;
import dev.flinkpatterns.io.PostgresSinks;
import dev.flinkpatterns.run.ExecutionRuntime;
import dev.flinkpatterns.run.LocalService;
import dev.flinkpatterns.table.ConsoleTable;
import dev.flinkpatterns.table.ShownValues;
import dev.flinkpatterns.table.ResultTable;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Option;

/**
 * The options of {@code --sink postgres}, and the database of a pattern that reads one ({@code enrich --api sql}).
 * Credentials come from a properties file or the environment (PGUSER, PGPASSWORD), never from the command line, which every user of the machine can see; they are never printed.
 */
public final class PostgresOptions implements AutoCloseable {

    static final String EMBEDDED = "embedded";
    private static final Pattern PASSWORD_IN_URL = Pattern.compile("[?&]password=", Pattern.CASE_INSENSITIVE);

    @Option(names = "--postgres", paramLabel = "embedded|URL",
            description = "The database of --sink postgres and of enrich --api sql: embedded (a PostgreSQL started for the run and stopped at "
                    + "its end; local runs only) or a JDBC URL such as jdbc:postgresql://localhost:5432/db. "
                    + "Default: embedded.")
    String postgres;

    /** --delivery of the run (StreamingOptions: kafka has it too). */
    private DeliveryGuarantee delivery;

    @Option(names = "--postgres-credentials", paramLabel = "FILE",
            description = "A properties file with user= and password= for the JDBC URL (default: the environment "
                    + "variables PGUSER and PGPASSWORD).")
    Path credentials;

    private PostgresConnection connection;
    private LocalService<PostgresConnection> started;
    private String tableName;
    /** True when the pattern itself reads PostgreSQL (enrich's lookup join): --postgres then goes with any sink. */
    boolean readByPattern;

    /** With another sink: none of these options may be given (but the database's when the pattern reads it). */
    void requireUnused(String sink) {
        String given = postgres != null && !readByPattern ? "--postgres"
                : credentials != null && !readByPattern ? "--postgres-credentials" : null;
        if (given != null) {
            throw new UsageException(given + " is an option of --sink postgres, not of --sink " + sink);
        }
    }

    boolean isGiven() {
        return postgres != null;
    }

    boolean isEmbedded() {
        return postgres == null || postgres.equals(EMBEDDED);
    }

    /**
     * The database: the JDBC URL's, or for {@code embedded} a PostgreSQL started at the first call and stopped by
     * {@link #close()} when the run ends. Call after {@link #validate}.
     */
    PostgresConnection connect(ExecutionRuntime runtime, PrintStream out) {
        if (connection != null) {
            return connection;
        }
        if (started == null) {
            started = runtime.startPostgres();
            out.println("PostgreSQL (embedded, stopped at the end of the run): " + started.address().jdbcUrl());
        }
        return started.address();
    }

    /** Stops the embedded PostgreSQL, if one was started. */
    @Override
    public void close() {
        if (started != null) {
            started.close();
            started = null;
        }
    }

    /** Checks the options; {@code environment} is where PGUSER and PGPASSWORD are looked up. */
    void validate(String patternName, String table, Map<String, String> environment, DeliveryGuarantee delivery) {
        this.delivery = delivery;
        tableName = table == null ? PostgresSinks.tableName(patternName) : table.trim();
        if (!PostgresSinks.isValidTableName(tableName)) {
            throw new UsageException("--table " + table + " is not a table name such as window_agg or public.aggregations "
                    + "(lower-case letters, digits and _)");
        }
        if (postgres == null || postgres.equals(EMBEDDED)) {
            if (credentials != null) {
                throw new UsageException("--postgres-credentials goes with a JDBC URL; the embedded PostgreSQL has its own user");
            }
            return;
        }
        if (!postgres.startsWith("jdbc:postgresql:")) {
            throw new UsageException("--postgres " + postgres + " is neither embedded nor a JDBC URL such as "
                    + "jdbc:postgresql://localhost:5432/db");
        }
        if (PASSWORD_IN_URL.matcher(postgres).find()) {
            throw new UsageException("--postgres: the URL holds a password, which any user of the machine can read on "
                    + "the command line; give it in PGPASSWORD or in --postgres-credentials FILE");
        }
        Properties fromFile = credentials == null ? null : readCredentials(credentials);
        String user = fromFile != null ? fromFile.getProperty("user") : environment.get("PGUSER");
        String password = fromFile != null ? fromFile.getProperty("password") : environment.get("PGPASSWORD");
        connection = new PostgresConnection(postgres, user, password);
    }

    /**
     * A database given by URL must answer before anything starts, as a Kafka broker must: otherwise a usage error
     * that names it, instead of a job restarting against it.
     */
    void checkReachable() {
        if (connection == null) {
            return; // embedded, or not used
        }
        try (Connection ignored = connection.open()) {
            // reached
        } catch (SQLException e) {
            throw new UsageException("cannot connect to PostgreSQL at " + connection.jdbcUrl() + ": " + e.getMessage()
                    + " (start it, or use --postgres embedded)");
        }
    }

    private static Properties readCredentials(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UsageException("--postgres-credentials " + file + " cannot be read: " + e.getMessage());
        }
        if (properties.getProperty("user") == null) {
            throw new UsageException("--postgres-credentials " + file + " has no user= line");
        }
        return properties;
    }

    /**
     * Creates the table (and starts the embedded PostgreSQL) and attaches the sink to the result table. A sink that
     * commits on checkpoints refuses a job that never checkpoints and never ends: it would never write a row.
     */
    SinkRun attach(ResultTable result, ExecutionRuntime runtime, StreamingOptions options, PrintStream out)
            throws SQLException {
        StreamExecutionEnvironment env = result.changes().getExecutionEnvironment();
        if (delivery == DeliveryGuarantee.EXACTLY_ONCE) {
            ResultSink.requireCommitPoints(result);
        }
        PostgresConnection target = connect(runtime, out);
        try {
            PostgresSinks.createTable(target, tableName, result.schema());
        } catch (IllegalStateException e) {
            throw new UsageException(e.getMessage() + " (--table)");
        } catch (SQLException | RuntimeException e) {
            throw new SQLException("cannot create table " + tableName + " at " + target.jdbcUrl() + ": " + e.getMessage(), e);
        }
        PostgresSinks.resultTable(result.changes(), result.schema(), target, tableName, delivery);
        out.println("Writing table " + tableName + " (" + delivery.toString().toLowerCase(Locale.ROOT).replace('_', '-')
                + ") to " + target.jdbcUrl());
        boolean attached = env.getConfiguration().get(DeploymentOptions.ATTACHED);
        return new SinkRun() {
            @Override
            public void finished(PrintStream out) throws SQLException {
                if (attached) {
                    List<List<String>> rows = PostgresSinks.readTable(target, tableName, result.schema()).stream()
                            .map(ShownValues::show).toList();
                    out.println("Table " + tableName + ": " + rows.size() + " row(s)");
                    out.print(ConsoleTable.show(result.columns(), rows, options.console.numRows, options.console.truncate));
                }
            }
        };
    }
}
