package dev.flinkpatterns.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.parse.ParseOrDeadLetter;
import dev.flinkpatterns.testing.FlinkTests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The taxi and clicks datasets through the file source and {@link FileSources#rows}: typed rows, and dead letters naming the column. */
class ReaderOptionsFilesTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    @TempDir
    Path tmp;

    @Test
    void taxiRowsAndTheLinesThatDoNotFit() throws Exception {
        Path input = tmp.resolve("taxi");
        Files.createDirectories(input);
        for (String name : List.of("trips-1.csv", "trips-2.csv")) {
            Files.copy(TestDatasets.taxi().resolve(name), input.resolve(name));
        }
        Files.writeString(input.resolve("trips-3.csv"), "15/01/2024 10:05,15/01/2024 10:25,Midtown,23.505,1\n"
                + "15/01/2024 10:06,15/01/2024 10:26,Midtown,9.10\n");

        assertThat(run(input, TestDatasets.taxiOptions())).containsExactly(
                "+I[2024-01-15T08:05, 2024-01-15T08:25, Midtown, 23.50, 1]",
                "+I[2024-01-15T08:12, 2024-01-15T08:40, Newark, Airport, 71.25, 2]",
                "+I[2024-01-15T08:31, 2024-01-15T08:44, Midtown, 12.00, 1]",
                "+I[2024-01-15T09:02, 2024-01-15T09:30, Harlem, 18.75, 3]",
                "+I[2024-01-15T09:15, 2024-01-15T09:21, Midtown, 7.80, 1]",
                "+I[2024-01-15T09:48, 2024-01-15T10:20, Newark, Airport, 68.00, 4]",
                "dead letter trips-3.csv:1 fare does not fit DECIMAL(10,2): '23.505' has more than 2 decimal places",
                "dead letter trips-3.csv:2 expected 5 fields (pickup_at,dropoff_at,zone,fare,passengers) but found 4");
    }

    @Test
    void clicksWithRescuedData() throws Exception {
        assertThat(run(TestDatasets.clicks(), TestDatasets.clicksOptions(true))).containsExactly(
                "+I[c1, 2024-01-15T10:00:03, +I[42, DE], /home, [promo, mobile], null]",
                "+I[c2, 2024-01-15T10:00:09, +I[7, FR], /cart, [], {\"referrer\":\"search\"}]",
                "+I[c3, 2024-01-15T10:01:30, +I[42, DE], /checkout, [mobile], null]",
                "+I[c4, 2024-01-15T10:02, +I[99, null], /home, [promo], {\"referrer\":\"ad\"}]",
                "+I[c5, 2024-01-15T10:02:45, +I[7, FR], /home, null, null]");
    }

    /** The rows (in their type's text) and dead letters of a directory, sorted. */
    private static List<String> run(Path input, ReaderOptions options) throws Exception {
        StreamExecutionEnvironment env = FlinkTests.environment();
        env.setParallelism(2);
        var lines = env.fromSource(FileSources.lines(input.toString(), Trigger.AVAILABLE_NOW,
                FileSources.DEFAULT_DISCOVERY_INTERVAL), WatermarkStrategy.noWatermarks(), "lines");
        ParseOrDeadLetter.Parsed<Row> parsed = FileSources.rows(lines, options);
        var rows = parsed.records().map(Row::toString).returns(Types.STRING);
        var dead = parsed.deadLetters()
                .map(letter -> "dead letter " + Path.of(letter.source()).getFileName() + ":" + letter.line() + " " + letter.reason())
                .returns(Types.STRING);
        List<String> out = new ArrayList<>();
        try (var it = rows.union(dead).executeAndCollect()) {
            it.forEachRemaining(out::add);
        }
        out.sort(null);
        return out;
    }
}
