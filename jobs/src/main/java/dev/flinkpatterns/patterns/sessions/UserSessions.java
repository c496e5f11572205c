package dev.flinkpatterns.patterns.sessions;

import dev.flinkpatterns.core.Api;
import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.DeadLetter;
import dev.flinkpatterns.io.RowInput;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.io.SourceLine;
import dev.flinkpatterns.patterns.csv.CsvPatterns;
import dev.flinkpatterns.patterns.csv.Event;
import dev.flinkpatterns.run.PatternOutputs;
import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.table.KeyCells;
import dev.flinkpatterns.table.ResultTable;
import dev.flinkpatterns.table.SortKeys;
import dev.flinkpatterns.time.EventTime;
import dev.flinkpatterns.time.LateRows;
import dev.flinkpatterns.time.LatenessRule;
import dev.flinkpatterns.time.WatermarkSettings;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.types.Row;

/**
 * {@code user-sessions}: Spark's {@code groupByKey(user_id).flatMapGroupsWithState(..., timeout)} over the
 * event files, or over the user's own files keyed by any column, as a pure topology: lines in; a summary row per
 * session that timed out, late rows and dead letters out. The sessions come from {@link SessionTracker} (the
 * DataStream API) or from a SQL query calling {@link SessionsFunction} ({@link SessionsInSql}); the parsing, event
 * time and late-row split before them are the same, and so are the rows.
 */
public final class UserSessions {

    /** Spark's refusal of an event-time timeout without a watermark. */
    public static final String EVENT_TIMEOUT_NEEDS_WATERMARK = "Watermark must be specified in the query using "
            + "'[Dataset/DataFrame].withWatermark()' for using event-time timeout in a [map|flatMap]GroupsWithState. "
            + "Event-time timeout not supported without watermark.";

    /** Why {@code --api sql} has no processing-time timeout. */
    public static final String SQL_HAS_EVENT_TIME_TIMERS_ONLY = "--api sql needs --timeout-kind event (and --watermark): "
            + "a Flink 2.2 process table function has event-time timers only";

    /** Why {@code --api sql} allows no lateness. */
    public static final String SQL_DROPS_LATE_ROWS = "--allowed-lateness needs --api datastream: a Flink 2.2 process "
            + "table function drops every row at or behind the watermark before the function sees it";

    private UserSessions() {}

    public static PatternOutputs sessions(DataStream<SourceLine> lines, Duration timeout, TimeoutKind kind, Api api,
            WatermarkSettings watermark, OutputMode mode, Trigger trigger) {
        checkTimeout(kind, api, watermark);
        var parsed = CsvPatterns.parseEvents(lines);
        DataStream<Event> events = EventTime.assign(parsed.records(), (event, recordTimestamp) -> event.eventTime(), watermark);
        MapFunction<UserSession<Integer>, Change> toRow =
                session -> session.toRow(SortKeys.zeroPadded(session.key(), 10), session.key(), true);
        return sessions(events, parsed.deadLetters(), Event::toJson, Event::userId, Types.INT, Event::event,
                new SessionsInSql.Columns("user_id", "event", "timestamp"),
                new TypeHint<UserSession<Integer>>() {}.getTypeInfo(), toRow, UserSession.SCHEMA,
                new Timeout(timeout, kind, api), watermark, mode, trigger);
    }

