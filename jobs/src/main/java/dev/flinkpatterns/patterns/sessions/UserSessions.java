package dev.flinkpatterns.patterns.sessions;

import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.SourceLine;
import dev.flinkpatterns.patterns.csv.CsvPatterns;
import dev.flinkpatterns.patterns.csv.Event;
import dev.flinkpatterns.run.PatternOutputs;
import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.table.ResultTable;
import dev.flinkpatterns.table.ResultTables;
import dev.flinkpatterns.time.EventTime;
import dev.flinkpatterns.time.LateRows;
import dev.flinkpatterns.time.LatenessRule;
import dev.flinkpatterns.time.WatermarkSettings;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * {@code user-sessions}: Spark's {@code groupByKey(user_id).flatMapGroupsWithState(..., timeout)} over the
 * event files, as a pure topology: lines in; a summary row per user session that timed out, late rows and
 * dead letters out.
 */
public final class UserSessions {

    /** Spark's refusal of an event-time timeout without a watermark. */
    public static final String EVENT_TIMEOUT_NEEDS_WATERMARK = "Watermark must be specified in the query using "
            + "'[Dataset/DataFrame].withWatermark()' for using event-time timeout in a [map|flatMap]GroupsWithState. "
            + "Event-time timeout not supported without watermark.";

    private UserSessions() {}

    public static PatternOutputs sessions(DataStream<SourceLine> lines, Duration timeout, TimeoutKind kind,
            WatermarkSettings watermark, OutputMode mode, Trigger trigger) {
        if (kind == TimeoutKind.EVENT && !watermark.hasWatermark()) {
            throw new IllegalArgumentException(EVENT_TIMEOUT_NEEDS_WATERMARK);
        }
        var parsed = CsvPatterns.parseEvents(lines);
        DataStream<Event> events = EventTime.assign(parsed.records(), (event, recordTimestamp) -> event.eventTime(), watermark);
        DataStream<LateRows.LateRow> late = null;
        if (kind == TimeoutKind.EVENT) {
            // As Spark, which drops rows behind the watermark only for an event-time timeout.
            var split = LateRows.split(events, LatenessRule.ROW, watermark.allowedLateness(), Event::toJson);
            events = split.onTime();
            late = split.late();
        }
        DataStream<Change> sessions = events.keyBy(Event::userId, Types.INT)
                .process(new SessionTracker(timeout, kind), TypeInformation.of(UserSession.class))
                .name("user sessions (" + kind.cliName() + "-time timeout)")
                .uid("user-sessions")
                .map(UserSession::toRow)
                .name("as table rows")
                .uid("session-rows");
        return new PatternOutputs(new ResultTable(sessions, UserSession.SCHEMA, mode, trigger),
                parsed.deadLetters(), late);
    }
}
