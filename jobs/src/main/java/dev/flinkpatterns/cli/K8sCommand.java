package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.UsageException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.MemorySize;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./patterns k8s manifest <pattern> [options]}: the Flink Kubernetes Operator's custom resource that runs a
 * pattern as {@code flink run} would, printed as YAML for {@code kubectl apply -f -}; {@code k8s session-cluster}: a
 * session cluster for {@code manifest --session}. See docs/kubernetes.md.
 */
@Command(name = "k8s", mixinStandardHelpOptions = true,
        description = {"Kubernetes manifests for the Flink Kubernetes Operator (docs/kubernetes.md).",
                "manifest <pattern> [options]: a FlinkDeployment (application mode) that runs the pattern with its "
                        + "options, or with --session a FlinkSessionJob for a session cluster; "
                        + "session-cluster: that session cluster (a FlinkDeployment without a job)."},
        subcommands = {K8sCommand.Manifest.class, K8sCommand.SessionCluster.class})
final class K8sCommand implements Callable<Integer> {

    /** The pattern's options are the manifest's arguments: options that are not the manifest's are not errors. */
    static void fit(CommandLine k8s) {
        k8s.getSubcommands().get("manifest").setUnmatchedOptionsArePositionalParams(true);
    }

    @Override
    public Integer call() {
        throw new UsageException("usage: ./patterns k8s manifest <pattern> [options] | k8s session-cluster [options]");
    }

    /** What the pods of a Flink cluster get: image, resources, the volume and the directories of the state on it. */
    static final class ClusterOptions {

        @Option(names = "--image", paramLabel = "IMAGE",
                description = "The image with the jobs jar (docker/Dockerfile). Default: " + K8sManifests.DEFAULT_IMAGE + ".")
        String image;

        @Option(names = "--volume-claim", paramLabel = "CLAIM",
                description = "A PersistentVolumeClaim (ReadWriteMany) mounted at " + K8sManifests.DATA_DIR
                        + " in every pod, for checkpoints, savepoints, input and output files; 'none': no volume "
                        + "(then give s3:// directories). Default: " + K8sManifests.DEFAULT_CLAIM + ".")
        String volumeClaim;

        @Option(names = "--checkpoint-dir", paramLabel = "URI",
                description = "execution.checkpointing.dir, durable: on the volume or e.g. s3://bucket/checkpoints. "
                        + "Default: file://" + K8sManifests.DATA_DIR + "/checkpoints.")
        String checkpointDir;

        @Option(names = "--savepoint-dir", paramLabel = "URI",
                description = "execution.checkpointing.savepoint-dir (savepoint upgrades go there). "
                        + "Default: file://" + K8sManifests.DATA_DIR + "/savepoints.")
        String savepointDir;

        @Option(names = "--jobmanager-memory", paramLabel = "SIZE",
                description = "The JobManager pod's memory (Flink's process size). Default: conf/config.yaml's "
                        + "jobmanager.memory.process.size.")
        String jobManagerMemory;

        @Option(names = "--taskmanager-memory", paramLabel = "SIZE",
                description = "Each TaskManager pod's memory (Flink's process size). Default: conf/config.yaml's "
                        + "taskmanager.memory.process.size.")
        String taskManagerMemory;

        @Option(names = "--jobmanager-cpu", paramLabel = "CPUS", description = "The JobManager pod's CPUs. Default: 1.")
        Double jobManagerCpu;

        @Option(names = "--taskmanager-cpu", paramLabel = "CPUS", description = "Each TaskManager pod's CPUs. Default: 1.")
        Double taskManagerCpu;

        boolean anyGiven() {
            return image != null || volumeClaim != null || jobManagerMemory != null || taskManagerMemory != null
                    || jobManagerCpu != null || taskManagerCpu != null;
        }

