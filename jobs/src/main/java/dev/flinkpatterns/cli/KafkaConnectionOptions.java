package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.run.CommandScope;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * Where Kafka is. Client settings such as SASL/SSL come from a properties file or the environment, never from the
 * command line (where {@code ps} and shell history would show them), and are never printed.
 */
public final class KafkaConnectionOptions {

    /** Environment variables {@code KAFKA_CLIENT_SASL_MECHANISM=...} become {@code sasl.mechanism=...}. */
    static final String ENV_PREFIX = "KAFKA_CLIENT_";
    static final String PROPERTIES_FILE_ENV = "PATTERNS_KAFKA_PROPERTIES";

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "Kafka to use (Spark's kafka.bootstrap.servers). Default: localhost:9092, the broker of "
                    + "./patterns kafka start.")
    String bootstrapServers;

    @Option(names = "--kafka", paramLabel = "embedded",
            description = "embedded: start a Kafka broker inside this run and stop it at the end (local runs only).")
    String kafka;

    @Option(names = "--kafka-properties", paramLabel = "FILE",
            description = "Kafka client properties (security.protocol, sasl.*, ssl.*), also from $"
                    + PROPERTIES_FILE_ENV + " or variables " + ENV_PREFIX + "<NAME> (KAFKA_CLIENT_SASL_MECHANISM "
                    + "-> sasl.mechanism). Never put secrets on the command line.")
    Path propertiesFile;

    boolean embedded() {
        if (kafka == null) {
            return false;
        }
        if (!kafka.equals("embedded")) {
            throw new UsageException("--kafka " + kafka + " is not available; use --kafka embedded or --bootstrap-servers");
        }
        if (bootstrapServers != null) {
            throw new UsageException("--kafka embedded and --bootstrap-servers exclude each other");
        }
        return true;
    }

    String bootstrapServers() {
        return bootstrapServers == null ? "localhost:9092" : bootstrapServers;
    }

    /** The client properties from the file and the environment (the environment wins). */
    Properties clientProperties() {
        return clientProperties(CommandScope.environment());
    }

    Properties clientProperties(Map<String, String> environment) {
        Properties properties = new Properties();
        Path file = propertiesFile != null ? propertiesFile
                : environment.containsKey(PROPERTIES_FILE_ENV) ? Path.of(environment.get(PROPERTIES_FILE_ENV)) : null;
        if (file != null) {
            try (Reader reader = Files.newBufferedReader(file)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new UsageException("cannot read Kafka properties from " + file + " (" + e.getClass().getSimpleName() + ")");
            }
        }
        environment.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()) {
                properties.setProperty(name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        return properties;
    }
}
