package dev.flinkpatterns.cli;

import static dev.flinkpatterns.testing.FlinkTests.writeLines;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flinkpatterns.io.KafkaSettings;
import dev.flinkpatterns.io.PostgresConnection;
import dev.flinkpatterns.services.EmbeddedPostgresExtension;
import dev.flinkpatterns.testing.CapturedRun;
import dev.flinkpatterns.testing.FlinkTests;
import dev.flinkpatterns.testing.KafkaTests;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real jobs on a MiniCluster given a PostgreSQL password and Kafka SASL credentials: the secret shows nowhere the
 * job can be looked at (every REST endpoint of the job the web UI reads, the cluster's configuration), nor in the
 * log at INFO (what ./patterns writes to log/patterns.log), nor on the console.
 */
class SecretsStayHiddenTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    @RegisterExtension
    static final EmbeddedPostgresExtension POSTGRES = new EmbeddedPostgresExtension();

    @RegisterExtension
    static final KafkaTests KAFKA = new KafkaTests();

    private static final String SECRET = "s3cr3t-MARKER-7f1d";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path tmp;

    private final StringWriter log = new StringWriter();
    private Appender capture;
    private final Map<String, Level> levelsBefore = new LinkedHashMap<>();

    /** The log at INFO, as log4j2-local.properties writes it for ./patterns, into {@link #log}. */
    @BeforeEach
    void captureTheLogAtInfo() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        capture = WriterAppender.newBuilder().setName("secrets-capture").setTarget(log)
                .setLayout(PatternLayout.newBuilder().withPattern("%c - %m%n%throwable").build()).build();
        capture.start();
        config.addAppender(capture);
        for (LoggerConfig logger : List.of(config.getRootLogger(), config.getLoggerConfig("org.apache.flink"))) {
            levelsBefore.put(logger.getName(), logger.getLevel());
            logger.setLevel(Level.INFO);
            logger.addAppender(capture, Level.INFO, null);
            // The console keeps showing warnings only.
            Appender console = config.getAppender("ConsoleAppender");
            if (console != null && logger.getAppenders().containsKey("ConsoleAppender")) {
                logger.removeAppender("ConsoleAppender");
                logger.addAppender(console, Level.WARN, null);
            }
        }
        context.updateLoggers();
    }

    @AfterEach
    void restoreTheLog() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        levelsBefore.forEach((name, level) -> {
            LoggerConfig logger = name.isEmpty() ? config.getRootLogger() : config.getLoggerConfig(name);
            logger.removeAppender(capture.getName());
            logger.setLevel(level);
        });
        capture.stop();
        context.updateLoggers();
    }

    @Test
    @Timeout(180)
    void aPostgresPasswordShowsNowhere() throws Exception {
        POSTGRES.execute("CREATE ROLE secret_user LOGIN SUPERUSER PASSWORD '" + SECRET + "'");
        Path credentials = Files.writeString(tmp.resolve("postgres.properties"), "user=secret_user\npassword=" + SECRET + "\n");
        Path orders = writeLines(tmp.resolve("orders"), "orders_0.csv", "order_time,order_id,user_id,product_id,quantity,amount",
                "2024-03-01T10:00:00.000000,o1,1,p1,2,3.00", "2024-03-01T10:00:01.000000,o2,2,p2,1,2.00").getParent();
        Path catalog = writeLines(tmp.resolve("catalog"), "product_catalog.csv", "product_id,product_name,category,price",
                "p1,pen,office,1.50");

        // The password goes to the lookup join's JDBC table (SQL) and to the PostgreSQL sink (DataStream).
        CapturedRun run = CapturedRun.onContext("enrich", "--input", orders.toString(), "--trigger", "available-now",
                "--api", "sql", "--postgres", POSTGRES.jdbcUrl(), "--postgres-credentials", credentials.toString(),
                "--catalog", catalog.toString(), "--sink", "postgres", "--delivery", "at-least-once",
                "--output", tmp.resolve("out").toString());

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Table enrich: 2 row(s)");
        assertThat(POSTGRES.query("SELECT tableowner FROM pg_tables WHERE tablename = 'enrich'")).containsExactly("secret_user");
        assertSecretShowsNowhere(run, "enrich");
    }

    @Test
    @Timeout(180)
    void kafkaClientCredentialsShowNowhere() throws Exception {
        KAFKA.createTopic("secret-in", 1);
        KAFKA.produce("secret-in", List.of(Map.entry("k", "v")));
        // A PLAINTEXT broker ignores the SASL and SSL settings, but the clients are given them and log their configuration.
        Path properties = Files.writeString(tmp.resolve("kafka.properties"),
                "sasl.mechanism=PLAIN\n"
                + "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"app\" password=\""
                + SECRET + "\";\n"
                + "ssl.key.password=" + SECRET + "\n");

        CapturedRun run = CapturedRun.onContext("kafka-read", "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--subscribe", "secret-in", "--starting-offsets", "earliest", "--trigger", "available-now",
                "--sink", "kafka", "--output-topic", "secret-out", "--delivery", "at-least-once",
                "--kafka-properties", properties.toString(), "--output", tmp.toString());

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(KAFKA.readCommitted("secret-out", 1, Duration.ofSeconds(30))).hasSize(1);
        // The clients got the settings (and Kafka hides Password-typed values).
        assertThat(log.toString()).contains("sasl.jaas.config = [hidden]", "ssl.key.password = [hidden]",
                "ProducerConfig", "ConsumerConfig");
        assertSecretShowsNowhere(run, "kafka-read");
    }

    @Test
    void aFailedConnectionsErrorShowsNoPassword() throws Exception {
        Path credentials = Files.writeString(tmp.resolve("postgres.properties"), "user=app\npassword=" + SECRET + "\n");
        Path input = Files.createDirectories(tmp.resolve("empty"));

        CapturedRun run = CapturedRun.onContext("csv-log", "--input", input.toString(), "--sink", "postgres",
                "--postgres", "jdbc:postgresql://localhost:1/nowhere", "--postgres-credentials", credentials.toString(),
                "--delivery", "at-least-once", "--trigger", "available-now");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("patterns csv-log: cannot connect to PostgreSQL at jdbc:postgresql://localhost:1/nowhere: "
                + "Connection to localhost:1 refused. Check that the hostname and port are correct and that the postmaster "
                + "is accepting TCP/IP connections. (start it, or use --postgres embedded) (see 'patterns csv-log --help')\n");
        assertThat(run.out()).doesNotContain(SECRET);
        assertThat(log.toString()).doesNotContain(SECRET);
    }

    @Test
    void settingsPrintNoSecret() {
        Properties sasl = new Properties();
        sasl.setProperty("sasl.jaas.config", "PlainLoginModule required username=\"app\" password=\"" + SECRET + "\";");
        KafkaSettings kafka = new KafkaSettings("localhost:9092", List.of("t"), null, "earliest", "g", true, sasl,
                KafkaSettings.DEFAULT_TRANSACTION_TIMEOUT);
        PostgresConnection postgres = new PostgresConnection("jdbc:postgresql://db:5432/shop", "app", SECRET);

        assertThat(kafka.toString()).isEqualTo("KafkaSettings[localhost:9092, topics [t]]");
        assertThat(postgres.toString()).isEqualTo("jdbc:postgresql://db:5432/shop as app");
    }

    /** Every endpoint the web UI reads for the job named {@code pattern}, the log and the console: no secret. */
    private void assertSecretShowsNowhere(CapturedRun run, String pattern) throws Exception {
        Map<String, String> pages = restPages(pattern);
        assertThat(pages.get("/plan")).contains("\"nodes\"");
        pages.forEach((path, body) -> assertThat(body).as("GET %s", path).doesNotContain(SECRET));
        assertThat(log.toString()).as("the log").isNotEmpty().doesNotContain(SECRET);
        assertThat(run.out()).doesNotContain(SECRET);
        assertThat(run.err()).doesNotContain(SECRET);
    }

    private static Map<String, String> restPages(String pattern) throws Exception {
        Map<String, String> pages = new LinkedHashMap<>();
        for (String path : List.of("/config", "/overview", "/jobs/overview", "/jobmanager/config",
                "/jobmanager/environment", "/taskmanagers")) {
            pages.put(path, get(path));
        }
        String id = null;
        for (JsonNode job : JSON.readTree(pages.get("/jobs/overview")).path("jobs")) {
            if (job.path("name").asText().startsWith(pattern)) {
                id = job.path("jid").asText();
            }
        }
        assertThat(id).as("job %s in %s", pattern, pages.get("/jobs/overview")).isNotNull();
        List<String> jobPaths = new ArrayList<>(List.of("", "/plan", "/config", "/jobmanager/config",
                "/jobmanager/environment", "/exceptions", "/accumulators", "/checkpoints", "/checkpoints/config",
                "/status"));
        JsonNode job = JSON.readTree(get("/jobs/" + id));
        for (JsonNode vertex : job.path("vertices")) {
            String vertexPath = "/vertices/" + vertex.path("id").asText();
            jobPaths.addAll(List.of(vertexPath, vertexPath + "/accumulators", vertexPath + "/subtasks/accumulators",
                    vertexPath + "/subtasktimes", vertexPath + "/taskmanagers", vertexPath + "/watermarks"));
        }
        assertThat(job.path("vertices").size()).isPositive();
        for (String path : jobPaths) {
            pages.put("/jobs/:id" + path, get("/jobs/" + id + path));
        }
        pages.put("/plan", pages.get("/jobs/:id/plan"));
        return pages;
    }

    private static String get(String path) throws Exception {
        var client = CLUSTER.getClientConfiguration();
        URI uri = URI.create("http://" + client.get(RestOptions.ADDRESS) + ":" + client.get(RestOptions.PORT) + path);
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
