package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.UsageException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Model.OptionSpec;

/**
 * What a pattern's options mean on Kubernetes, where the job's main method runs in the JobManager pod (working
 * directory /opt/flink) and its operators in TaskManager pods: options that need the local machine are refused, and
 * defaults that point at it (data/..., localhost) are warned about.
 */
final class K8sPatternChecks {

    /** The parameter labels of options that name a file or a directory. */
    private static final Set<String> PATH_LABELS = Set.of("DIR", "FILE", "PATH");

    private K8sPatternChecks() {}

    /** Throws {@link UsageException} for what cannot run on a cluster of pods. */
    static void refuseLocalOnly(PatternCommand pattern) {
        StreamingOptions streaming = pattern.streaming;
        if (pattern instanceof DemoCommand) {
            throw new UsageException("demo runs its generator beside a local run; on Kubernetes deploy csv-agg and "
                    + "write the files into its --input");
        }
        if (pattern instanceof MedallionCommand medallion && (medallion.show != null
                || medallion.stageName.trim().toLowerCase(Locale.ROOT).equals("all"))) {
            throw new UsageException("medallion: deploy --stage bronze, silver and gold as three manifests (--name "
                    + "medallion-bronze, ...); --stage all runs them one after the other in one local client, --show prints");
        }
        if (streaming.kafkaConnection.kafka != null) {
            throw new UsageException("--kafka embedded runs only locally (./patterns); on Kubernetes give --bootstrap-servers");
        }
        ResultSink sink = ResultSink.parse(streaming.sink);
        if (sink == ResultSink.MEMORY) {
            throw new UsageException("--sink memory keeps its table in the JVM of a local run; on Kubernetes choose another sink");
        }
        // Embedded: given, or the default of --sink postgres (enrich --api sql needs --postgres given).
        if ((sink == ResultSink.POSTGRES || streaming.postgres.isGiven()) && streaming.postgres.isEmbedded()) {
            throw new UsageException("--postgres embedded (the default) starts PostgreSQL beside a local run; on Kubernetes "
                    + "give --postgres jdbc:postgresql://HOST:5432/DB (credentials: PGUSER and PGPASSWORD in the pods)");
        }
        if (streaming.fromSavepoint != null || streaming.resumeLatest) {
            throw new UsageException((streaming.resumeLatest ? "--resume-latest" : "--from-savepoint")
                    + ": on Kubernetes the operator restores the state (after a failure, on an upgrade); for the first "
                    + "start give --initial-savepoint PATH");
        }
        for (OptionSpec option : pattern.spec.options()) {
            if (!PATH_LABELS.contains(option.paramLabel())) {
                continue;
            }
            for (String value : option.originalStringValues()) {
                if (isRelativePath(value)) {
                    throw new UsageException(option.longestName() + " " + value + ": a relative path; the job starts in "
                            + "the JobManager pod (working directory /opt/flink): give an absolute path on the volume ("
                            + K8sManifests.DATA_DIR + "/...) or a URI such as s3://bucket/dir");
                }
            }
        }
    }

    /** Defaults that name this machine (data/..., localhost): the pods have neither. */
    static List<String> warnings(PatternCommand pattern) {
        List<String> warnings = new ArrayList<>();
        for (OptionSpec option : pattern.spec.options()) {
            if (!option.originalStringValues().isEmpty() || !(option.getValue() instanceof String value)) {
                continue;
            }
            if (PATH_LABELS.contains(option.paramLabel()) && isRelativePath(value)) {
                warnings.add(option.longestName() + " is " + value + " by default: /opt/flink/" + value
                        + " in the pods, which has no such files; give " + option.longestName() + " "
                        + K8sManifests.DATA_DIR + "/... or s3://...");
            } else if (value.equals("localhost")) {
                warnings.add(option.longestName() + " is localhost by default: the pod itself; give "
                        + option.longestName());
            }
        }
        StreamingOptions streaming = pattern.streaming;
        boolean readsOrWritesKafka = pattern instanceof KafkaPatternCommand
                || ResultSink.parse(streaming.sink) == ResultSink.KAFKA;
        if (readsOrWritesKafka && streaming.kafkaConnection.bootstrapServers == null) {
            warnings.add("--bootstrap-servers is " + streaming.kafkaConnection.bootstrapServers()
                    + " by default: the pod itself; give the address of a Kafka the pods reach");
        }
        return warnings;
    }

    private static boolean isRelativePath(String value) {
        return !value.isEmpty() && !Locations.isUri(value) && !Path.of(value).isAbsolute();
    }
}
