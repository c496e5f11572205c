package dev.flinkpatterns.patterns.medallion;

import static dev.flinkpatterns.testing.FlinkTests.writeLines;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.core.Api;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.parse.Timestamps;
import dev.flinkpatterns.testing.FailureInjector;
import dev.flinkpatterns.testing.Await;
import dev.flinkpatterns.testing.FlinkTests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once from stage to stage across restarts, with either lake (Parquet directories, Paimon tables read back
 * with Paimon's own reader): silver fails three times while bronze keeps committing new files
 * and silver keeps reading them; afterwards silver holds every event once (none lost, none twice) and gold over it is
 * exact. A restarted silver resumes from its last checkpoint: the part file it had in progress is dropped, the bronze
 * files it had read since are read again from the checkpointed position, and bronze files are only ever seen once
 * they are committed.
 */
class MedallionExactlyOnceTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster(FlinkTests.restarts());

    private static final int ROWS_PER_FILE = 4;
    private static final String[] CATEGORIES = {"home", "books", "electronics"};
    private static final long START = Instant.parse("2024-01-15T10:00:00Z").toEpochMilli();

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0} lake")
    @ValueSource(strings = {"parquet", "paimon"})
    void silverHoldsEveryEventOnceAfterThreeRestartsAndGoldIsExact(String kind) throws Exception {
        Path raw = Files.createDirectories(tmp.resolve("raw"));
        Lake lake;
        if (kind.equals("paimon")) {
            PaimonLake paimon = new PaimonLake(tmp.resolve("warehouse").toString(), PaimonLake.DATABASE);
            paimon.create("bronze", Clickstream.BRONZE);
            paimon.create("silver", Clickstream.SILVER);
            lake = paimon;
        } else {
            Files.createDirectories(tmp.resolve("lake/bronze"));
            Files.createDirectories(tmp.resolve("lake/silver"));
            lake = new ParquetLake(tmp.resolve("lake").toString());
        }
        Path userDim = writeLines(tmp.resolve("dim"), "user_dim.csv", ClickstreamInput.USER_DIM);
        String scenario = "medallion-silver-" + kind;

        StreamExecutionEnvironment bronzeEnv = MedallionTest.bronzeJob(raw, lake, tmp.resolve("lake/bronze-dead-letter"));
        bronzeEnv.enableCheckpointing(100);
        StreamExecutionEnvironment silverEnv = FlinkTests.environment();
        silverEnv.setParallelism(1);
        // Longer than bronze's: silver's part file in progress holds rows of several bronze files when it fails.
        silverEnv.enableCheckpointing(500);
        var bronzeRows = lake.read(silverEnv, "bronze", Clickstream.BRONZE, Trigger.DEFAULT, MedallionTest.DISCOVERY);
        Medallion.Silver silverRows = Medallion.silver(
                bronzeRows.map(FailureInjector.<Row>failAfterCheckpoints(scenario, 2, 1, 3)).returns(Clickstream.BRONZE.rowType()),
                Clickstream.userDim(userDim.toString()).pollInterval(MedallionTest.DISCOVERY));
        lake.write(silverRows.rows(), "silver", Clickstream.SILVER);

        JobClient bronzeJob = bronzeEnv.executeAsync("bronze");
        JobClient silverJob = silverEnv.executeAsync("silver under failures");
        int events = 0;
        try {
            // New raw files, one after the other once bronze has committed the last, until silver has failed three
            // times, and two more: rows keep flowing into silver across its restarts.
            int filesAfterLastFailure = 0;
            for (int file = 0; filesAfterLastFailure < 2; file++) {
                assertThat(file).as("files written before silver failed three times").isLessThan(300);
                if (FailureInjector.failures(scenario) == 3) {
                    filesAfterLastFailure++;
                }
                List<String> lines = new ArrayList<>();
                for (int i = 0; i < ROWS_PER_FILE; i++) {
                    lines.add(event(events++));
                }
                writeLines(raw, "clickstream_batch_" + file + ".json", lines.toArray(String[]::new));
                int written = events;
                Await.until("bronze to commit " + written + " rows", MedallionTest.TIMEOUT,
                        () -> LakeTables.lines(lake, "bronze", Clickstream.BRONZE).size() >= written);
            }
            int expected = events;
            Await.until("silver to hold " + expected + " events", MedallionTest.TIMEOUT,
                    () -> LakeTables.lines(lake, "silver", Clickstream.SILVER).size() >= expected);
        } finally {
            bronzeJob.cancel().get();
            silverJob.cancel().get();
        }

        assertThat(FailureInjector.failures(scenario)).isEqualTo(3);
        List<String> silverLines = LakeTables.lines(lake, "silver", Clickstream.SILVER);
        assertThat(silverLines).hasSize(events);
        TreeSet<String> eventIds = new TreeSet<>();
        silverLines.forEach(line -> eventIds.add(line.split("\\|")[1]));
        TreeSet<String> expectedIds = new TreeSet<>();
        for (int n = 0; n < events; n++) {
            expectedIds.add(eventId(n));
        }
        assertThat(eventIds).as("each event once").hasSize(events).isEqualTo(expectedIds);

        List<String> late = new ArrayList<>();
        assertThat(MedallionTest.gold(lake, Api.DATASTREAM, late)).isEqualTo(expectedGold(events));
        assertThat(late).isEmpty();
    }

    /** Event n: one a second from 10:00 (all within the 30-minute watermark, so none is late in any order). */
    private static String event(int n) {
        int user = n % 4 + 1;
        String time = Timestamps.display(START + n * 1000L).replace(' ', 'T') + ".000000";
        return "{\"event_id\":\"" + eventId(n) + "\",\"user_id\":" + user + ",\"session_id\":\"s-" + user
                + "\",\"event_type\":\"page_view\",\"page_url\":\"/p" + n + "\",\"page_category\":\""
                + CATEGORIES[n % CATEGORIES.length] + "\",\"timestamp\":\"" + time + "\",\"time_on_page\":"
                + (n % 10 + 0.5) + "}";
    }

    private static String eventId(int n) {
        return String.format("e-%06d", n + 1);
    }

    /** Gold counted by hand from the events: 5-minute windows by category and segment (users 1, 2 premium; 3, 4 regular). */
    private static List<List<String>> expectedGold(int events) {
        Map<String, List<Integer>> windows = new TreeMap<>();
        for (int n = 0; n < events; n++) {
            long windowStart = START + n * 1000L / 300_000 * 300_000;
            String segment = n % 4 + 1 <= 2 ? "premium" : "regular";
            windows.computeIfAbsent(windowStart + "|" + CATEGORIES[n % CATEGORIES.length] + "|" + segment,
                    key -> new ArrayList<>()).add(n);
        }
        List<List<String>> rows = new ArrayList<>();
        windows.forEach((key, rowsOfWindow) -> {
            String[] parts = key.split("\\|");
            long start = Long.parseLong(parts[0]);
            double sum = rowsOfWindow.stream().mapToDouble(n -> n % 10 + 0.5).sum();
            long users = rowsOfWindow.stream().map(n -> n % 4 + 1).distinct().count();
            rows.add(List.of(Timestamps.display(start), Timestamps.display(start + 300_000), parts[1], parts[2],
                    Integer.toString(rowsOfWindow.size()), Long.toString(users),
                    Double.toString(Math.round(sum / rowsOfWindow.size() * 1_000_000d) / 1_000_000d)));
        });
        return rows;
    }
}
