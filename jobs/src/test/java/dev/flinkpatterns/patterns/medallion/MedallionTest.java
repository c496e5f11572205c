package dev.flinkpatterns.patterns.medallion;

import static dev.flinkpatterns.testing.FlinkTests.linesOfVisibleFiles;
import static dev.flinkpatterns.testing.FlinkTests.writeLines;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.core.Api;
import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.ProcessingClock;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.DeadLetter;
import dev.flinkpatterns.io.FileSources;
import dev.flinkpatterns.io.Sinks;
import dev.flinkpatterns.run.PatternOutputs;
import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.testing.Await;
import dev.flinkpatterns.testing.FlinkTests;
import dev.flinkpatterns.time.LateRows;
import dev.flinkpatterns.time.WatermarkSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The medallion stages as separate continuous jobs on one cluster, bronze running while silver reads what it
 * commits, on a small fixed input: the exact bronze rows (raw line, file, line number, ingest time), the exact silver
 * rows and dead letters (bronze's: the lines its reader refused, not UTF-8 and too long), then gold over silver,
 * in both APIs: every window row, and the late row it dropped.
 */
class MedallionTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    static final Duration DISCOVERY = Duration.ofMillis(100);
    static final long INGEST_TIME = Instant.parse("2024-06-01T12:00:00Z").toEpochMilli();
    static final Duration TIMEOUT = Duration.ofSeconds(90);
    static final int MAX_LINE_BYTES = 1000;

    @TempDir
    Path tmp;

    @Test
    void bronzeSilverAndGoldAsSeparateJobsGiveExactTables() throws Exception {
        Path raw = Files.createDirectories(tmp.resolve("raw"));
        Path bronze = Files.createDirectories(tmp.resolve("lake/bronze"));
        Path silver = Files.createDirectories(tmp.resolve("lake/silver"));
        Path deadLetters = tmp.resolve("lake/dead-letter");
        Path bronzeDeadLetters = tmp.resolve("lake/bronze-dead-letter");
        Path userDim = writeLines(tmp.resolve("dim"), "user_dim.csv", ClickstreamInput.USER_DIM);

        JobClient bronzeJob = bronzeJob(raw, bronze, bronzeDeadLetters).executeAsync("bronze");
        JobClient silverJob = silverJob(bronze, userDim, silver, deadLetters).executeAsync("silver");
        try {
            Path batch0 = writeLines(raw, "clickstream_batch_0.json", ClickstreamInput.BATCH_0);
            Await.until("silver to hold batch 0's six events", TIMEOUT,
                    () -> LakeTables.lines(silver, Clickstream.SILVER).size() == 6);
            // Batch 1 ends with two lines its reader refuses: bronze must not keep them, silver must not see them.
            byte[] notUtf8 = ClickstreamInput.click("e-000013", 2, "\"viXXew\"", "home", "10:41:00.000000", "1.0")
                    .getBytes(StandardCharsets.UTF_8);
            int firstBadByte = new String(notUtf8, StandardCharsets.UTF_8).indexOf("XX");
            notUtf8[firstBadByte] = (byte) 0xE9;
            notUtf8[firstBadByte + 1] = (byte) 0xE9;
            String tooLong = "{\"event_id\":\"e-000014\",\"pad\":\"" + "x".repeat(MAX_LINE_BYTES + 100) + "\"}";
            Path batch1 = raw.resolve("clickstream_batch_1.json");
            Path hidden = raw.resolve(".clickstream_batch_1.json");
            Files.write(hidden, (String.join("\n", ClickstreamInput.BATCH_1) + "\n").getBytes(StandardCharsets.UTF_8));
            Files.write(hidden, notUtf8, StandardOpenOption.APPEND);
            Files.write(hidden, ("\n" + tooLong + "\n").getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
            Files.move(hidden, batch1, StandardCopyOption.ATOMIC_MOVE);
            Await.until("bronze to hold or refuse all 14 lines, and silver to hold batch 1's events", TIMEOUT,
                    () -> LakeTables.lines(bronze, Clickstream.BRONZE).size() + linesOfVisibleFiles(bronzeDeadLetters).size() == 14
                            && LakeTables.lines(silver, Clickstream.SILVER).size() >= 8
                            && !linesOfVisibleFiles(deadLetters).isEmpty());

            List<String> expectedBronze = new ArrayList<>();
            for (int i = 0; i < ClickstreamInput.BATCH_0.length; i++) {
                expectedBronze.add(ClickstreamInput.BATCH_0[i] + "|file:" + batch0 + "|" + (i + 1) + "|2024-06-01 12:00:00");
            }
            for (int i = 0; i < ClickstreamInput.BATCH_1.length; i++) {
                expectedBronze.add(ClickstreamInput.BATCH_1[i] + "|file:" + batch1 + "|" + (i + 1) + "|2024-06-01 12:00:00");
            }
            expectedBronze.sort(null);
            assertThat(LakeTables.lines(bronze, Clickstream.BRONZE)).hasSize(12).containsExactlyElementsOf(expectedBronze);
            assertThat(LakeTables.lines(silver, Clickstream.SILVER)).containsExactlyElementsOf(ClickstreamInput.SILVER);
            assertThat(linesOfVisibleFiles(deadLetters)).containsExactly("{\"path\":\"file:" + batch0 + "\",\"line\":7,"
                    + "\"record\":\"{\\\"event_id\\\":\\\"e-000007\\\",\\\"user_id\\\":\","
                    + "\"reason\":\"not valid JSON: the line ends inside a value\"}");
            assertThat(linesOfVisibleFiles(bronzeDeadLetters)).containsExactly(
                    new DeadLetter("file:" + batch1, 3, new String(notUtf8, StandardCharsets.UTF_8),
                            "invalid UTF-8: 0xE9 at byte " + (firstBadByte + 1) + " of the line").toJson(),
                    new DeadLetter("file:" + batch1, 4, tooLong.substring(0, MAX_LINE_BYTES),
                            "line too long: " + tooLong.length() + " bytes, more than the limit of " + MAX_LINE_BYTES
                                    + " bytes (--max-line-length); the record holds its first " + MAX_LINE_BYTES
                                    + " bytes").toJson());
            assertThat(linesOfVisibleFiles(bronzeDeadLetters).get(0)).contains("vi\uFFFD\uFFFDew");
        } finally {
            bronzeJob.cancel().get();
            silverJob.cancel().get();
        }

        for (Api api : Api.values()) {
            List<String> late = new ArrayList<>();
            assertThat(gold(silver, api, late)).as("gold in " + api).containsExactlyElementsOf(ClickstreamInput.GOLD);
            assertThat(late).as("late rows in " + api).containsExactly(ClickstreamInput.LATE_ROW);
        }
    }

    @Test
    void goldInSqlIsTheWorkshopsQueryOverAWindowTableFunction() {
        var query = Clickstream.goldQuery(Duration.ofMinutes(5), WatermarkSettings.of(Duration.ofMinutes(30)));
        assertThat(dev.flinkpatterns.patterns.windows.WindowAggregation.sqlText(query)).isEqualTo("""
                SELECT window_start, window_end, `page_category`, `user_segment`, COUNT(*) AS `page_views`, \
                COUNT(DISTINCT `user_id`) AS `unique_users`, AVG(`time_on_page`) AS `avg_time_on_page`
                FROM TABLE(TUMBLE(TABLE measurements, DESCRIPTOR(event_time), INTERVAL '0 00:05:00.000' DAY(9) TO SECOND(3)))
                GROUP BY window_start, window_end, `page_category`, `user_segment`""");
    }

    /** Bronze: the raw directory, watched; one reader, so the lines of a file stay in order. */
    static StreamExecutionEnvironment bronzeJob(Path raw, Path bronze, Path deadLetters) {
        return bronzeJob(raw, new ParquetLake(bronze.getParent().toString()), deadLetters);
    }

    /** Bronze into {@code lake}'s table bronze. */
    static StreamExecutionEnvironment bronzeJob(Path raw, Lake lake, Path deadLetters) {
        StreamExecutionEnvironment env = FlinkTests.environment();
        env.setParallelism(1);
        env.enableCheckpointing(200);
        var lines = env.fromSource(FileSources.lines(raw.toString(), Trigger.DEFAULT, DISCOVERY, FileSources.UNLIMITED,
                MAX_LINE_BYTES), WatermarkStrategy.noWatermarks(), "raw");
        Medallion.Bronze rows = Medallion.bronze(lines, ProcessingClock.fixed(INGEST_TIME));
        lake.write(rows.rows(), "bronze", Clickstream.BRONZE);
        rows.deadLetters().sinkTo(Sinks.deadLetters(deadLetters.toString()));
        return env;
    }

    /** Silver: bronze's committed files as they appear, joined with the user dimension file. */
    static StreamExecutionEnvironment silverJob(Path bronze, Path userDim, Path silver, Path deadLetters) {
        StreamExecutionEnvironment env = FlinkTests.environment();
        env.setParallelism(1);
        env.enableCheckpointing(200);
        var bronzeRows = Medallion.read(env, bronze.toString(), Clickstream.BRONZE, Trigger.DEFAULT, DISCOVERY, "bronze");
        Medallion.Silver rows = Medallion.silver(bronzeRows,
                Clickstream.userDim(userDim.toString()).pollInterval(DISCOVERY));
        Medallion.write(rows.rows(), silver.toString(), Clickstream.SILVER, "silver");
        rows.deadLetters().sinkTo(Sinks.deadLetters(deadLetters.toString()));
        return env;
    }

    /**
     * Gold over the silver files there now, read by one reader oldest first with the watermark after every row: the
     * window rows sorted as the result table sorts them; the late rows' JSON added to {@code late}.
     */
    static List<List<String>> gold(Path silver, Api api, List<String> late) throws Exception {
        return gold(new ParquetLake(silver.getParent().toString()), api, late);
    }

    /** Gold over {@code lake}'s table silver as it is committed now. */
    static List<List<String>> gold(Lake lake, Api api, List<String> late) throws Exception {
        StreamExecutionEnvironment env = FlinkTests.environment();
        env.setParallelism(1);
        var silverRows = lake.read(env, "silver", Clickstream.SILVER, Trigger.AVAILABLE_NOW, DISCOVERY).setParallelism(1);
        var query = Clickstream.goldQuery(Duration.ofMinutes(5),
                new WatermarkSettings(Duration.ofMinutes(30), null, Duration.ZERO, true));
        PatternOutputs outputs = Medallion.gold(silverRows, query, api, OutputMode.APPEND, Trigger.AVAILABLE_NOW);
        List<Change> changes = new ArrayList<>();
        try (CloseableIterator<Change> table = outputs.table().changes().collectAsync();
                CloseableIterator<LateRows.LateRow> lateRows = outputs.lateRows().collectAsync()) {
            env.executeAsync("gold (" + api.cliName() + ")");
            table.forEachRemaining(changes::add);
            lateRows.forEachRemaining(row -> late.add(row.toJson()));
        }
        assertThat(outputs.table().columns()).containsExactly("window_start", "window_end", "page_category", "user_segment",
                "page_views", "unique_users", "avg_time_on_page");
        return changes.stream().sorted(Comparator.comparing(Change::key)).map(change -> dev.flinkpatterns.table.ShownValues.show(change.cells())).toList();
    }
}
