package dev.flinkpatterns.patterns.joins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.parse.Timestamps;
import dev.flinkpatterns.table.Change;
import java.time.LocalDateTime;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;

/**
 * The outer join function alone, watermark by watermark: an unmatched row comes out exactly when the watermark
 * reaches the last time a match could arrive (left: its time + 1 hour; right: its own time), not a millisecond
 * before, and once every bound has passed both buffers and all timers are empty.
 */
class OuterIntervalJoinTest {

    private static final JoinDataset CLICKS = JoinDatasets.CLICKS_PURCHASES;

    @Test
    void fullJoinEmitsEachUnmatchedRowWhenTheWatermarkPassesItsBoundAndThenForgetsEveryRow() throws Exception {
        try (var harness = harness(JoinType.FULL)) {
            harness.open();
            harness.processElement1(click("10:00:00", "c1", "u1"), millis("10:00:00")); // can match until 11:00
            harness.processElement2(purchase("10:20:00", "p1", "u2"), millis("10:20:00")); // can match until 10:20
            harness.processElement1(click("10:10:00", "c2", "u3"), millis("10:10:00"));
            harness.processElement2(purchase("10:40:00", "p2", "u3"), millis("10:40:00")); // matches c2 at once
            assertThat(cells(harness)).containsExactly(List.of("2024-01-15 10:10:00", "c2", "u3", "home",
                    "2024-01-15 10:40:00", "p2", "u3", "prod", "1.0"));

            harness.processBothWatermarks(new Watermark(millis("10:20:00") - 1));
            assertThat(harness.extractOutputValues()).hasSize(1);
            harness.processBothWatermarks(new Watermark(millis("10:20:00")));
            assertThat(cells(harness).get(1))
                    .containsExactly("null", "null", "null", "null", "2024-01-15 10:20:00", "p1", "u2", "prod", "1.0");

            harness.processBothWatermarks(new Watermark(millis("11:00:00") - 1));
            assertThat(harness.extractOutputValues()).hasSize(2);
            harness.processBothWatermarks(new Watermark(millis("11:00:00")));
            assertThat(cells(harness).get(2))
                    .containsExactly("2024-01-15 10:00:00", "c1", "u1", "home", "null", "null", "null", "null", "null");
            assertThat(harness.numKeyedStateEntries()).isPositive(); // c2 (matched) waits for 11:10

            harness.processBothWatermarks(new Watermark(millis("11:10:00")));
            assertThat(harness.extractOutputValues()).hasSize(3); // matched rows leave without a second row
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void leftJoinDropsUnmatchedRightRowsButStillForgetsThem() throws Exception {
        try (var harness = harness(JoinType.LEFT)) {
            harness.open();
            harness.processElement2(purchase("10:20:00", "p1", "u2"), millis("10:20:00"));
            harness.processElement1(click("10:00:00", "c1", "u1"), millis("10:00:00"));
            harness.processBothWatermarks(new Watermark(millis("10:30:00")));
            assertThat(harness.extractOutputValues()).isEmpty();
            assertThat(harness.numEventTimeTimers()).isEqualTo(1); // c1's, at 11:00

            harness.processBothWatermarks(new Watermark(millis("11:00:00")));
            assertThat(cells(harness))
                    .containsExactly(List.of("2024-01-15 10:00:00", "c1", "u1", "home", "null", "null", "null", "null", "null"));
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
        }
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, Row, Row, Change> harness(JoinType type) throws Exception {
        return new KeyedTwoInputStreamOperatorTestHarness<>(new KeyedCoProcessOperator<>(new OuterIntervalJoin(CLICKS, type)),
                CLICKS.left()::key, CLICKS.right()::key, Types.STRING);
    }

    private static List<List<String>> cells(KeyedTwoInputStreamOperatorTestHarness<String, Row, Row, Change> harness) {
        return harness.extractOutputValues().stream().map(change -> dev.flinkpatterns.table.ShownValues.show(change.cells())).toList();
    }

    private static Row click(String time, String id, String user) {
        return Row.of(time(time), id, user, "home");
    }

    private static Row purchase(String time, String id, String user) {
        return Row.of(time(time), id, user, "prod", 1.0);
    }

    private static LocalDateTime time(String clock) {
        return RowSchema.toTime(millis(clock));
    }

    private static long millis(String clock) {
        try {
            return Timestamps.parseMillis("2024-01-15T" + clock);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