        K8sManifests.Cluster cluster(K8sManifests.ProjectConf conf) {
            String claim = volumeClaim == null ? K8sManifests.DEFAULT_CLAIM : volumeClaim;
            if (!claim.equals("none")) {
                K8sManifests.requireName("--volume-claim", claim);
            }
            String checkpoints = checkpointDir != null ? checkpointDir : K8sManifests.DEFAULT_CHECKPOINT_DIR;
            String savepoints = savepointDir != null ? savepointDir : K8sManifests.DEFAULT_SAVEPOINT_DIR;
            if (claim.equals("none") && (checkpointDir == null || savepointDir == null)) {
                throw new UsageException("--volume-claim none: give --checkpoint-dir and --savepoint-dir (e.g. s3://...), "
                        + "their defaults are on the volume");
            }
            return new K8sManifests.Cluster(image != null ? image : K8sManifests.DEFAULT_IMAGE,
                    claim.equals("none") ? Optional.empty() : Optional.of(claim),
                    durable("--checkpoint-dir", checkpoints), durable("--savepoint-dir", savepoints),
                    memory("--jobmanager-memory", jobManagerMemory, conf.jobManagerMemory()),
                    memory("--taskmanager-memory", taskManagerMemory, conf.taskManagerMemory()),
                    cpu("--jobmanager-cpu", jobManagerCpu), cpu("--taskmanager-cpu", taskManagerCpu));
        }

        /** The job-level part only (for a session job): the directories, when given. */
        List<String[]> jobDirectories() {
            List<String[]> settings = new ArrayList<>();
            if (checkpointDir != null) {
                settings.add(new String[] {K8sManifests.CHECKPOINT_DIR_KEY, durable("--checkpoint-dir", checkpointDir)});
            }
            if (savepointDir != null) {
                settings.add(new String[] {K8sManifests.SAVEPOINT_DIR_KEY, durable("--savepoint-dir", savepointDir)});
            }
            return settings;
        }

        private static String durable(String option, String location) {
            if (Locations.isUri(location)) {
                return location;
            }
            if (!Path.of(location).isAbsolute()) {
                throw new UsageException(option + " " + location + ": give a URI (s3://bucket/dir) or an absolute path "
                        + "in the pods (under " + K8sManifests.DATA_DIR + ", the volume)");
            }
            return Path.of(location).toUri().toString();
        }

        private static String memory(String option, String given, String fallback) {
            String size = given != null ? given : fallback;
            try {
                if (MemorySize.parse(size).getMebiBytes() < 512) {
                    throw new UsageException(option + " " + size + ": at least 512m (Flink's JVM overhead, metaspace "
                            + "and network memory alone need most of that)");
                }
            } catch (IllegalArgumentException e) {
                throw new UsageException(option + " " + size + ": not a size (e.g. 1024m, 2g)");
            }
            return size;
        }

        private static double cpu(String option, Double given) {
            double cpus = given != null ? given : 1.0;
            if (!(cpus > 0)) {
                throw new UsageException(option + " must be more than 0, got " + given);
            }
            return cpus;
        }
    }

