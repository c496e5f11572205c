package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.Api;
import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.io.ReaderOptions;
import dev.flinkpatterns.io.ReaderOptions.Format;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.io.SchemaDdl;
import dev.flinkpatterns.patterns.sessions.SessionsInSql;
import dev.flinkpatterns.patterns.sessions.TimeoutKind;
import dev.flinkpatterns.patterns.sessions.UserSessions;
import dev.flinkpatterns.run.PatternOutputs;
import dev.flinkpatterns.time.WatermarkSettings;
import java.time.Duration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "user-sessions", mixinStandardHelpOptions = true,
        description = {"A summary row per user session that timed out (Spark's flatMapGroupsWithState).",
                "Keeps running state per user_id (first and last event, rows, a count per event type) and, once "
                        + "the user has been quiet for --timeout, prints the session and frees its state (append "
                        + "mode). When the input ends (--trigger once/available-now), open sessions are printed too (not "
                        + "under --watermark-policy spark, as in Spark). "
                        + "With reader options, sessions of any --key column of the user's own files. --api sql: a "
                        + "process table function with an event-time timer, the same rows."})
class UserSessionsCommand extends EventTimeCsvCommand {

    @Option(names = "--timeout", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "How long a user must be quiet for the session to end. Default: 5m.")
    Duration timeout = Duration.ofMinutes(5);

    @Option(names = "--timeout-kind", paramLabel = "KIND",
            description = "event (Spark's EventTimeTimeout: the watermark passes the last event time + timeout; needs "
                    + "--watermark) or processing (ProcessingTimeTimeout: no row for --timeout of wall-clock time). "
                    + "Default: event with --watermark, else processing.")
    String timeoutKind;

    @Mixin
    ReaderOptionsMixin reader;

    @Mixin
    WatermarkPolicyOptions watermarkPolicy;

    @Option(names = "--event-time", paramLabel = "COLUMN",
            description = "The TIMESTAMP column that times the sessions and --watermark follows (with --schema). "
                    + "Default: timestamp, else the schema's only TIMESTAMP column.")
    String eventTimeColumn;

    @Option(names = "--key", paramLabel = "COLUMN",
            description = "The column whose values have sessions (Spark's groupByKey), any column of the input's schema; "
                    + "the result keeps its name and type. Default: user_id.")
    String key;

    @Option(names = "--event-type", paramLabel = "COLUMN",
            description = "The column whose values a session counts (the result's events: login=1, view=2), or none. "
                    + "Default: event, when the input has it.")
    String eventType;

    @Option(names = "--api", paramLabel = "API", converter = Converters.ApiConverter.class,
            description = "datastream (KeyedProcessFunction) or sql (a ProcessTableFunction; --timeout-kind event only). "
                    + "Default: datastream.")
    Api api = Api.DATASTREAM;

    static final String DEFAULT_KEY = "user_id";
    static final String DEFAULT_EVENT_TYPE = "event";

    private TimeoutKind kind;
    /** The user's own files: how to read them, else null (the event files, as always). */
    private ReaderOptions readerOptions;
    private String timeColumn;
    /** The counted column with reader options; null for none. */
    private String countedColumn;

    @Override
    OutputMode.Query query() {
        return OutputMode.Query.NO_AGGREGATION;
    }

    @Override
    void validate() {
        super.validate();
        watermarkPolicy.apply(eventTime, csv, streaming.trigger);
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
        if (api == Api.SQL && kind != TimeoutKind.EVENT) {
            throw new UsageException(UserSessions.SQL_HAS_EVENT_TIME_TIMERS_ONLY);
        }
        if (watermarkPolicy.policy == WatermarkSettings.Policy.SPARK && kind != TimeoutKind.EVENT) {
            throw new UsageException("--watermark-policy spark needs --timeout-kind event: Spark's watermark moves "
                    + "only an event-time timeout");
        }
        watermarkPolicy.refuseWithSqlApi(api);
        if (api == Api.SQL && !eventTime.allowedLateness.isZero()) {
            throw new UsageException(UserSessions.SQL_DROPS_LATE_ROWS);
        }
        if (kind == TimeoutKind.PROCESSING && (eventTime.lateOutput != null || !eventTime.allowedLateness.isZero())) {
            throw new UsageException("--late-output and --allowed-lateness need --timeout-kind event: with a processing-time "
                    + "timeout no row is late (Spark drops late rows only for an event-time timeout)");
        }
        if (reader.given() || eventTimeColumn != null || key != null || eventType != null) {
            readUsersFiles();
        }
    }

    /** The reader options and the columns over the user's files; without --schema the event files' schema. */
    private void readUsersFiles() {
        readerOptions = reader.resolve(csv.input, Format.CSV, ReaderOptionsMixin.EVENT_FILES, CliContext.of(spec).err());
        RowSchema schema = readerOptions.rowSchema();
        if (key == null && schema.indexOf(DEFAULT_KEY) < 0) {
            throw new UsageException("give --key COLUMN, one of: " + SchemaDdl.print(schema));
        }
        key = SchemaColumns.column("--key", key == null ? DEFAULT_KEY : key.strip(), schema);
        if (eventTimeColumn != null) {
            timeColumn = SchemaColumns.eventTime("--event-time", eventTimeColumn.strip(), schema);
        } else {
            String preset = SchemaColumns.defaultEventTime(schema);
            timeColumn = preset != null ? preset : SchemaColumns.soleTimestamp(schema);
        }
        if (timeColumn == null) {
            throw new UsageException("sessions need --event-time COLUMN, a TIMESTAMP column of: " + SchemaDdl.print(schema));
        }
        if (eventType == null) {
            countedColumn = schema.indexOf(DEFAULT_EVENT_TYPE) >= 0 ? DEFAULT_EVENT_TYPE : null;
        } else if (!eventType.strip().equals("none")) {
            countedColumn = SchemaColumns.column("--event-type", eventType.strip(), schema);
            RowSchema.Type type = schema.column(schema.indexOf(countedColumn)).type();
            if (type == RowSchema.Type.STRUCT || type == RowSchema.Type.ARRAY) {
                throw new UsageException("--event-type " + countedColumn + ": is " + type.ddlName()
                        + ", not a single value; columns: " + SchemaDdl.print(schema));
            }
        }
        if (api == Api.SQL && (timeColumn.equals(key) || timeColumn.equals(countedColumn))) {
            throw new UsageException(SessionsInSql.SAME_TIME_COLUMN + timeColumn);
        }
    }

    @Override
    PatternOutputs define(StreamExecutionEnvironment env, OutputMode mode, Trigger trigger) {
        if (readerOptions != null) {
            return UserSessions.sessions(rowInput(env, trigger, readerOptions), key, timeColumn, countedColumn, timeout,
                    kind, api, eventTime.settings(), mode, trigger);
        }
        return UserSessions.sessions(lines(env, trigger), timeout, kind, api, eventTime.settings(), mode, trigger);
    }
}
