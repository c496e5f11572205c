package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.UsageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.flink.configuration.GlobalConfiguration;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The Flink Kubernetes Operator's resources ({@code flink.apache.org/v1beta1}) for the project's jobs: a FlinkDeployment
 * (a cluster of its own for one job, or a session cluster) and a FlinkSessionJob, as YAML. Their Flink settings come
 * from conf/config.yaml, so a pod runs as {@code ./patterns} and {@code ./patterns cluster} do.
 */
final class K8sManifests {

    static final String API_VERSION = "flink.apache.org/v1beta1";
    /** The operator's name of Flink 2.2 (operator 1.13 and later). */
    static final String FLINK_VERSION = "v2_2";
    /** Where docker/Dockerfile puts the shaded jar (the official image's usrlib/, on the user class path). */
    static final String JAR_IN_IMAGE = "local:///opt/flink/usrlib/flink-streaming-patterns.jar";
    static final String DEFAULT_IMAGE = "flink-streaming-patterns:0.1.0";
    /** The operator's Helm chart creates this service account, with the rights its Flink clusters need. */
    static final String SERVICE_ACCOUNT = "flink";
    static final String DEFAULT_CLAIM = "flink-data";
    /** The volume's mount point: the same directory as flink-compose.yml's volume. */
    static final String DATA_DIR = "/data/flink";
    static final String DEFAULT_CHECKPOINT_DIR = "file://" + DATA_DIR + "/checkpoints";
    static final String DEFAULT_SAVEPOINT_DIR = "file://" + DATA_DIR + "/savepoints";
    static final String DEFAULT_SESSION_CLUSTER = "flink-session";
    static final String CHECKPOINT_DIR_KEY = "execution.checkpointing.dir";
    static final String SAVEPOINT_DIR_KEY = "execution.checkpointing.savepoint-dir";
    private static final String JAVA_FLAGS_KEY = "env.java.default-opts.all";
    /** The official image runs Flink as this user and group; the volume must be writable by it. */
    private static final int FLINK_GROUP_ID = 9999;
    /** The container the operator runs Flink in: a pod template's container of this name is merged into it. */
    private static final String MAIN_CONTAINER = "flink-main-container";
    /** conf/config.yaml's settings that a pod takes over as they are: state, checkpoints, restarts, slots. */
    private static final List<String> COPIED_PREFIXES = List.of("state.backend.", "execution.checkpointing.",
            "restart-strategy.", "taskmanager.numberOfTaskSlots", "taskmanager.memory.managed.");

    private K8sManifests() {}

    /** The settings of conf/config.yaml that the manifests use. */
    record ProjectConf(Map<String, String> settings, List<String> java17Flags) {

