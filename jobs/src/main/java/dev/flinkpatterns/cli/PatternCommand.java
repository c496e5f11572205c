package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.Durations;
import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.io.Sinks;
import dev.flinkpatterns.listen.JsonLinesQueryListener;
import dev.flinkpatterns.listen.QueryListeners;
import dev.flinkpatterns.run.Companion;
import dev.flinkpatterns.run.ExecutionRuntime;
import dev.flinkpatterns.run.JobRunner;
import dev.flinkpatterns.run.LocalService;
import dev.flinkpatterns.run.PatternOutputs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The shape of every pattern's command: check the options, build the environment, let the pattern define
 * its topology, attach the sinks the options ask for, run. A pattern supplies only its topology.
 */
abstract class PatternCommand implements Callable<Integer> {

    private static final Duration MIN_CHECKPOINT_DURATION = Duration.ofMillis(10);

    @Mixin
    StreamingOptions streaming;

    @Spec
    CommandSpec spec;

    /** The run's output directory (--output or the default), resolved; set before {@link #define} is called. */
    String runOutputDir;

    /** The kind of query, which decides the output modes allowed (Spark's rules). */
    abstract OutputMode.Query query();

    /** Checks the pattern's own options; throws {@link UsageException}. */
    void validate() {}

    /** The topology, with the pattern's production sources. */
    abstract PatternOutputs define(StreamExecutionEnvironment env, OutputMode mode, Trigger trigger);

    /** Options of its shared mixins that the pattern has no use for: they are not in its help nor accepted. */
    Set<String> inapplicableOptions() {
        return Set.of();
    }

    /** True when the pattern attaches its own sinks (its outputs have no result table): it has no sink options. */
    boolean writesOwnOutputs() {
        return false;
    }

    /**
     * Checks the services the pattern reads (a Kafka broker) before anything starts; throws {@link UsageException}.
     * Runs after --kafka embedded has started its broker.
     */
    void checkServices() {}

    /** Work beside the job, for example the demo's generator. */
    List<Companion> companions() {
        return List.of();
    }

    /** Where rows dropped as late go (event-time patterns with --late-output); null: counted only. */
    String lateOutputDir() {
        return null;
    }

    /** True when the pattern itself reads PostgreSQL (--postgres and --postgres-credentials then go with any sink). */
    boolean readsPostgres() {
        return false;
    }

    /** True when the pattern reads a Paimon table (--warehouse then goes with any sink). */
    boolean readsPaimon() {
        return false;
    }

    String patternName() {
        return spec.name();
    }

    /** The directory under the run's output directory that a file sink writes to. */
    String resultsName() {
        return "results";
    }

    /** The local default checkpoint directory is {@code data/checkpoints/<this>}. */
    String checkpointName() {
        return patternName();
    }

    /**
     * Jobs run to their end, one after the other, before the pattern's own job: the upstream stages of a pipeline
     * whose stages read each other's output with a bounded trigger (a stage reads only what exists when it starts).
     */
    List<PrecedingJob> precedingJobs() {
        return List.of();
    }

    /**
     * A job of {@link #precedingJobs}: its name, its checkpoint name and its topology (without a result table; the
     * directories it writes are reported, and cleared of abandoned part files, when it has finished).
     */
    record PrecedingJob(String name, String checkpointName, Topology topology) {}

    @FunctionalInterface
    interface Topology {
        PatternOutputs define(StreamExecutionEnvironment env);
    }

    @Override
    public Integer call() throws Exception {
        CliContext context = CliContext.of(spec);
        OutputMode mode = checkOptions();
        ResultSink sink = ResultSink.parse(streaming.sink);
        if (streaming.listener != null && Files.isDirectory(Path.of(streaming.listener))) {
            throw new UsageException("--listener " + streaming.listener + " is a directory: give a file to append the events to");
        }
        StateRecovery.validate(streaming);
        validate();

        ExecutionRuntime runtime = context.runtime();
        try (LocalService<String> kafka = streaming.kafkaConnection.embedded()
                ? runtime.startKafka(context.out()) : null;
                PostgresOptions postgres = streaming.postgres) {
            if (kafka != null) {
                streaming.kafkaConnection.bootstrapServers = kafka.address();
            }
            checkServices();
            postgres.checkReachable();
            return run(context, runtime, mode, sink);
        }
    }

    /**
     * The checks of the options alone, which read no file and reach no service: a manifest for a cluster
     * (./patterns k8s manifest) makes them too. Returns the output mode.
     */
    OutputMode checkOptions() {
        OutputMode mode = OutputMode.choose(streaming.outputMode, query());
        ResultSink sink = ResultSink.parse(streaming.sink);
        streaming.postgres.readByPattern = readsPostgres();
        streaming.warehouseReadByPattern = readsPaimon();
        sink.validate(mode, streaming, patternName());
        streaming.console.validate();
        if (streaming.parallelism != null && streaming.parallelism < 1) {
            throw new UsageException("--parallelism must be at least 1, got " + streaming.parallelism);
        }
        if (streaming.progressInterval.isNegative()) {
            throw new UsageException("--progress-interval must not be negative, got " + streaming.progressInterval);
        }
        if (streaming.webUiPort < 1 || streaming.webUiPort > 65535) {
            throw new UsageException("--web-ui-port must be between 1 and 65535, got " + streaming.webUiPort);
        }
        requireCheckpointDuration("--checkpoint-interval", streaming.checkpointInterval);
        requireCheckpointDuration("--checkpoint-timeout", streaming.checkpointTimeout);
        return mode;
    }