    @Command(name = "manifest", mixinStandardHelpOptions = true,
            description = {"Prints the Kubernetes manifest that runs a pattern on the Flink Kubernetes Operator: a "
                    + "FlinkDeployment (application mode: a cluster of its own), or with --session a FlinkSessionJob.",
                    "The pattern's options are checked as ./patterns <pattern> checks them and become the job's "
                            + "arguments, as after flink run; --parallelism and --checkpoint-dir are the manifest's "
                            + "(spec.job.parallelism, execution.checkpointing.dir)."})
    static final class Manifest implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "PATTERN [OPTIONS]", arity = "1..*",
                description = "A pattern and its options, as for ./patterns <pattern> (./patterns --help lists them).")
        List<String> patternArgs;

        @Option(names = "--name", paramLabel = "NAME",
                description = "metadata.name of the resource. Default: the pattern's name.")
        String name;

        @Option(names = "--parallelism", paramLabel = "N",
                description = "spec.job.parallelism (change it to rescale, through a savepoint). Default: conf/config.yaml's "
                        + "parallelism.default.")
        Integer parallelism;

        @Option(names = "--initial-savepoint", paramLabel = "PATH",
                description = "spec.job.initialSavepointPath: the first start restores this savepoint or retained "
                        + "checkpoint (the operator's --from-savepoint).")
        String initialSavepoint;

        @Option(names = "--session", description = "A FlinkSessionJob for the session cluster of --deployment-name.")
        boolean session;

        @Option(names = "--deployment-name", paramLabel = "NAME",
                description = "With --session: the session cluster's FlinkDeployment. Default: "
                        + K8sManifests.DEFAULT_SESSION_CLUSTER + ".")
        String deploymentName;

        @Option(names = "--jar-uri", paramLabel = "URI",
                description = "spec.job.jarURI. Default: " + K8sManifests.JAR_IN_IMAGE + " (the image's jar). A session "
                        + "job needs one the operator can download: https://... or s3://...")
        String jarUri;

        @Mixin
        ClusterOptions cluster;

        @Override
        public Integer call() {
            CliContext context = CliContext.of(spec);
            Optional<PatternCommand> parsed = PatternsCli.parsePattern(patternArgs, context);
            if (parsed.isEmpty()) {
                return PatternsCli.USAGE_ERROR;
            }
            PatternCommand pattern = parsed.get();
            K8sPatternChecks.refuseLocalOnly(pattern);
            String resourceName = name != null ? name : pattern.patternName();
            K8sManifests.requireName("--name", resourceName);
            if (parallelism != null && parallelism < 1) {
                throw new UsageException("--parallelism must be at least 1, got " + parallelism);
            }
            K8sManifests.ProjectConf conf = K8sManifests.ProjectConf.load();
            K8sManifests.Job job = new K8sManifests.Job(
                    jarUri != null ? jarUri : session ? null : K8sManifests.JAR_IN_IMAGE,
                    PatternsMain.class.getName(), patternArgs,
                    parallelism != null ? parallelism : conf.parallelism(), Optional.ofNullable(initialSavepoint));
            String yaml;
            String command = K8sManifests.commandLine(spec);
            if (session) {
                if (cluster.anyGiven()) {
                    throw new UsageException("--session: the image, the volume and the resources are the session "
                            + "cluster's (./patterns k8s session-cluster)");
                }
                if (jarUri == null) {
                    throw new UsageException("--session needs --jar-uri: the operator downloads a session job's jar "
                            + "(https://... or s3://...) and uploads it to the session cluster");
                }
                String sessionCluster = deploymentName != null ? deploymentName : K8sManifests.DEFAULT_SESSION_CLUSTER;
                K8sManifests.requireName("--deployment-name", sessionCluster);
                yaml = K8sManifests.sessionJob(command, resourceName, sessionCluster, job, cluster.jobDirectories());
            } else {
                if (deploymentName != null) {
                    throw new UsageException("--deployment-name goes with --session");
                }
                yaml = K8sManifests.deployment(command, resourceName, cluster.cluster(conf), conf, Optional.of(job));
            }
            for (String warning : K8sPatternChecks.warnings(pattern)) {
                context.err().println("patterns k8s manifest: warning: " + warning);
            }
            context.out().print(yaml);
            return 0;
        }
    }

    @Command(name = "session-cluster", mixinStandardHelpOptions = true,
            description = "Prints a session cluster's FlinkDeployment (no job): the cluster of manifest --session.")
    static final class SessionCluster implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--name", paramLabel = "NAME",
                description = "metadata.name. Default: " + K8sManifests.DEFAULT_SESSION_CLUSTER + ".")
        String name = K8sManifests.DEFAULT_SESSION_CLUSTER;

        @Mixin
        ClusterOptions cluster;

        @Override
        public Integer call() {
            K8sManifests.requireName("--name", name);
            K8sManifests.ProjectConf conf = K8sManifests.ProjectConf.load();
            CliContext.of(spec).out().print(K8sManifests.deployment(K8sManifests.commandLine(spec), name,
                    cluster.cluster(conf), conf, Optional.empty()));
            return 0;
        }
    }

}
