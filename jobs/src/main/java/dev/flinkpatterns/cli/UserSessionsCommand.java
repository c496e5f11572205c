package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.patterns.sessions.TimeoutKind;
import dev.flinkpatterns.patterns.sessions.UserSessions;
import dev.flinkpatterns.run.PatternOutputs;
import java.time.Duration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "user-sessions", mixinStandardHelpOptions = true,
        description = {"A summary row per user session that timed out (Spark's flatMapGroupsWithState).",
                "Keeps running state per user_id (first and last event, rows, a count per event type) and, once "
                        + "the user has been quiet for --timeout, prints the session and frees its state (append "
                        + "mode). When the input ends (--trigger once/available-now), open sessions are printed too."})
class UserSessionsCommand extends EventTimeCsvCommand {

    @Option(names = "--timeout", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "How long a user must be quiet for the session to end. Default: 5m.")
    Duration timeout = Duration.ofMinutes(5);

    @Option(names = "--timeout-kind", paramLabel = "KIND",
            description = "event (Spark's EventTimeTimeout: the watermark passes the last event time + timeout; needs "
                    + "--watermark) or processing (ProcessingTimeTimeout: no row for --timeout of wall-clock time). "
                    + "Default: event with --watermark, else processing.")
    String timeoutKind;

    private TimeoutKind kind;

    @Override
    OutputMode.Query query() {
        return OutputMode.Query.NO_AGGREGATION;
    }

    @Override
    void validate() {
        super.validate();
        if (timeout.isZero()) {
            throw new UsageException("--timeout must be positive, got " + timeout);
        }
        boolean hasWatermark = eventTime.watermark != null;
        try {
            kind = timeoutKind == null ? (hasWatermark ? TimeoutKind.EVENT : TimeoutKind.PROCESSING) : TimeoutKind.parse(timeoutKind);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (kind == TimeoutKind.EVENT && !hasWatermark) {
            throw new UsageException("--timeout-kind event needs --watermark: " + UserSessions.EVENT_TIMEOUT_NEEDS_WATERMARK);
        }
        if (kind == TimeoutKind.PROCESSING && (eventTime.lateOutput != null || !eventTime.allowedLateness.isZero())) {
            throw new UsageException("--late-output and --allowed-lateness need --timeout-kind event: with a processing-time "
                    + "timeout no row is late (Spark drops late rows only for an event-time timeout)");
        }
    }

    @Override
    PatternOutputs define(StreamExecutionEnvironment env, OutputMode mode, Trigger trigger) {
        return UserSessions.sessions(lines(env, trigger), timeout, kind, eventTime.settings(), mode, trigger);
    }
}
