package dev.flinkpatterns.patterns.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flinkpatterns.core.Api;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.FileFormat;
import dev.flinkpatterns.io.FileSources;
import dev.flinkpatterns.io.Sinks;
import dev.flinkpatterns.parse.Timestamps;
import dev.flinkpatterns.run.PatternOutputs;
import dev.flinkpatterns.testing.FlinkTests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fan-out on a small hand-checked input, in both APIs: every row lands in exactly the routes whose filter it
 * passes (overlapping routes, a row no route takes, a malformed line that becomes a dead letter), in each route's
 * own format.
 */
class FanOutTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    private static final List<Route> ROUTES = List.of(
            Route.parse("purchases:parquet:event=purchase", FanOut.EVENTS),
            Route.parse("not_views:json:event!=view", FanOut.EVENTS),
            Route.parse("user_one:csv:user_id=1", FanOut.EVENTS));

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(Api.class)
    void everyRowLandsInExactlyTheRoutesWhoseFilterItPasses(Api api) throws Exception {
        Path input = tmp.resolve("input");
        FlinkTests.writeLines(input, "event_batch_0.csv", "timestamp,user_id,event",
                "2026-01-01T10:00:00.000000,1,login",
                "2026-01-01T10:00:05.000000,2,view",
                "2026-01-01T10:00:10.000000,1,purchase",
                "this is not a row");
        FlinkTests.writeLines(input, "event_batch_1.csv", "timestamp,user_id,event",
                "2026-01-01T10:01:00.000000,3,purchase",
                "2026-01-01T10:01:05.000000,1,view",
                "2026-01-01T10:01:10.000000,2,logout");
        Path output = tmp.resolve("output");

        StreamExecutionEnvironment env = FlinkTests.environment();
        env.setParallelism(2);
        env.enableCheckpointing(500);
        var lines = env.fromSource(FileSources.lines(input.toString(), Trigger.AVAILABLE_NOW,
                FileSources.DEFAULT_DISCOVERY_INTERVAL), WatermarkStrategy.noWatermarks(), "csv files");
        PatternOutputs outputs = FanOut.fanOut(lines, FanOut.EVENTS, ROUTES, output.toString(), api);
        outputs.deadLetters().sinkTo(Sinks.deadLetters(output.resolve("dead-letter").toString()));
        env.execute("fan-out " + api.cliName());

        assertThat(outputs.hasResultTable()).isFalse();
        assertThat(outputs.ownResultDirs()).containsExactly(
                output + "/purchases", output + "/not_views", output + "/user_one");
        assertThat(rows(output.resolve("purchases"), FileFormat.PARQUET)).containsExactly(
                "2026-01-01 10:00:10,1,purchase",
                "2026-01-01 10:01:00,3,purchase");
        assertThat(rows(output.resolve("not_views"), FileFormat.JSON)).containsExactly(
                "2026-01-01 10:00:00,1,login",
                "2026-01-01 10:00:10,1,purchase",
                "2026-01-01 10:01:00,3,purchase",
                "2026-01-01 10:01:10,2,logout");
        assertThat(rows(output.resolve("user_one"), FileFormat.CSV)).containsExactly(
                "2026-01-01 10:00:00,1,login",
                "2026-01-01 10:00:10,1,purchase",
                "2026-01-01 10:01:05,1,view");
        assertThat(FlinkTests.linesOfVisibleFiles(output.resolve("dead-letter")))
                .singleElement().asString().contains("this is not a row");
    }

    @Test
    void theSqlIsOneInsertPerRouteWithTheSameFilter() {
        assertThat(FanOut.insertSql(ROUTES.get(1), FanOut.EVENTS))
                .isEqualTo("INSERT INTO `not_views` SELECT * FROM events WHERE `event` NOT IN ('view')");
        assertThat(FanOut.insertSql(ROUTES.get(2), FanOut.EVENTS))
                .isEqualTo("INSERT INTO `user_one` SELECT * FROM events WHERE `user_id` IN (1)");
    }

    @Test
    void aRouteIsAFilesystemTableOfTheViewsColumns() {
        var env = FlinkTests.environment();
        var rows = env.fromData(FanOut.EVENTS.rowType(), Row.of(java.time.LocalDateTime.of(2026, 1, 1, 10, 0), 1, "view"));
        var tables = dev.flinkpatterns.sql.SqlEnvironments.on(env);
        tables.createTemporaryView(FanOut.VIEW, tables.fromDataStream(rows));
        assertThat(FanOut.createTableSql(ROUTES.get(0), tables.from(FanOut.VIEW).getResolvedSchema(), "/data/purchases"))
                .isEqualTo("""
                        CREATE TEMPORARY TABLE `purchases` (
                          `timestamp` TIMESTAMP(9),
                          `user_id` INT,
                          `event` STRING
                        ) WITH (
                          'connector' = 'filesystem',
                          'path' = '/data/purchases',
                          'format' = 'parquet',
                          'parquet.write.int64.timestamp' = 'true',
                          'parquet.timestamp.time.unit' = 'millis'
                        )""");
    }

    /** The rows of a route's visible part files as {@code time,user_id,event}, sorted, whichever API wrote them. */
    private static List<String> rows(Path dir, FileFormat format) throws Exception {
        List<String> rows = new ArrayList<>();
        if (format == FileFormat.PARQUET) {
            StreamExecutionEnvironment env = FlinkTests.environment();
            env.setParallelism(1);
            var source = FileSources.parquet(dir.toString(), FanOut.EVENTS, Trigger.AVAILABLE_NOW,
                    FileSources.DEFAULT_DISCOVERY_INTERVAL, FileSources.UNLIMITED);
            try (var it = env.fromSource(source, WatermarkStrategy.noWatermarks(), "parquet").executeAndCollect()) {
                while (it.hasNext()) {
                    Row row = it.next();
                    rows.add(dev.flinkpatterns.io.RowSchema.text(row.getField(0)) + "," + row.getField(1) + "," + row.getField(2));
                }
            }
        } else {
            ObjectMapper json = new ObjectMapper();
            for (String line : FlinkTests.linesOfVisibleFiles(dir)) {
                if (line.equals("timestamp,user_id,event")) {
                    continue; // a CSV part file's header
                }
                if (format == FileFormat.JSON) {
                    JsonNode row = json.readTree(line);
                    rows.add(time(row.get("timestamp").asText()) + "," + row.get("user_id").asInt() + "," + row.get("event").asText());
                } else {
                    String[] fields = line.split(",");
                    rows.add(time(fields[0]) + "," + fields[1] + "," + fields[2]);
                }
            }
        }
        rows.sort(null);
        return rows;
    }

    private static String time(String text) throws Exception {
        return Timestamps.display(Timestamps.parseMillis(text.replace("\"", "")));
    }
}
