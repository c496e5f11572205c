package dev.flinkpatterns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.flinkpatterns.testing.CapturedRun;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import picocli.CommandLine.Command;

/**
 * No Kubernetes cluster exists where the project is built: the manifests of ./patterns k8s are checked against the
 * Flink Kubernetes Operator's CRD schemas (flink-kubernetes-operator-api 1.10.0, the newest Maven Central serves),
 * made as strict as kubectl's field validation and the operator's admission checks, and against the repository
 * (deploy/k8s is what the command prints now; docker/Dockerfile builds the image the manifests name).
 */
class K8sManifestsTest {

    /**
     * The operator's names of Flink 2.x (operator 1.13 to 1.15). The 1.10 schema's flinkVersion enum stops at v1_20: it
     * is replaced by these in the loaded schema, so the schema accepts only a Flink 2 version.
     */
    private static final List<String> OPERATOR_FLINK_2_VERSIONS = List.of("v2_0", "v2_1", "v2_2");
    private static final String SESSION_JAR = "https://example.com/flink-streaming-patterns.jar";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path root;
    private static Schema deploymentSchema;
    private static Schema sessionJobSchema;

    @BeforeAll
    static void load() throws IOException {
        root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve("flink-compose.yml"))) {
            root = root.getParent();
        }
        System.setProperty("patterns.conf.dir", root.resolve("conf").toString());
        deploymentSchema = schema("flinkdeployments.flink.apache.org-v1beta1.yml", "FlinkDeployment");
        sessionJobSchema = schema("flinksessionjobs.flink.apache.org-v1beta1.yml", "FlinkSessionJob");
    }

    @Test
    void deployK8sHoldsWhatTheCommandPrintsNow() throws IOException {
        List<Path> generated = new ArrayList<>();
        try (Stream<Path> files = Files.list(root.resolve("deploy/k8s"))) {
            for (Path file : files.filter(file -> file.toString().endsWith(".yaml")).sorted().toList()) {
                String text = Files.readString(file);
                if (!text.startsWith("# ./patterns k8s ")) {
                    continue;
                }
                generated.add(file.getFileName());
                List<String> args = shellWords(text.lines().findFirst().orElseThrow().substring("# ./patterns ".length()));
                CapturedRun run = CapturedRun.onContext(args.toArray(String[]::new));
                assertThat(run.err()).as(file.toString()).isEmpty();
                assertThat(run.out()).as(file + ": regenerate deploy/k8s with deploy/k8s/generate.sh").isEqualTo(text);
                assertThat(errors(text)).as(file.toString()).isEmpty();
            }
        }
        assertThat(generated).extracting(Path::toString).contains("csv-agg.yaml", "window-agg.yaml", "kafka-etl.yaml",
                "user-sessions.yaml", "flink-session.yaml", "window-agg-session-job.yaml");
        Map<String, Object> claim = map(new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(root.resolve("deploy/k8s/flink-data-pvc.yaml"))));
        assertThat(claim.get("kind")).isEqualTo("PersistentVolumeClaim");
        assertThat(map(claim.get("metadata")).get("name")).isEqualTo(K8sManifests.DEFAULT_CLAIM);
        assertThat(map(claim.get("spec")).get("accessModes")).isEqualTo(List.of("ReadWriteMany"));
    }

    @Test
    void everyPatternWithItsDefaultOptionsGivesValidManifestsOrOneLineWhy() {
        List<String> patterns = PatternsCli.COMMANDS.stream().filter(PatternCommand.class::isAssignableFrom)
                .map(command -> command.getAnnotation(Command.class).name()).toList();
        assertThat(patterns).hasSizeGreaterThan(15);
        for (String pattern : patterns) {
            CapturedRun deployment = CapturedRun.onContext("k8s", "manifest", pattern);
            CapturedRun sessionJob = CapturedRun.onContext("k8s", "manifest", pattern, "--session", "--jar-uri", SESSION_JAR);
            if (pattern.equals("demo") || pattern.equals("medallion")) {
                assertThat(deployment.exitCode()).as(pattern).isEqualTo(2);
                assertThat(deployment.err()).as(pattern).startsWith("patterns k8s manifest: " + pattern).hasLineCount(1);
                assertThat(deployment.out()).isEmpty();
                continue;
            }
            assertThat(deployment.exitCode()).as(pattern + ": " + deployment.err()).isZero();
            assertThat(errors(deployment.out())).as(pattern).isEmpty();
            assertThat(sessionJob.exitCode()).as(pattern + ": " + sessionJob.err()).isZero();
            assertThat(errors(sessionJob.out())).as(pattern).isEmpty();
        }
        CapturedRun cluster = CapturedRun.onContext("k8s", "session-cluster");
        cluster.assertPrinted(cluster.out());
        assertThat(errors(cluster.out())).isEmpty();
    }

    @Test
    void theDeploymentRunsTheJarsMainWithThePatternsArgumentsOnConfYamlsSettings() {
        CapturedRun run = CapturedRun.onContext("k8s", "manifest", "window-agg", "--input", "/data/flink/input",
                "--window", "5m", "--parallelism", "4", "--checkpoint-dir", "s3://bucket/checkpoints", "--name", "windows");
        assertThat(run.err()).isEmpty();
        Map<String, Object> manifest = map(new Load(LoadSettings.builder().build()).loadFromString(run.out()));
        assertThat(map(manifest.get("metadata")).get("name")).isEqualTo("windows");
        Map<String, Object> spec = map(manifest.get("spec"));
        Map<String, Object> job = map(spec.get("job"));
        assertThat(job.get("jarURI")).isEqualTo("local:///opt/flink/usrlib/flink-streaming-patterns.jar");
        assertThat(job.get("entryClass")).isEqualTo(PatternsMain.class.getName());
        // --parallelism and --checkpoint-dir are the manifest's: the job must not override what the operator sets.
        assertThat(job.get("args")).isEqualTo(List.of("window-agg", "--input", "/data/flink/input", "--window", "5m"));
        assertThat(job.get("parallelism")).isEqualTo(4);
        assertThat(job.get("upgradeMode")).isEqualTo("savepoint");
        assertThat(job.get("state")).isEqualTo("running");
        assertThat(spec.get("flinkVersion")).isEqualTo("v2_2");
        assertThat(spec.get("serviceAccount")).isEqualTo("flink");
        Map<String, Object> settings = map(spec.get("flinkConfiguration"));
        assertThat(settings).containsEntry("state.backend.type", "rocksdb")
                .containsEntry("execution.checkpointing.incremental", "true")
                .containsEntry("execution.checkpointing.interval", "10s")
                .containsEntry("restart-strategy.type", "exponential-delay")
                .containsEntry("taskmanager.numberOfTaskSlots", "2")
                .containsEntry("execution.checkpointing.dir", "s3://bucket/checkpoints")
                .containsEntry("execution.checkpointing.savepoint-dir", "file:///data/flink/savepoints")
                .doesNotContainKeys("rest.address", "taskmanager.host", "jobmanager.bind-host", "metrics.reporter.prom.host");
        assertThat(map(map(spec.get("taskManager")).get("resource"))).containsEntry("memory", "1536m").containsEntry("cpu", 1.0);
        assertThat(map(map(spec.get("jobManager")).get("resource"))).containsEntry("memory", "1024m");
    }

    @Test
    void aBadPatternOptionIsTheErrorThePatternGives() {
        CapturedRun pattern = CapturedRun.onContext("window-agg", "--window", "five");
        CapturedRun manifest = CapturedRun.onContext("k8s", "manifest", "window-agg", "--window", "five");
        assertThat(pattern.err()).isNotEmpty();
        manifest.assertOneLineError(pattern.err().strip());
        CapturedRun.onContext("k8s", "manifest", "window-agg", "--output-mode", "complete", "--sink", "parquet")
                .assertOneLineError("patterns window-agg: --sink parquet: Data source parquet does not support complete "
                        + "output mode (a file sink only adds files; use --output-mode append) (see 'patterns window-agg --help')");
        CapturedRun.onContext("k8s", "manifest", "no-such-pattern").assertOneLineError(
                CapturedRun.onContext("no-such-pattern").err().strip());
        CapturedRun.onContext("k8s", "manifest", "jobs").assertOneLineError(
                "patterns: 'jobs' is not a pattern (see 'patterns --help')");
    }

    @Test
    void whatCannotRunInPodsIsRefusedWithOneLine() {
        String see = " (see 'patterns k8s manifest --help')";
        CapturedRun.onContext("k8s", "manifest", "csv-agg", "--sink", "memory").assertOneLineError("patterns k8s manifest: "
                + "--sink memory keeps its table in the JVM of a local run; on Kubernetes choose another sink" + see);
        CapturedRun.onContext("k8s", "manifest", "kafka-read", "--kafka", "embedded", "--subscribe", "events")
                .assertOneLineError("patterns k8s manifest: --kafka embedded runs only locally (./patterns); on Kubernetes "
                        + "give --bootstrap-servers" + see);
        CapturedRun.onContext("k8s", "manifest", "csv-agg", "--input", "data/input").assertOneLineError(
                "patterns k8s manifest: --input data/input: a relative path; the job starts in the JobManager pod (working "
                        + "directory /opt/flink): give an absolute path on the volume (/data/flink/...) or a URI such as "
                        + "s3://bucket/dir" + see);
        CapturedRun.onContext("k8s", "manifest", "csv-agg", "--from-savepoint", "/data/flink/savepoints/s1")
                .assertOneLineError("patterns k8s manifest: --from-savepoint: on Kubernetes the operator restores the state "
                        + "(after a failure, on an upgrade); for the first start give --initial-savepoint PATH" + see);
        CapturedRun.onContext("k8s", "manifest", "csv-agg", "--session").assertOneLineError("patterns k8s manifest: "
                + "--session needs --jar-uri: the operator downloads a session job's jar (https://... or s3://...) and "
                + "uploads it to the session cluster" + see);
        CapturedRun.onContext("k8s", "manifest", "csv-agg", "--name", "Csv_Agg").assertOneLineError("patterns k8s manifest: "
                + "--name Csv_Agg: the operator takes names of at most 45 lower-case letters, digits and '-', starting with "
                + "a letter and ending with a letter or digit" + see);
        CapturedRun.onContext("k8s").assertOneLineError("patterns k8s: usage: ./patterns k8s manifest <pattern> [options] "
                + "| k8s session-cluster [options] (see 'patterns k8s --help')");
        CapturedRun.onContext("k8s", "manifest", "csv-agg", "--session", "--jar-uri", "s3://b/j.jar", "--image", "mine")
                .assertOneLineError("patterns k8s manifest: --session: the image, the volume and the resources are the "
                        + "session cluster's (./patterns k8s session-cluster)" + see);
        CapturedRun defaults = CapturedRun.onContext("k8s", "manifest", "csv-agg");
        assertThat(defaults.exitCode()).isZero();
        assertThat(defaults.err()).isEqualTo("patterns k8s manifest: warning: --input is data/input by default: "
                + "/opt/flink/data/input in the pods, which has no such files; give --input /data/flink/... or s3://...\n");
    }

    @Test
    void theValidatorRejectsWhatTheOperatorWould() {
        String valid = CapturedRun.onContext("k8s", "manifest", "csv-agg", "--input", "/data/flink/input").out();
        assertThat(errors(valid)).isEmpty();
        assertThat(errors(valid.replace("parallelism: 2", "parallelism: two"))).singleElement().asString()
                .contains("/spec/job/parallelism").contains("integer");
        assertThat(errors(valid.replace("upgradeMode: savepoint", "upgradeMode: sometimes"))).singleElement().asString()
                .contains("/spec/job/upgradeMode");
        assertThat(errors(valid.replace("  parallelism: 2", "  paralelism: 2"))).singleElement().asString()
                .contains("paralelism");
        assertThat(errors(valid.replace("  flinkVersion: v2_2\n", ""))).singleElement().asString().contains("flinkVersion");
        assertThat(errors(valid.replace("flinkVersion: v2_2", "flinkVersion: v1_20"))).singleElement().asString()
                .contains("/spec/flinkVersion");
        assertThat(errors(valid.replace("      cpu: 1.0", "      cpu: one"))).hasSize(2);
        assertThat(errors(valid.replace("name: csv-agg", "name: 1-csv-agg"))).singleElement().asString()
                .contains("/metadata/name");
    }

    @Test
    void theDockerfileBuildsTheImageTheManifestsName() throws IOException {
        List<String> dockerfile = Files.readAllLines(root.resolve("docker/Dockerfile"));
        assertThat(dockerfile).contains("FROM apache/flink:" + EnvironmentInformation.getVersion() + "-java17",
                "COPY --chown=flink:flink jobs/target/flink-streaming-patterns.jar "
                        + K8sManifests.JAR_IN_IMAGE.substring("local://".length()));
        String pom = Files.readString(root.resolve("pom.xml"));
        String hadoop = pom.replaceAll("(?s).*<hadoop.version>([^<]+)</hadoop.version>.*", "$1");
        assertThat(dockerfile).contains("ARG HADOOP_VERSION=" + hadoop);
        assertThat(Files.readString(root.resolve("flink-compose.yml")))
                .contains("image: apache/flink:" + EnvironmentInformation.getVersion() + "-java17");
    }

    /** The schema's complaints about a manifest, as "path: message". */
    private static List<String> errors(String yaml) {
        JsonNode manifest = JSON.valueToTree(new Load(LoadSettings.builder().build()).loadFromString(yaml));
        Schema schema = manifest.path("kind").asText().equals("FlinkSessionJob") ? sessionJobSchema : deploymentSchema;
        return schema.validate(manifest).stream().map(error -> error.getInstanceLocation() + ": " + error.getMessage())
                .toList();
    }

    /**
     * The openAPIV3Schema of one of the operator's CRDs, made to refuse what the API server and the operator would: unknown
     * fields (kubectl's strict field validation; the CRD's structural schema would only prune them), a missing
     * apiVersion, kind, metadata.name, flinkVersion or serviceAccount, and a name the operator's validator refuses.
     */
    private static Schema schema(String crdFile, String kind) throws IOException {
        Map<String, Object> crd;
        try (InputStream in = K8sManifestsTest.class.getClassLoader().getResourceAsStream("META-INF/fabric8/" + crdFile)) {
            crd = map(new Load(LoadSettings.builder().build()).loadFromString(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        }
        Map<String, Object> schema = map(map(map(crd.get("spec")).get("validation")).get("openAPIV3Schema"));
        Map<String, Object> properties = map(schema.get("properties"));
        properties.remove("status");
        properties.put("apiVersion", Map.of("type", "string", "enum", List.of(K8sManifests.API_VERSION)));
        properties.put("kind", Map.of("type", "string", "enum", List.of(kind)));
        properties.put("metadata", new LinkedHashMap<>(Map.of("type", "object", "required", List.of("name"), "properties",
                Map.of("name", Map.of("type", "string", "pattern", "^[a-z]([-a-z0-9]{0,43}[a-z0-9])?$")))));
        schema.put("required", List.of("apiVersion", "kind", "metadata", "spec"));
        Map<String, Object> spec = map(properties.get("spec"));
        Map<String, Object> specProperties = map(spec.get("properties"));
        if (kind.equals("FlinkDeployment")) {
            map(specProperties.get("flinkVersion")).put("enum", OPERATOR_FLINK_2_VERSIONS);
            spec.put("required", List.of("flinkVersion", "serviceAccount", "jobManager", "taskManager"));
        } else {
            spec.put("required", List.of("deploymentName", "job"));
            map(specProperties.get("job")).put("required", List.of("jarURI"));
        }
        strict(schema);
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(JSON.valueToTree(schema));
    }

    /** additionalProperties: false on every object schema that lists its properties. */
    private static void strict(Object node) {
        if (node instanceof Map<?, ?> schema) {
            if (schema.containsKey("properties") && !schema.containsKey("additionalProperties")
                    && !schema.containsKey("x-kubernetes-preserve-unknown-fields")) {
                map(schema).put("additionalProperties", false);
            }
            schema.values().forEach(K8sManifestsTest::strict);
        } else if (node instanceof List<?> list) {
            list.forEach(K8sManifestsTest::strict);
        }
    }

    /** A command line as the shell splits it: words, and '...' quoted ones. */
    private static List<String> shellWords(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        boolean inWord = false;
        for (char c : line.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
                inWord = true;
            } else if (c == ' ' && !quoted) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }
}
