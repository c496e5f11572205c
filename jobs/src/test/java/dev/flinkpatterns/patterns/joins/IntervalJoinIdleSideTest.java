package dev.flinkpatterns.patterns.joins;

import static dev.flinkpatterns.testing.FlinkTests.writeLines;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.core.Api;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.RowInput;
import dev.flinkpatterns.io.FileSources;
import dev.flinkpatterns.io.SourceLine;
import dev.flinkpatterns.run.PatternOutputs;
import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.testing.Await;
import dev.flinkpatterns.testing.FlinkTests;
import dev.flinkpatterns.time.LateRows;
import dev.flinkpatterns.time.WatermarkSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A side that goes idle while the other moves the join's watermark on, then wakes with rows behind it: those rows
 * are late at the join (the partners they would have matched are gone) and go to the late rows; a pair never comes
 * out as two null-padded rows. Both sides are watched directories read by one reader each, idle after 500 ms.
 */
class IntervalJoinIdleSideTest {

    @RegisterExtension
    // Accumulators (the late-row count) reach the JobManager with heartbeats: every second, not every 10.
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster(
            new Configuration().set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofSeconds(1)));

    private static final JoinDataset CLICKS = JoinDatasets.CLICKS_PURCHASES;

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @EnumSource(Api.class)
    @Timeout(120)
    void rowsOfASideThatWakesBehindTheJoinsWatermarkAreLateNotPaddedTwice(Api api) throws Exception {
        Path clicks = tmp.resolve("clicks");
        Path purchases = tmp.resolve("purchases");
        writeLines(clicks, "clicks_0.csv", "click_time,click_id,user_id,page",
                "2024-01-15T10:00:00,c1,u1,home",  // can match purchases until 11:00
                "2024-01-15T12:00:00,c9,u1,shoes"); // the clicks' watermark goes to 11:49:59.999
        Files.createDirectories(purchases);

        StreamExecutionEnvironment env = FlinkTests.environment();
        env.setParallelism(2);
        WatermarkSettings tenMinutes = new WatermarkSettings(Duration.ofMinutes(10), Duration.ofMillis(500),
                Duration.ZERO, true);
        PatternOutputs outputs = IntervalJoin.join(RowInput.ofLines(watched(env, clicks), CLICKS.left().reader()),
                RowInput.ofLines(watched(env, purchases), CLICKS.right().reader()), CLICKS,
                JoinType.FULL, api, new IntervalJoin.Watermarks(tenMinutes, tenMinutes), Trigger.CONTINUOUS);
        CloseableIterator<Change> rows = outputs.table().changes().collectAsync();
        CloseableIterator<LateRows.LateRow> late = outputs.lateRows().collectAsync();
        JobClient job = env.executeAsync("interval join with an idle side");
        try {
            // The purchases go idle: the join's watermark is the clicks' and c1 has seen every purchase it could.
            assertThat(next(rows, 1)).containsExactly("2024-01-15 10:00:00|c1|u1|home|null|null|null|null|null");

            // p1 would have matched c1, which is gone: it is late at the join, not a second null-padded row.
            writeLines(purchases, "purchases_1.csv", "purchase_time,purchase_id,user_id,product_id,amount",
                    "2024-01-15T10:30:00,p1,u1,prod-a,10.0");
            Await.until("p1 counted late", Duration.ofSeconds(60), () -> lateCount(job) == 1);

            // Both sides move to 14:49:59.999: c9 (same key as p1) expires unmatched; p1 is not in the state.
            writeLines(clicks, "clicks_2.csv", "click_time,click_id,user_id,page", "2024-01-15T15:00:00,c20,u20,home");
            writeLines(purchases, "purchases_2.csv", "purchase_time,purchase_id,user_id,product_id,amount",
                    "2024-01-15T15:00:00,p20,u20,prod-b,2.5");
            assertThat(next(rows, 2)).containsExactly(
                    "2024-01-15 12:00:00|c9|u1|shoes|null|null|null|null|null",
                    "2024-01-15 15:00:00|c20|u20|home|2024-01-15 15:00:00|p20|u20|prod-b|2.5");
            assertThat(late.next()).isEqualTo(new LateRows.LateRow("2024-01-15 10:30:00", "2024-01-15 11:49:59.999",
                    "{\"purchase_time\":\"2024-01-15 10:30:00\",\"purchase_id\":\"p1\",\"user_id\":\"u1\","
                            + "\"product_id\":\"prod-a\",\"amount\":10.0}"));
            assertThat(lateCount(job)).isEqualTo(1);
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
            rows.close();
            late.close();
        }
    }

    /** The late rows counted so far (accumulators reach the JobManager with the TaskManager's heartbeats). */
    private static long lateCount(JobClient job) throws Exception {
        Object count = job.getAccumulators().get(30, TimeUnit.SECONDS).get(LateRows.LATE_ROWS);
        return count == null ? 0 : (Long) count;
    }

    /** A watched directory read by one reader: its watermark moves after every row, it idles when nothing comes. */
    private static DataStream<SourceLine> watched(StreamExecutionEnvironment env, Path dir) {
        return env.fromSource(FileSources.lines(dir.toString(), Trigger.CONTINUOUS, Duration.ofMillis(100)),
                WatermarkStrategy.noWatermarks(), dir.getFileName().toString()).setParallelism(1);
    }

    /** The next {@code count} rows as cells joined by |, sorted (rows of different keys come in any order). */
    private static List<String> next(CloseableIterator<Change> rows, int count) {
        List<Change> changes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            changes.add(rows.next());
        }
        return changes.stream().map(change -> String.join("|", dev.flinkpatterns.table.ShownValues.show(change.cells()))).sorted(Comparator.naturalOrder()).toList();
    }
}
