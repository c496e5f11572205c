package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.Api;
import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.patterns.sessions.TimeoutKind;
import dev.flinkpatterns.patterns.twstate.InitialCounts;
import dev.flinkpatterns.patterns.twstate.TransformWithState;
import dev.flinkpatterns.patterns.twstate.TransformWithState.Emit;
import dev.flinkpatterns.run.PatternOutputs;
import dev.flinkpatterns.time.WatermarkSettings;
import java.io.IOException;
import java.io.FileNotFoundException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Set;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "transform-with-state", mixinStandardHelpOptions = true,
        description = {"Spark 4's transformWithState per user: value, list and map state, TTL, timers.",
                "Per user a running count (value state, starting from --initial-state), the last events (list state) "
                        + "and a count per event type (map state; both with a state TTL of 1 h). Once the watermark "
                        + "passes the user's last event time + --gap (--time-mode processing: once no event came for "
                        + "--gap of wall-clock time), a summary row (append mode), and the list and map are cleared. "
                        + "--emit running-count: the seeds' mapGroupsWithState, each user's count after every event "
                        + "(update mode). --api sql: a process table function, the same rows."})
class TransformWithStateCommand extends EventTimeCsvCommand {

    @Option(names = "--emit", paramLabel = "WHAT",
            description = "summary (transformWithState: a row per user gone inactive; needs --watermark) or "
                    + "running-count (mapGroupsWithState: the count after every event). Default: summary.")
    String emit = "summary";

    @Option(names = "--gap", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "How long a user must be quiet before its summary, in the time of --time-mode. Default: 5m.")
    Duration gap = Duration.ofMinutes(5);

    @Option(names = "--time-mode", paramLabel = "MODE",
            description = "Spark's TimeMode, the clock of the summary's timer: event (the watermark passes the last "
                    + "event time + --gap; needs --watermark) or processing (no event for --gap of wall-clock time; "
                    + "the end of a bounded input ends every session; --api datastream only). Default: event.")
    String timeMode = "event";

    @Option(names = "--last", paramLabel = "N", description = "How many of a user's last events the summary lists. "
            + "Default: ${DEFAULT-VALUE}.")
    int last = 3;

    @Option(names = "--initial-state", paramLabel = "FILE",
            description = "A CSV file user_id,count with the count each user starts from (Spark's initialState). "
                    + "Default: every user starts at 0.")
    String initialState;

    @Mixin
    WatermarkPolicyOptions watermarkPolicy;

    @Option(names = "--api", paramLabel = "API", converter = Converters.ApiConverter.class,
            description = "datastream (KeyedProcessFunction) or sql (a ProcessTableFunction). Default: datastream.")
    Api api = Api.DATASTREAM;

    private TransformWithState.Settings settings;

    private Emit emitted() {
        try {
            return Emit.parse(emit);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** Every late row is dropped, as Spark does for event-time timers: no lateness is allowed. */
    @Override
    Set<String> inapplicableOptions() {
        return Set.of("--allowed-lateness");
    }

    @Override
    OutputMode.Query query() {
        return emitted() == Emit.RUNNING_COUNT ? OutputMode.Query.MAP_GROUPS_WITH_STATE : OutputMode.Query.NO_AGGREGATION;
    }

    @Override
    void validate() {
        super.validate();
        Emit what = emitted();
        TimeoutKind clock;
        try {
            clock = TimeoutKind.parse("--time-mode", timeMode);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (watermarkPolicy.policy == WatermarkSettings.Policy.SPARK) {
            if (what == Emit.RUNNING_COUNT) {
                throw new UsageException("--watermark-policy spark needs --emit summary: a running count follows no "
                        + "watermark (as mapGroupsWithState without an event-time timeout)");
            }
            if (clock != TimeoutKind.EVENT) {
                throw new UsageException("--watermark-policy spark needs --time-mode event: Spark's watermark moves "
                        + "only event-time timers");
            }
            watermarkPolicy.refuseWithSqlApi(api);
        }
        watermarkPolicy.apply(eventTime, csv, streaming.trigger);
        if (what == Emit.SUMMARY && clock == TimeoutKind.EVENT && eventTime.watermark == null) {
            throw new UsageException("--emit summary needs --watermark (or --time-mode processing): "
                    + TransformWithState.EVENT_TIMERS_NEED_WATERMARK);
        }
        if (what == Emit.SUMMARY && clock == TimeoutKind.PROCESSING) {
            if (api == Api.SQL) {
                throw new UsageException("--time-mode processing needs --api datastream: "
                        + TransformWithState.SQL_TIMERS_ARE_EVENT_TIME);
            }
            if (eventTime.watermark != null) {
                throw new UsageException("--watermark applies to --time-mode event: processing-time timers follow the "
                        + "wall clock, and no row is late");
            }
        }
        if ((what == Emit.RUNNING_COUNT || clock == TimeoutKind.PROCESSING) && eventTime.lateOutput != null) {
            throw new UsageException("--late-output needs --emit summary with --time-mode event: "
                    + (what == Emit.RUNNING_COUNT ? "a running count drops no late rows (as mapGroupsWithState "
                    + "without an event-time timeout)" : "processing-time timers drop no late rows"));
        }
        if (gap.isZero()) {
            throw new UsageException("--gap must be positive, got " + gap);
        }
        if (last < 1) {
            throw new UsageException("--last must be at least 1, got " + last);
        }
        InitialCounts initial = InitialCounts.NONE;
        if (initialState != null) {
            try {
                initial = InitialCounts.read(Locations.resolve(initialState), initialState);
            } catch (FileNotFoundException | NoSuchFileException e) {
                throw new UsageException("--initial-state " + initialState + ": no such file");
            } catch (IOException e) {
                throw new UsageException("--initial-state " + initialState + ": cannot be read (" + e.getClass().getSimpleName() + ")");
            } catch (IllegalArgumentException e) {
                throw new UsageException("--initial-state " + e.getMessage());
            }
        }
        settings = new TransformWithState.Settings(what, gap, last, initial, clock);
    }

    @Override
    PatternOutputs define(StreamExecutionEnvironment env, OutputMode mode, Trigger trigger) {
        return TransformWithState.transform(lines(env, trigger), settings, api, eventTime.settings(), mode, trigger);
    }
}
