package dev.flinkpatterns.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.run.ExecutionRuntime;
import dev.flinkpatterns.testing.CapturedRun;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.w3c.dom.Element;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;

/**
 * flink-compose.yml cannot be run here (no Docker daemon): this checks its structure and that it agrees with the
 * repository: the jar the shade plugin builds, Flink's configuration options, conf/config.yaml's REST port, the CLI's
 * patterns and options, the Kafka listener and the PostgreSQL database the jobs use.
 */
class ComposeFileTest {

    private static final String JAR_IN_CONTAINER = "/opt/patterns/flink-streaming-patterns.jar";

    private static Path root;
    private static Map<String, Object> services;
    private static Map<String, Object> volumes;

    @BeforeAll
    static void load() throws IOException {
        root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve("flink-compose.yml"))) {
            root = root.getParent();
        }
        Object document = new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(root.resolve("flink-compose.yml")));
        Map<String, Object> compose = map(mergeKeys(document));
        services = map(compose.get("services"));
        volumes = map(compose.get("volumes"));
    }

    @Test
    void servicesAreTheClusterKafkaPostgresTheGeneratorAndTheClient() {
        assertThat(services).containsOnlyKeys("flink-data-init", "jobmanager", "taskmanager", "kafka", "kafka-init",
                "postgres", "generator", "submit");
    }

    @Test
    void imagesArePinnedToTheVersionsTheProjectBuildsWith() {
        String flinkImage = "apache/flink:" + EnvironmentInformation.getVersion() + "-java17";
        assertThat(flinkImage).isEqualTo("apache/flink:2.2.0-java17");
        for (String name : List.of("flink-data-init", "jobmanager", "taskmanager", "generator", "submit")) {
            assertThat(service(name).get("image")).as(name).isEqualTo(flinkImage);
        }
        // Over the network a 4.x broker serves any 4.x client; the same version as kafka-clients needs no argument.
        for (String name : List.of("kafka", "kafka-init")) {
            assertThat(service(name).get("image")).as(name).isEqualTo("apache/kafka:" + AppInfoParser.getVersion());
        }
        assertThat((String) service("postgres").get("image")).matches("postgres:\\d+\\.\\d+");
        services.forEach((name, service) -> assertThat((String) map(service).get("image")).as(name)
                .matches("[a-z/]+:[0-9][\\w.-]*"));
    }

    @Test
    void theJarMountedIsTheShadedJarOfTheJobsModule() throws Exception {
        Element properties = (Element) DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(root.resolve("jobs/pom.xml").toFile()).getElementsByTagName("properties").item(0);
        String shadedJar = properties.getElementsByTagName("shaded.jar").item(0).getTextContent().trim();
        assertThat(shadedJar).isEqualTo("${project.build.directory}/flink-streaming-patterns.jar");
        String mount = "./" + shadedJar.replace("${project.build.directory}", "jobs/target") + ":" + JAR_IN_CONTAINER + ":ro";
        for (String name : List.of("jobmanager", "taskmanager", "generator", "submit")) {
            assertThat(strings(service(name).get("volumes"))).as(name).contains(mount);
        }
        assertThat(command("submit").subList(0, 4)).containsExactly("flink", "run", "-d", JAR_IN_CONTAINER);
        assertThat(strings(service("generator").get("entrypoint")))
                .containsSequence("java", "-cp", "/opt/flink/lib/*:" + JAR_IN_CONTAINER)
                .endsWith("dev.flinkpatterns.cli.PatternsMain");
    }

    @Test
    void flinkContainersUseTheRepositoryConfigWithContainerAddresses(@TempDir Path flinkHome) throws Exception {
        Map<String, String> environment = environment("jobmanager");
        for (String name : List.of("jobmanager", "taskmanager", "submit")) {
            Map<String, Object> service = service(name);
            assertThat(strings(service.get("entrypoint"))).as(name)
                    .containsExactly("/bin/bash", "/opt/patterns/flink-container.sh");
            assertThat(strings(service.get("volumes"))).as(name).contains(
                    "./conf:/opt/patterns/conf:ro", "./docker/flink-container.sh:/opt/patterns/flink-container.sh:ro",
                    "flink-data:/data/flink");
            assertThat(environment(name)).as(name).containsAllEntriesOf(environment);
        }
        assertThat(volumes).containsKey("flink-data");
        assertThat(strings(service("flink-data-init").get("volumes"))).containsExactly("flink-data:/data/flink");

        // docker/flink-container.sh with the compose file's settings, the image's tool and entry point replaced by
        // scripts that record their arguments.
        Files.createDirectories(flinkHome.resolve("bin"));
        Files.createDirectories(flinkHome.resolve("conf"));
        Path toolArgs = flinkHome.resolve("tool-args");
        Path entrypointArgs = flinkHome.resolve("entrypoint-args");
        Files.writeString(flinkHome.resolve("bin/config-parser-utils.sh"),
                "shift 3; printf '%s\\n' \"$@\" > " + toolArgs + "\n");
        Path entrypoint = flinkHome.resolve("docker-entrypoint.sh");
        Files.writeString(entrypoint, "#!/bin/bash\nprintf '%s\\n' \"$@\" > " + entrypointArgs + "\n");
        assertThat(entrypoint.toFile().setExecutable(true)).isTrue();
        ProcessBuilder container = new ProcessBuilder("bash", root.resolve("docker/flink-container.sh").toString(),
                "jobmanager").redirectErrorStream(true);
        container.environment().putAll(environment);
        container.environment().putAll(Map.of("FLINK_HOME", flinkHome.toString(),
                "PATTERNS_CONF_DIR", root.resolve("conf").toString(), "FLINK_IMAGE_ENTRYPOINT", entrypoint.toString()));
        Process process = container.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(new String(process.getInputStream().readAllBytes())).isZero();
        assertThat(flinkHome.resolve("conf/config.yaml")).hasSameTextualContentAs(root.resolve("conf/config.yaml"));
        assertThat(Files.readAllLines(entrypointArgs)).containsExactly("jobmanager");

        Map<String, String> overrides = new LinkedHashMap<>();
        List<String> removed = new ArrayList<>();
        List<String> toolArguments = Files.readAllLines(toolArgs);
        for (int i = 0; i < toolArguments.size(); i++) {
            String argument = toolArguments.get(i);
            if (argument.equals("-rmKey")) {
                removed.add(toolArguments.get(++i));
            } else {
                assertThat(argument).startsWith("-D").contains("=");
                overrides.put(argument.substring(2, argument.indexOf('=')), argument.substring(argument.indexOf('=') + 1));
            }
        }
        assertThat(overrides).hasSize((int) environment.get("FLINK_CONFIG_OVERRIDES").lines().filter(line -> !line.isBlank()).count());
        assertThat(removed).containsExactly("taskmanager.host", "metrics.reporter.prom.host");

        Set<String> flinkKeys = flinkOptionKeys();
        assertThat(flinkKeys).contains("rest.port", "execution.checkpointing.dir"); // the scan finds options
        // A reporter's keys are not flink-core options: they must belong to conf/config.yaml's reporter "prom".
        Predicate<String> promReporterKey = key -> key.startsWith("metrics.reporter.prom.");
        assertThat(overrides.keySet()).filteredOn(promReporterKey.negate()).allSatisfy(key -> assertThat(flinkKeys).contains(key));
        assertThat(removed).filteredOn(promReporterKey.negate()).allSatisfy(key -> assertThat(flinkKeys).contains(key));
        // The image's config-parser-utils.sh passes its arguments unquoted: a value with a space would be cut in two.
        assertThat(overrides.values()).allSatisfy(value -> assertThat(value).doesNotContainPattern("\\s").isNotEmpty());

        // What the containers run with: conf/config.yaml, the image entry point's rpc address, the overrides.
        Configuration effective = GlobalConfiguration.loadConfiguration(root.resolve("conf").toString(),
                Configuration.fromMap(overrides));
        removed.forEach(effective::removeKey);
        effective.set(JobManagerOptions.ADDRESS, environment.get("JOB_MANAGER_RPC_ADDRESS"));
        assertThat(effective.get(JobManagerOptions.ADDRESS)).isEqualTo("jobmanager");
        assertThat(effective.get(RestOptions.ADDRESS)).isEqualTo("jobmanager");
        assertThat(effective.get(JobManagerOptions.BIND_HOST)).isEqualTo("0.0.0.0");
        assertThat(effective.get(TaskManagerOptions.BIND_HOST)).isEqualTo("0.0.0.0");
        assertThat(effective.get(RestOptions.BIND_ADDRESS)).isEqualTo("0.0.0.0");
        assertThat(effective.contains(TaskManagerOptions.HOST)).isFalse();
        assertThat(effective.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEqualTo("file:///data/flink/checkpoints");
        assertThat(effective.get(CheckpointingOptions.SAVEPOINT_DIRECTORY)).isEqualTo("file:///data/flink/savepoints");
        // The rest of the repository's settings stay, e.g. RocksDB and the parallelism.
        assertThat(effective.toMap()).containsEntry("state.backend.type", "rocksdb");
        // The image has Flink's own Prometheus reporter (the project's loopback one is not in it), on the container's
        // interfaces.
        assertThat(effective.toMap()).containsEntry("metrics.reporter.prom.port", "9249-9259")
                .containsEntry("metrics.reporter.prom.factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory")
                .doesNotContainKey("metrics.reporter.prom.host");
        assertThat(effective.get(CoreOptions.DEFAULT_PARALLELISM)).isEqualTo(2);
    }

    @Test
    void jvmArgsHaveTheJava17FlagsOfTheConfDirectory() throws IOException {
        List<String> expected = Files.readAllLines(root.resolve("conf/java17.flags")).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(expected).hasSizeGreaterThan(10);
        assertThat(environment("jobmanager").get("JVM_ARGS").trim().split("\\s+")).containsExactlyElementsOf(expected);
    }

    @Test
    void portsAreTheWebUiOfConfigYamlKafkaAndPostgresOnThisMachineOnly() {
        int restPort = GlobalConfiguration.loadConfiguration(root.resolve("conf").toString()).get(RestOptions.PORT);
        assertThat(strings(service("jobmanager").get("ports"))).containsExactly("127.0.0.1:" + restPort + ":" + restPort);
        assertThat(strings(map(service("jobmanager").get("healthcheck")).get("test")))
                .anySatisfy(arg -> assertThat(arg).contains("/dev/tcp/localhost/" + restPort + " "));
        assertThat(strings(service("kafka").get("ports"))).containsExactly("127.0.0.1:9092:9092");
        assertThat(strings(service("postgres").get("ports"))).containsExactly("127.0.0.1:5432:5432");
        Set<String> published = services.keySet().stream().filter(name -> map(services.get(name)).containsKey("ports"))
                .collect(Collectors.toSet());
        assertThat(published).containsOnly("jobmanager", "kafka", "postgres");
    }

    @Test
    void kafkaIsOneKRaftNodeWithListenersForContainersAndThisMachine() {
        Map<String, String> kafka = environment("kafka");
        assertThat(kafka).containsEntry("KAFKA_PROCESS_ROLES", "broker,controller")
                .containsEntry("KAFKA_CONTROLLER_LISTENER_NAMES", "CONTROLLER")
                .containsEntry("KAFKA_INTER_BROKER_LISTENER_NAME", "PLAINTEXT");
        Map<String, String> listeners = listeners(kafka.get("KAFKA_LISTENERS"));
        Map<String, String> advertised = listeners(kafka.get("KAFKA_ADVERTISED_LISTENERS"));
        assertThat(listeners).containsOnlyKeys("CONTROLLER", "PLAINTEXT", "PLAINTEXT_HOST");
        assertThat(kafka.get("KAFKA_CONTROLLER_QUORUM_VOTERS"))
                .isEqualTo(kafka.get("KAFKA_NODE_ID") + "@kafka" + listeners.get("CONTROLLER"));
        assertThat(advertised).containsEntry("PLAINTEXT", "kafka" + listeners.get("PLAINTEXT"))
                .containsEntry("PLAINTEXT_HOST", "localhost" + listeners.get("PLAINTEXT_HOST"));
        assertThat(strings(service("kafka").get("ports")))
                .containsExactly("127.0.0.1" + listeners.get("PLAINTEXT_HOST") + listeners.get("PLAINTEXT_HOST"));
        for (String setting : List.of("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR",
                "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR",
                "KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR")) {
            assertThat(kafka).containsEntry(setting, "1");
        }
        assertThat(strings(map(service("kafka").get("healthcheck")).get("test"))).isNotEmpty();
    }

    @Test
    void postgresAllowsPreparedTransactionsForXaAndReportsItsHealth() {
        String setting = command("postgres").stream().filter(arg -> arg.startsWith("max_prepared_transactions="))
                .findFirst().orElseThrow();
        assertThat(Integer.parseInt(setting.substring(setting.indexOf('=') + 1))).isGreaterThanOrEqualTo(10);
        assertThat(command("postgres")).containsSequence("postgres", "-c", setting);
        assertThat(strings(map(service("postgres").get("healthcheck")).get("test"))).contains("pg_isready");
        assertThat(environment("postgres").get("POSTGRES_PASSWORD")).startsWith("${POSTGRES_PASSWORD:-");
    }

    @Test
    void submitRunsAPatternOfTheCliWithOptionsThatParseAndValidate() {
        List<String> args = command("submit").subList(4, command("submit").size());
        assertThat(patternNames()).contains(args.get(0));

        // Parsed and validated (Kafka options, window, sink, PostgreSQL URL): the run got as far as asking the
        // compose network's broker, which only exists under Docker, and stopped there before any job started.
        String bootstrap = args.get(args.indexOf("--bootstrap-servers") + 1);
        CapturedRun run = CapturedRun.of(new StopsBeforeTheJob(), args.toArray(String[]::new));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        // ConfigException where the name does not resolve (here), a timeout where it resolves to nothing listening.
        assertThat(run.err()).startsWith("patterns " + args.get(0) + ": cannot reach Kafka at " + bootstrap + " (")
                .endsWith("); start one with ./patterns kafka start, or use --kafka embedded (see 'patterns "
                        + args.get(0) + " --help')\n");
    }

    @Test
    void submitReadsTheGeneratorsTopicFromKafkaAndWritesToPostgres() {
        Map<String, String> kafka = environment("kafka");
        String inNetwork = listeners(kafka.get("KAFKA_ADVERTISED_LISTENERS")).get(kafka.get("KAFKA_INTER_BROKER_LISTENER_NAME"));
        assertThat(inNetwork).isEqualTo("kafka:19092");
        assertThat(option("submit", "--bootstrap-servers")).isEqualTo(inNetwork);
        assertThat(option("generator", "--bootstrap-servers")).isEqualTo(inNetwork);
        assertThat(option("kafka-init", "--bootstrap-server")).isEqualTo(inNetwork);
        assertThat(option("submit", "--subscribe")).isEqualTo(option("generator", "--topic"))
                .isEqualTo(option("kafka-init", "--topic"));

        Map<String, String> postgres = environment("postgres");
        assertThat(option("submit", "--postgres")).isEqualTo("jdbc:postgresql://postgres:5432/" + postgres.get("POSTGRES_DB"));
        assertThat(environment("submit")).containsEntry("PGUSER", postgres.get("POSTGRES_USER"))
                .containsEntry("PGPASSWORD", postgres.get("POSTGRES_PASSWORD"));
        assertThat(command("submit")).noneMatch(arg -> arg.toLowerCase().contains("password"));

        Map<String, Object> dependsOn = map(service("submit").get("depends_on"));
        assertThat(map(dependsOn.get("jobmanager"))).containsEntry("condition", "service_healthy");
        assertThat(map(dependsOn.get("postgres"))).containsEntry("condition", "service_healthy");
        assertThat(map(dependsOn.get("kafka-init"))).containsEntry("condition", "service_completed_successfully");
        assertThat(map(dependsOn.get("flink-data-init"))).containsEntry("condition", "service_completed_successfully");
    }

    @Test
    void generatorRunsTheCliGenerateKafkaWithOptionsThatParse() {
        List<String> args = command("generator");
        assertThat(args.subList(0, 2)).containsExactly("generate", "kafka");
        assertThat(patternNames()).contains("generate");
        assertThat(GenerateCommand.class.getAnnotation(Command.class).name()).isEqualTo("generate");

        // The CLI's own parser (types, names, required options), without sending anything.
        List<String> underGenerate = args.subList(1, args.size());
        CommandLine.ParseResult parsed = new CommandLine(new GenerateCommand()).parseArgs(underGenerate.toArray(String[]::new));
        assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("kafka");
        assertThat(parsed.subcommand().matchedOptions()).hasSize((underGenerate.size() - 1) / 2);

        // The same check refuses an option that does not exist.
        List<String> wrong = new ArrayList<>(underGenerate);
        wrong.addAll(List.of("--rows-per-batch", "5"));
        assertThatThrownBy(() -> new CommandLine(new GenerateCommand()).parseArgs(wrong.toArray(String[]::new)))
                .isInstanceOf(ParameterException.class).hasMessageContaining("--rows-per-batch");
    }

    /** The pattern names of the CLI: its subcommands' names. */
    private static Set<String> patternNames() {
        return PatternsCli.COMMANDS.stream()
                .map(command -> command.getAnnotation(Command.class).name()).collect(Collectors.toSet());
    }

    /** Every key (and deprecated key) of the ConfigOptions in Flink's org.apache.flink.configuration.*Options. */
    private static Set<String> flinkOptionKeys() throws IOException {
        Set<String> keys = new HashSet<>();
        Path flinkCore = Path.of(CoreOptions.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        try (JarFile jar = new JarFile(flinkCore.toFile())) {
            List<String> classes = jar.stream().map(entry -> entry.getName())
                    .filter(name -> name.matches("org/apache/flink/configuration/[A-Za-z]+Options\\.class"))
                    .map(name -> name.replace('/', '.').replace(".class", "")).toList();
            for (String className : classes) {
                for (Field field : Class.forName(className).getFields()) {
                    if (Modifier.isStatic(field.getModifiers()) && field.getType() == ConfigOption.class) {
                        ConfigOption<?> option = (ConfigOption<?>) field.get(null);
                        keys.add(option.key());
                        for (FallbackKey fallback : option.fallbackKeys()) {
                            keys.add(fallback.getKey());
                        }
                    }
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
        return keys;
    }

    /** "NAME://host:port,..." as NAME -> "host:port" (host may be empty: then ":port"). */
    private static Map<String, String> listeners(String listeners) {
        Map<String, String> byName = new LinkedHashMap<>();
        for (String listener : listeners.split(",")) {
            byName.put(listener.substring(0, listener.indexOf("://")), listener.substring(listener.indexOf("://") + 3));
        }
        return byName;
    }

    private static String option(String service, String name) {
        List<String> command = command(service);
        return command.get(command.indexOf(name) + 1);
    }

    private static Map<String, Object> service(String name) {
        assertThat(services).containsKey(name);
        return map(services.get(name));
    }

    private static List<String> command(String service) {
        return strings(service(service).get("command"));
    }

    private static Map<String, String> environment(String service) {
        Map<String, String> environment = new LinkedHashMap<>();
        map(service(service).get("environment")).forEach((key, value) -> environment.put(key, String.valueOf(value)));
        return environment;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    private static List<String> strings(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return ((List<?>) value).stream().map(String::valueOf).toList();
    }

    /** Applies YAML merge keys ({@code <<: *anchor}), which Compose supports and YAML 1.2 parsers leave alone. */
    private static Object mergeKeys(Object node) {
        if (node instanceof Map<?, ?> mapping) {
            Map<String, Object> merged = new LinkedHashMap<>();
            if (mapping.containsKey("<<")) {
                merged.putAll(map(mergeKeys(mapping.get("<<"))));
            }
            mapping.forEach((key, value) -> {
                if (!"<<".equals(key)) {
                    merged.put(String.valueOf(key), mergeKeys(value));
                }
            });
            return merged;
        }
        if (node instanceof List<?> list) {
            return list.stream().map(ComposeFileTest::mergeKeys).toList();
        }
        return node;
    }

    /** The runtime flink run gives, except that it stops where the job would be built: options are all checked then. */
    private static final class StopsBeforeTheJob implements ExecutionRuntime {

        static final String MESSAGE = "stopped before the job: the options were accepted";

        @Override
        public StreamExecutionEnvironment environment(Configuration jobSettings, PrintStream out) {
            throw new UsageException(MESSAGE);
        }

        @Override
        public boolean isEmbedded() {
            return false;
        }
    }
}
