package dev.flinkpatterns.patterns.twstate;

import dev.flinkpatterns.core.Api;
import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.SourceLine;
import dev.flinkpatterns.patterns.csv.CsvPatterns;
import dev.flinkpatterns.patterns.csv.Event;
import dev.flinkpatterns.patterns.sessions.TimeoutKind;
import dev.flinkpatterns.run.PatternOutputs;
import dev.flinkpatterns.sql.SqlEnvironments;
import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.table.ResultTable;
import dev.flinkpatterns.time.EventTime;
import dev.flinkpatterns.time.LateRows;
import dev.flinkpatterns.time.LatenessRule;
import dev.flinkpatterns.time.WatermarkSettings;
import java.time.Duration;
import java.util.Locale;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.functions.ProcessTableFunction;
import org.apache.flink.types.Row;

/**
 * {@code transform-with-state}: Spark 4's {@code transformWithState} over the event files, keyed by user, as a pure
 * topology (lines in; result rows, late rows and dead letters out), in the DataStream API ({@link ActivityTracker},
 * {@link RunningCounter}) or in SQL with a process table function ({@link UserActivityFunction},
 * {@link RunningCountFunction}); both give the same rows.
 */
public final class TransformWithState {

    /** Spark's refusal of an event-time timer without a watermark. */
    public static final String EVENT_TIMERS_NEED_WATERMARK = "Watermark must be specified in the query using "
            + "'[Dataset/DataFrame].withWatermark()' for using event-time timers in transformWithState";

    /** The SQL view of the events and the functions' names in it. */
    static final String VIEW = "events";
    static final String ACTIVITY_FUNCTION = "track_user_activity";
    static final String COUNT_FUNCTION = "running_count";

    /** What the pattern emits. */
    public enum Emit {
        /** transformWithState: a summary per user when the watermark passes its last event time plus the gap. */
        SUMMARY,
        /** mapGroupsWithState: the user's count after every event (update mode). */
        RUNNING_COUNT;

        public String cliName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static Emit parse(String text) {
            for (Emit emit : values()) {
                if (emit.cliName().equals(text.strip().toLowerCase(Locale.ROOT))) {
                    return emit;
                }
            }
            throw new IllegalArgumentException("--emit " + text + " is not summary or running-count");
        }
    }

    /** A process table function has event-time timers only (Flink 2.2's {@code TimeContext}). */
    public static final String SQL_TIMERS_ARE_EVENT_TIME = "Flink 2.2's process table functions have event-time "
            + "timers only";

    /**
     * {@code gap}: how long a user is quiet before its summary, in the time of {@code clock} (Spark's TimeMode);
     * {@code keep}: how many last events.
     */
    public record Settings(Emit emit, Duration gap, int keep, InitialCounts initial, TimeoutKind clock)
            implements java.io.Serializable {}

    private TransformWithState() {}

    public static PatternOutputs transform(DataStream<SourceLine> lines, Settings settings, Api api,
            WatermarkSettings watermark, OutputMode mode, Trigger trigger) {
        var parsed = CsvPatterns.parseEvents(lines);
        if (settings.emit() == Emit.RUNNING_COUNT) {
            // As mapGroupsWithState without an event-time timeout, which drops no late rows.
            DataStream<Change> counts = api == Api.SQL ? runningCountsInSql(parsed.records(), settings)
                    : parsed.records().keyBy(Event::userId, Types.INT)
                            .process(new RunningCounter(settings.initial()), TypeInformation.of(UserActivity.RunningCount.class))
                            .name("running count (mapGroupsWithState)").uid("running-count")
                            .map(UserActivity.RunningCount::toRow, TypeInformation.of(Change.class))
                            .name("as table rows").uid("running-count-rows");
            return new PatternOutputs(new ResultTable(counts, UserActivity.RUNNING_COUNT_SCHEMA, mode, trigger),
                    parsed.deadLetters());
        }
        if (settings.clock() == TimeoutKind.PROCESSING) {
            if (api == Api.SQL) {
                throw new IllegalArgumentException(SQL_TIMERS_ARE_EVENT_TIME);
            }
            // Processing-time timers follow no watermark: no row is late.
            return new PatternOutputs(new ResultTable(activity(parsed.records(), settings), UserActivity.SUMMARY_SCHEMA,
                    mode, trigger), parsed.deadLetters());
        }
        if (!watermark.hasWatermark()) {
            throw new IllegalArgumentException(EVENT_TIMERS_NEED_WATERMARK);
        }
        DataStream<Event> timed = EventTime.assign(parsed.records(), (event, recordTimestamp) -> event.eventTime(), watermark);
        // Both variants read the same rows after the same late-row split.
        var split = LateRows.split(timed, LatenessRule.ROW, watermark, Event::toJson);
        DataStream<Change> summaries = api == Api.SQL ? summariesInSql(split.onTime(), settings)
                : EventTime.afterState(activity(split.onTime(), settings), watermark);
        return new PatternOutputs(new ResultTable(summaries, UserActivity.SUMMARY_SCHEMA, mode, trigger),
                parsed.deadLetters(), split.late());
    }

