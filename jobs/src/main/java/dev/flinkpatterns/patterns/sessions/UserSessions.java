package dev.flinkpatterns.patterns.sessions;

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
 * session that timed out, late rows and dead letters out.
 */
public final class UserSessions {

    /** Spark's refusal of an event-time timeout without a watermark. */
    public static final String EVENT_TIMEOUT_NEEDS_WATERMARK = "Watermark must be specified in the query using "
            + "'[Dataset/DataFrame].withWatermark()' for using event-time timeout in a [map|flatMap]GroupsWithState. "
            + "Event-time timeout not supported without watermark.";

    private UserSessions() {}

    public static PatternOutputs sessions(DataStream<SourceLine> lines, Duration timeout, TimeoutKind kind,
            WatermarkSettings watermark, OutputMode mode, Trigger trigger) {
        checkTimeout(kind, watermark);
        var parsed = CsvPatterns.parseEvents(lines);
        DataStream<Event> events = EventTime.assign(parsed.records(), (event, recordTimestamp) -> event.eventTime(), watermark);
        MapFunction<UserSession<Integer>, Change> toRow =
                session -> session.toRow(SortKeys.zeroPadded(session.key(), 10), session.key(), true);
        return sessions(events, parsed.deadLetters(), Event::toJson, Event::userId, Types.INT,
                SessionTracker.ofEvents(timeout, kind), new TypeHint<UserSession<Integer>>() {}.getTypeInfo(), toRow,
                UserSession.SCHEMA, kind, watermark, mode, trigger);
    }

    /**
     * The same over the user's own files ({@code --format/--schema/...}): {@code input} in any format, sessions per
     * value of the {@code key} column (which keeps its type in the result), timed by the TIMESTAMP column
     * {@code eventTime}, counting the values of {@code eventType} (or of none, when null). A row without a key or a
     * time is a dead letter.
     */
    public static PatternOutputs sessions(RowInput input, String key, String eventTime, String eventType,
            Duration timeout, TimeoutKind kind, WatermarkSettings watermark, OutputMode mode, Trigger trigger) {
        checkTimeout(kind, watermark);
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
                Types.STRING, new SessionTracker<>(timeout, kind, counted),
                new TypeHint<UserSession<String>>() {}.getTypeInfo(), toRow,
                UserSession.schema(keyColumn, countsEvents), kind, watermark, mode, trigger);
    }

    private static void checkTimeout(TimeoutKind kind, WatermarkSettings watermark) {
        if (kind == TimeoutKind.EVENT && !watermark.hasWatermark()) {
            throw new IllegalArgumentException(EVENT_TIMEOUT_NEEDS_WATERMARK);
        }
    }

    /** {@code timed}: rows with their event-time timestamps; {@code asJson}: a late row as written out. */
    private static <K, T> PatternOutputs sessions(DataStream<T> timed, DataStream<DeadLetter> deadLetters,
            LateRows.RowDescriber<T> asJson, KeySelector<T, K> key, TypeInformation<K> keyType, SessionTracker<K, T> tracker,
            TypeInformation<UserSession<K>> sessionType, MapFunction<UserSession<K>, Change> toRow, RowSchema schema,
            TimeoutKind kind, WatermarkSettings watermark, OutputMode mode, Trigger trigger) {
        DataStream<T> rows = timed;
        DataStream<LateRows.LateRow> late = null;
        if (kind == TimeoutKind.EVENT) {
            // As Spark, which drops rows behind the watermark only for an event-time timeout.
            var split = LateRows.split(rows, LatenessRule.ROW, watermark.allowedLateness(), asJson);
            rows = split.onTime();
            late = split.late();
        }
        DataStream<Change> sessions = rows.keyBy(key, keyType)
                .process(tracker, sessionType)
                .name("user sessions (" + kind.cliName() + "-time timeout)")
                .uid("user-sessions")
                .map(toRow, TypeInformation.of(Change.class))
                .name("as table rows")
                .uid("session-rows");
        return new PatternOutputs(new ResultTable(sessions, schema, mode, trigger), deadLetters, late);
    }
}
