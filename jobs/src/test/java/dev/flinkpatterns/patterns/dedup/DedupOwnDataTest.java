package dev.flinkpatterns.patterns.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.core.Api;
import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.DeadLetter;
import dev.flinkpatterns.io.RowInput;
import dev.flinkpatterns.io.TestDatasets;
import dev.flinkpatterns.run.PatternOutputs;
import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.testing.EventTimeInputs;
import dev.flinkpatterns.testing.FlinkTests;
import dev.flinkpatterns.time.LateRows;
import dev.flinkpatterns.time.WatermarkSettings;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * dedup over the taxi dataset (no header, its own timestamp format, DECIMAL fares) by zone, with pickup_at as the
 * event time: the first row per zone with all the schema's typed columns, a late row and a dead letter.
 */
class DedupOwnDataTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    @Test
    @Timeout(120)
    void firstTripPerZoneTypedWithLateRowsAndDeadLetters() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(TestDatasets.taxi().resolve("trips-1.csv")));
        lines.addAll(Files.readAllLines(TestDatasets.taxi().resolve("trips-2.csv")));
        lines.add("15/01/2024 08:00,15/01/2024 08:10,Harlem,5.00,1");     // behind the watermark (09:18): late
        lines.add("15/01/2024 10:30,soon,Midtown,1.00,1");                // dropoff_at is no time: a dead letter
        StreamExecutionEnvironment env = FlinkTests.environment();
        var watermark = WatermarkSettings.of(Duration.ofMinutes(30)).emittedOnEveryEvent();
        PatternOutputs outputs = Deduplication.dropDuplicates(RowInput.ofLines(
                EventTimeInputs.asFile(env, lines.toArray(String[]::new)), TestDatasets.taxiOptions()), List.of("zone"), "pickup_at", watermark, Api.DATASTREAM, OutputMode.APPEND, Trigger.AVAILABLE_NOW);
        CloseableIterator<Change> changes = outputs.table().changes().collectAsync();
        CloseableIterator<DeadLetter> deadLetters = outputs.deadLetters().collectAsync();
        CloseableIterator<LateRows.LateRow> lateRows = outputs.lateRows().collectAsync();
        JobClient job = env.executeAsync();
        List<List<Object>> rows = new ArrayList<>();
        changes.forEachRemaining(change -> rows.add(change.cells()));
        List<DeadLetter> letters = new ArrayList<>();
        deadLetters.forEachRemaining(letters::add);
        List<LateRows.LateRow> late = new ArrayList<>();
        lateRows.forEachRemaining(late::add);
        job.getJobExecutionResult().get(60, TimeUnit.SECONDS);

        rows.sort(Comparator.comparing(row -> (LocalDateTime) row.get(0)));
        // Midtown 08:31 and 09:15 are duplicates of 08:05, still remembered (until the watermark passes 08:35);
        // Newark's 08:12 is forgotten once the watermark passes 08:42, so its 09:48 trip is a first row again.
        assertThat(rows).containsExactly(
                List.of(time("08:05"), time("08:25"), "Midtown", new BigDecimal("23.50"), 1),
                List.of(time("08:12"), time("08:40"), "Newark, Airport", new BigDecimal("71.25"), 2),
                List.of(time("09:02"), time("09:30"), "Harlem", new BigDecimal("18.75"), 3),
                List.of(time("09:48"), time("10:20"), "Newark, Airport", new BigDecimal("68.00"), 4));
        assertThat(outputs.table().schema().names()).containsExactly("pickup_at", "dropoff_at", "zone", "fare", "passengers");
        assertThat(letters).singleElement().satisfies(letter -> {
            assertThat(letter.line()).isEqualTo(8);
            assertThat(letter.reason()).isEqualTo("dropoff_at: timestamp does not match the pattern 'dd/MM/yyyy HH:mm': 'soon'");
        });
        assertThat(late).singleElement().asString().contains("Harlem").contains("5.00");
    }

    private static LocalDateTime time(String hourMinute) {
        return LocalDateTime.parse("2024-01-15T" + hourMinute);
    }
}