    /** Flink refuses checkpoint intervals and timeouts under 10 ms (and 0 would mean "off" to some of its code). */
    private static void requireCheckpointDuration(String option, Duration value) {
        if (value != null && value.compareTo(MIN_CHECKPOINT_DURATION) < 0) {
            throw new UsageException(option + " must be at least " + Durations.format(MIN_CHECKPOINT_DURATION) + ", got "
                    + Durations.format(value));
        }
    }

    private int run(CliContext context, ExecutionRuntime runtime, OutputMode mode, ResultSink sink) throws Exception {
        runOutputDir = Locations.resolve(outputDir(runtime));
        String deadLetterDir = Locations.resolve(outputDir(runtime) + "/dead-letter");
        for (PrecedingJob job : precedingJobs()) {
            StreamExecutionEnvironment env = runtime.environment(jobSettings(runtime, job.checkpointName(), false), context.out());
            if (!env.getConfiguration().get(DeploymentOptions.ATTACHED)) {
                throw new UsageException(job.name() + " must end before the next job starts: not with flink run -d "
                        + "(detached); submit the jobs one by one");
            }
            listen(env);
            PatternOutputs jobOutputs = job.topology().define(env);
            attachSideOutputs(jobOutputs, deadLetterDir);
            int exitCode = new JobRunner(context.out(), context.err())
                    .run(env, job.name(), List.of(), jobOutputs.ownResultDirs(), deadLetterDir, null,
                            streaming.progressInterval);
            if (exitCode != JobRunner.FINISHED) {
                return exitCode;
            }
        }
        StreamExecutionEnvironment env = runtime.environment(jobSettings(runtime, checkpointName(), true), context.out());
        listen(env);
        PatternOutputs outputs = define(env, mode, streaming.trigger);
        streaming.resultsDir = sink.resultsDir(outputDir(runtime) + "/" + resultsName());
        attachSideOutputs(outputs, deadLetterDir);
        List<String> resultDirs = new ArrayList<>(outputs.ownResultDirs());
        if (outputs.hasResultTable() && sink.writesFiles()) {
            resultDirs.add(streaming.resultsDir);
        }
        try (SinkRun sinkRun = outputs.hasResultTable() ? sink.attach(outputs.table(), streaming, context) : SinkRun.NONE) {
            int exitCode = new JobRunner(context.out(), context.err())
                    .run(env, jobName(mode), companions(), resultDirs, deadLetterDir, lateOutputDir(),
                            streaming.progressInterval);
            if (exitCode == JobRunner.FINISHED && env.getConfiguration().get(DeploymentOptions.ATTACHED)) {
                sinkRun.finished(context.out());
            }
            return exitCode;
        }
    }

    /** {@code --listener FILE}: the job's events appended to FILE. */
    private void listen(StreamExecutionEnvironment env) {
        if (streaming.listener != null) {
            QueryListeners.register(env, new JsonLinesQueryListener(Path.of(streaming.listener)));
        }
    }

    private void attachSideOutputs(PatternOutputs outputs, String deadLetterDir) {
        if (outputs.hasDeadLetters()) {
            outputs.deadLetters().sinkTo(Sinks.deadLetters(deadLetterDir)).name("dead letters").uid("dead-letters");
        }
        if (outputs.hasLateRows() && lateOutputDir() != null) {
            outputs.lateRows().sinkTo(Sinks.lateRows(lateOutputDir())).name("late rows").uid("late-rows-sink");
        }
    }

    private String outputDir(ExecutionRuntime runtime) {
        if (streaming.output != null) {
            return streaming.output;
        }
        return runtime.isEmbedded() ? "data/output/" + patternName() : "/tmp/flink-streaming-patterns/output/" + patternName();
    }

    /**
     * Job-level settings only: on a cluster everything else is the cluster's config.yaml. {@code resumes}: the
     * state-recovery options apply (the pattern's own job, not the stages run before it).
     */
    private Configuration jobSettings(ExecutionRuntime runtime, String checkpointName, boolean resumes) {
        Configuration settings = new Configuration();
        settings.set(PipelineOptions.NAME, patternName());
        // Chained operators hand records on without a copy; every record type of the patterns is immutable.
        settings.set(PipelineOptions.OBJECT_REUSE, true);
        if (streaming.parallelism != null) {
            settings.set(CoreOptions.DEFAULT_PARALLELISM, streaming.parallelism);
        }
        String checkpointDir = streaming.checkpointDir;
        if (checkpointDir == null && runtime.isEmbedded()) {
            checkpointDir = "data/checkpoints/" + checkpointName;
        }
        if (checkpointDir != null) {
            settings.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, Locations.resolveUri(checkpointDir));
        }
        if (streaming.checkpointInterval != null) {
            settings.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, streaming.checkpointInterval);
        }
        if (streaming.checkpointTimeout != null) {
            settings.set(CheckpointingOptions.CHECKPOINTING_TIMEOUT, streaming.checkpointTimeout);
        }
        if (resumes) {
            StateRecovery.apply(streaming, checkpointDir, settings);
        }
        if (runtime.isEmbedded()) {
            settings.set(RestOptions.PORT, streaming.webUiPort);
        }
        if (streaming.trigger.kind() == Trigger.Kind.CONTINUOUS) {
            // Lowest latency: ship every record at once and move the watermark often.
            settings.set(ExecutionOptions.BUFFER_TIMEOUT, Duration.ZERO);
            settings.set(PipelineOptions.AUTO_WATERMARK_INTERVAL, Duration.ofMillis(10));
        }
        return settings;
    }

    private String jobName(OutputMode mode) {
        return patternName() + " (" + mode.cliName() + ", trigger " + streaming.trigger + ")";
    }
}