    private static DataStream<Change> activity(DataStream<Event> events, Settings settings) {
        return events.keyBy(Event::userId, Types.INT)
                .process(new ActivityTracker(settings.gap(), settings.keep(), settings.initial(), settings.clock()),
                        TypeInformation.of(UserActivity.Summary.class))
                .name("user activity (transformWithState)").uid("user-activity")
                .map(UserActivity.Summary::toRow, TypeInformation.of(Change.class))
                .name("as table rows").uid("user-activity-rows");
    }

    /** The SQL of the summaries, as a user would write it. */
    public static String summarySql() {
        return "SELECT user_id, inactive_since, total_events, session_events, last_events\n"
                + "FROM " + ACTIVITY_FUNCTION + "(input => TABLE " + VIEW + " PARTITION BY user_id,\n"
                + "    on_time => DESCRIPTOR(event_time), uid => 'user-activity')";
    }

    /** The SQL of the running counts. */
    public static String runningCountSql() {
        return "SELECT user_id, `count`\n"
                + "FROM " + COUNT_FUNCTION + "(input => TABLE " + VIEW + " PARTITION BY user_id, uid => 'running-count')";
    }

    private static DataStream<Change> summariesInSql(DataStream<Event> events, Settings settings) {
        StreamTableEnvironment tables = view(events, true);
        return query(tables, ACTIVITY_FUNCTION,
                new UserActivityFunction(settings.gap(), settings.keep(), settings.initial()), summarySql())
                .map(row -> new UserActivity.Summary(row.<Integer>getFieldAs(0), row.<Long>getFieldAs(1),
                        row.<Long>getFieldAs(2), row.getFieldAs(3), row.getFieldAs(4)).toRow())
                .returns(TypeInformation.of(Change.class))
                .name("SQL rows as table rows").uid("user-activity-sql-rows");
    }

    private static DataStream<Change> runningCountsInSql(DataStream<Event> events, Settings settings) {
        StreamTableEnvironment tables = view(events, false);
        return query(tables, COUNT_FUNCTION, new RunningCountFunction(settings.initial()), runningCountSql())
                .map(row -> new UserActivity.RunningCount(row.<Integer>getFieldAs(0), row.<Long>getFieldAs(1)).toRow())
                .returns(TypeInformation.of(Change.class))
                .name("SQL rows as table rows").uid("running-count-sql-rows");
    }

    /** The events as the view {@code events(user_id, event[, event_time])}, on the events' own watermarks. */
    private static StreamTableEnvironment view(DataStream<Event> events, boolean withEventTime) {
        StreamTableEnvironment tables = SqlEnvironments.on(events.getExecutionEnvironment());
        DataStream<Row> rows = events.map(event -> Row.of(event.userId(), event.event()))
                .returns(new RowTypeInfo(new TypeInformation<?>[] {Types.INT, Types.STRING}, new String[] {"user_id", "event"}))
                .setParallelism(events.getParallelism())
                .name("to SQL rows").uid("sql-rows");
        Table table = withEventTime
                ? tables.fromDataStream(rows, Schema.newBuilder()
                        .columnByMetadata("event_time", DataTypes.TIMESTAMP_LTZ(3), "rowtime")
                        .watermark("event_time", "SOURCE_WATERMARK()")
                        .build())
                : tables.fromDataStream(rows);
        tables.createTemporaryView(VIEW, table);
        return tables;
    }

    private static DataStream<Row> query(StreamTableEnvironment tables, String name, ProcessTableFunction<Row> function,
            String sql) {
        tables.createTemporarySystemFunction(name, function);
        return tables.toDataStream(tables.sqlQuery(sql));
    }
}