        static ProjectConf load() {
            Path confDir = Path.of(System.getProperty("patterns.conf.dir", "conf"));
            Path flags = confDir.resolve("java17.flags");
            if (!Files.isRegularFile(confDir.resolve(GlobalConfiguration.FLINK_CONF_FILENAME)) || !Files.isRegularFile(flags)) {
                throw new UsageException("no conf/config.yaml or conf/java17.flags (run ./patterns from the project's root)");
            }
            try {
                return new ProjectConf(GlobalConfiguration.loadConfiguration(confDir.toString()).toMap(),
                        Files.readAllLines(flags).stream().map(String::trim)
                                .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        int parallelism() {
            return Integer.parseInt(settings.getOrDefault("parallelism.default", "1"));
        }

        String jobManagerMemory() {
            return settings.get("jobmanager.memory.process.size");
        }

        String taskManagerMemory() {
            return settings.get("taskmanager.memory.process.size");
        }

        /** The copied settings, by key. */
        Map<String, String> podSettings() {
            Map<String, String> copied = new TreeMap<>();
            settings.forEach((key, value) -> {
                if (COPIED_PREFIXES.stream().anyMatch(key::startsWith)) {
                    copied.put(key, value);
                }
            });
            return copied;
        }
    }

    /** The pods of a cluster. {@code volumeClaim}: mounted at {@link #DATA_DIR} in every pod. */
    record Cluster(String image, Optional<String> volumeClaim, String checkpointDir, String savepointDir,
            String jobManagerMemory, String taskManagerMemory, double jobManagerCpu, double taskManagerCpu) {}

    /** A job: its jar, entry class and arguments (those of {@code flink run <jar> <args>}). */
    record Job(String jarUri, String entryClass, List<String> args, int parallelism, Optional<String> initialSavepoint) {}

    /** A FlinkDeployment: with a job, application mode (the cluster lives and dies with it); without, a session cluster. */
    static String deployment(String command, String name, Cluster cluster, ProjectConf conf, Optional<Job> job) {
        Map<String, Object> settings = new TreeMap<>(conf.podSettings());
        settings.put(CHECKPOINT_DIR_KEY, cluster.checkpointDir());
        settings.put(SAVEPOINT_DIR_KEY, cluster.savepointDir());
        // The image keeps Java 17's module flags in its own config.yaml, which the operator's replaces.
        settings.put(JAVA_FLAGS_KEY, String.join(" ", conf.java17Flags()));

        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("image", cluster.image());
        spec.put("flinkVersion", FLINK_VERSION);
        spec.put("serviceAccount", SERVICE_ACCOUNT);
        spec.put("flinkConfiguration", settings);
        cluster.volumeClaim().ifPresent(claim -> spec.put("podTemplate", podWithVolume(claim)));
        spec.put("jobManager", map("resource", resource(cluster.jobManagerMemory(), cluster.jobManagerCpu())));
        spec.put("taskManager", map("resource", resource(cluster.taskManagerMemory(), cluster.taskManagerCpu())));
        job.ifPresent(it -> spec.put("job", job(it)));
        return yaml(command, "FlinkDeployment", name, spec);
    }

    /** A FlinkSessionJob: the job submitted to a session cluster's FlinkDeployment. */
    static String sessionJob(String command, String name, String deploymentName, Job job, List<String[]> jobSettings) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("deploymentName", deploymentName);
        if (!jobSettings.isEmpty()) {
            Map<String, Object> settings = new TreeMap<>();
            jobSettings.forEach(setting -> settings.put(setting[0], setting[1]));
            spec.put("flinkConfiguration", settings);
        }
        spec.put("job", job(job));
        return yaml(command, "FlinkSessionJob", name, spec);
    }

    private static Map<String, Object> job(Job job) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("jarURI", job.jarUri());
        spec.put("entryClass", job.entryClass());
        spec.put("args", job.args());
        spec.put("parallelism", job.parallelism());
        // Every upgrade (a changed spec) stops the job with a savepoint and starts the new one from it.
        spec.put("upgradeMode", "savepoint");
        spec.put("state", "running");
        job.initialSavepoint().ifPresent(path -> spec.put("initialSavepointPath", path));
        return spec;
    }

    private static Map<String, Object> resource(String memory, double cpu) {
        return map("memory", memory, "cpu", cpu);
    }

    /** A map in the order given: the YAML lists the keys in it. */
    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** Every pod (JobManager, TaskManagers) mounts the claim at {@link #DATA_DIR}, writable by the image's flink user. */
    private static Map<String, Object> podWithVolume(String claim) {
        Map<String, Object> container = map("name", MAIN_CONTAINER,
                "volumeMounts", List.of(map("name", "flink-data", "mountPath", DATA_DIR)));
        Map<String, Object> volume = map("name", "flink-data", "persistentVolumeClaim", map("claimName", claim));
        return map("spec", map("securityContext", map("fsGroup", FLINK_GROUP_ID), "containers", List.of(container),
                "volumes", List.of(volume)));
    }

    private static String yaml(String command, String kind, String name, Map<String, Object> spec) {
        Map<String, Object> resource = map("apiVersion", API_VERSION, "kind", kind, "metadata", map("name", name),
                "spec", spec);
        DumpSettings settings = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK)
                .setIndent(2).setIndicatorIndent(2).setIndentWithIndicator(true).setWidth(Integer.MAX_VALUE).build();
        return "# " + command + "\n" + new Dump(settings).dumpToString(resource);
    }

    /** The operator's rule for a resource's name (it names pods, services and config maps after it). */
    static void requireName(String option, String name) {
        if (!name.matches("[a-z]([-a-z0-9]{0,43}[a-z0-9])?")) {
            throw new UsageException(option + " " + name + ": the operator takes names of at most 45 lower-case letters, "
                    + "digits and '-', starting with a letter and ending with a letter or digit");
        }
    }

    /** The command line that printed a manifest, for its first line: how to make it again. */
    static String commandLine(CommandSpec spec) {
        StringBuilder line = new StringBuilder("./patterns");
        for (String arg : spec.root().commandLine().getParseResult().originalArgs()) {
            line.append(' ').append(arg.matches("[A-Za-z0-9_@%+=:,./-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'");
        }
        return line.toString();
    }
}