    /**
     * The same over the user's own files ({@code --format/--schema/...}): {@code input} in any format, sessions per
     * value of the {@code key} column (which keeps its type in the result), timed by the TIMESTAMP column
     * {@code eventTime}, counting the values of {@code eventType} (or of none, when null). A row without a key or a
     * time is a dead letter. In SQL the key is a STRING column of its text, as the tracker keys it; the result gives
     * it back its type.
     */
    public static PatternOutputs sessions(RowInput input, String key, String eventTime, String eventType,
            Duration timeout, TimeoutKind kind, Api api, WatermarkSettings watermark, OutputMode mode, Trigger trigger) {
        checkTimeout(kind, api, watermark);
        var columns = api == Api.SQL ? new SessionsInSql.Columns(key, eventType, eventTime) : null;
        RowSchema schema = input.schema();
        var parsed = input.rows(List.of(key, eventTime), null);
        int time = schema.indexOf(eventTime);
        DataStream<Row> rows = EventTime.assign(parsed.records(),
                (row, recordTimestamp) -> RowSchema.millis((LocalDateTime) row.getField(time)), watermark);
        int keyIndex = schema.indexOf(key);
        int typeIndex = eventType == null ? -1 : schema.indexOf(eventType);
        SessionTracker.EventType<Row> counted = typeIndex < 0 ? null : row -> RowSchema.text(row.getField(typeIndex));
        RowSchema.Column keyColumn = KeyCells.resultColumn(schema.column(keyIndex));
        boolean countsEvents = counted != null;
        MapFunction<UserSession<String>, Change> toRow = session -> session.toRow(session.key(),
                KeyCells.cells(session.key(), List.of(keyColumn)).get(0), countsEvents);
        return sessions(rows, parsed.deadLetters(), schema::toJson, row -> KeyCells.text(row.getField(keyIndex)),
                Types.STRING, counted, columns, new TypeHint<UserSession<String>>() {}.getTypeInfo(), toRow,
                UserSession.schema(keyColumn, countsEvents), new Timeout(timeout, kind, api), watermark, mode, trigger);
    }

    private static void checkTimeout(TimeoutKind kind, Api api, WatermarkSettings watermark) {
        if (kind == TimeoutKind.EVENT && !watermark.hasWatermark()) {
            throw new IllegalArgumentException(EVENT_TIMEOUT_NEEDS_WATERMARK);
        }
        if (api == Api.SQL && kind != TimeoutKind.EVENT) {
            throw new IllegalArgumentException(SQL_HAS_EVENT_TIME_TIMERS_ONLY);
        }
        if (api == Api.SQL && !watermark.allowedLateness().isZero()) {
            throw new IllegalArgumentException(SQL_DROPS_LATE_ROWS);
        }
    }

    /** How a session ends, and which API ends it. */
    private record Timeout(Duration timeout, TimeoutKind kind, Api api) {}

    /**
     * {@code timed}: rows with their event-time timestamps; {@code asJson}: a late row as written out; {@code counted}:
     * what a row counts under, or null; {@code columns}: the SQL view's columns (with {@code --api sql}).
     */
    private static <K, T> PatternOutputs sessions(DataStream<T> timed, DataStream<DeadLetter> deadLetters,
            LateRows.RowDescriber<T> asJson, KeySelector<T, K> key, TypeInformation<K> keyType,
            SessionTracker.EventType<T> counted, SessionsInSql.Columns columns, TypeInformation<UserSession<K>> sessionType,
            MapFunction<UserSession<K>, Change> toRow, RowSchema schema, Timeout timeout, WatermarkSettings watermark,
            OutputMode mode, Trigger trigger) {
        TimeoutKind kind = timeout.kind();
        DataStream<T> rows = timed;
        DataStream<LateRows.LateRow> late = null;
        if (kind == TimeoutKind.EVENT) {
            // As Spark, which drops rows behind the watermark only for an event-time timeout.
            var split = LateRows.split(rows, LatenessRule.ROW, watermark, asJson);
            rows = split.onTime();
            late = split.late();
        }
        DataStream<UserSession<K>> ended = timeout.api() == Api.SQL
                ? SessionsInSql.sessions(rows, key, keyType, counted, columns, timeout.timeout(), sessionType)
                : rows.keyBy(key, keyType)
                        .process(new SessionTracker<>(timeout.timeout(), kind, counted), sessionType)
                        .name("user sessions (" + kind.cliName() + "-time timeout)")
                        .uid("user-sessions");
        DataStream<Change> sessions = EventTime.afterState(ended
                .map(toRow, TypeInformation.of(Change.class))
                .name("as table rows")
                .uid("session-rows"), watermark);
        return new PatternOutputs(new ResultTable(sessions, schema, mode, trigger), deadLetters, late);
    }
}
