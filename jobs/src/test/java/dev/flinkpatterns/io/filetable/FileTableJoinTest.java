package dev.flinkpatterns.io.filetable;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.testing.FlinkTests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.functions.windowing.ProcessAllWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FileTable#join} on the MiniCluster: LEFT and INNER with the file's dead letters (bounded), and event time
 * after the join while the file is watched (the file's side holds no watermark back once it has a version; orders
 * that waited for it keep their timestamps and are not late).
 */
class FileTableJoinTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    @TempDir
    Path tmp;

    private List<String> join(FileTable.JoinType type) throws Exception {
        Path file = Files.writeString(tmp.resolve("catalog.csv"), String.join("\n", FileTableSourceTest.HEADER,
                "p1,pen,1.5", "p2,ink,", "p3,paper,cheap") + "\n");
        StreamExecutionEnvironment env = FlinkTests.environment();
        if (type == FileTable.JoinType.INNER) {
            env.getConfig().disableObjectReuse(); // chained operators then copy the versions with their serializers
        }
        env.setParallelism(2);
        DataStream<String> orders = env.fromData("o1:p1", "o2:p2", "o3:p3", "o4:p1", "o5:p9");
        FileTable catalog = FileTable.csv("catalog", file.toString(), FileTableSourceTest.CATALOG, "product_id")
                .bounded(true);
        FileTable.Joined<String> joined = catalog.join(orders, order -> order.split(":")[1], type,
                (order, product) -> order + "=" + (product == null ? null : product.getField(1) + "/" + product.getField(2)),
                Types.STRING);
        List<String> out = new ArrayList<>();
        joined.rows().union(joined.deadLetters().map(dead -> "dead letter " + dead.line() + ": " + dead.reason()))
                .executeAndCollect().forEachRemaining(out::add);
        return out;
    }

    @Test
    @Timeout(60)
    void leftKeepsRowsWithoutATableRow() throws Exception {
        assertThat(join(FileTable.JoinType.LEFT)).containsExactlyInAnyOrder(
                "o1:p1=pen/1.5", "o2:p2=ink/null", "o3:p3=null", "o4:p1=pen/1.5", "o5:p9=null",
                "dead letter 4: price is not a number: 'cheap'");
    }

    @Test
    @Timeout(60)
    void innerDropsThem() throws Exception {
        assertThat(join(FileTable.JoinType.INNER)).containsExactlyInAnyOrder(
                "o1:p1=pen/1.5", "o2:p2=ink/null", "o4:p1=pen/1.5",
                "dead letter 4: price is not a number: 'cheap'");
    }

    @Test
    @Timeout(60)
    void eventTimeWindowsAfterTheJoinSeeEveryOrderWhileTheFileIsWatched() throws Exception {
        Path file = Files.writeString(tmp.resolve("catalog.csv"), FileTableSourceTest.HEADER + "\np1,pen,1.5\n");
        StreamExecutionEnvironment env = FlinkTests.environment();
        env.setParallelism(2);
        DataStream<String> orders = env.fromData("o1:p1", "o2:p2", "o3:p1")
                .assignTimestampsAndWatermarks(WatermarkStrategy.<String>forMonotonousTimestamps()
                        .withTimestampAssigner((order, previous) -> 1000L * (order.charAt(1) - '0')));
        // Not bounded: the file's source never ends, so only its watermark lets the window close.
        FileTable catalog = FileTable.csv("catalog", file.toString(), FileTableSourceTest.CATALOG, "product_id")
                .pollInterval(Duration.ofMillis(50));
        FileTable.Joined<String> joined = catalog.join(orders, order -> order.split(":")[1], FileTable.JoinType.LEFT,
                (order, product) -> order + "=" + (product == null ? null : product.getField(1)), Types.STRING);
        DataStream<String> windows = joined.rows()
                .windowAll(TumblingEventTimeWindows.of(Duration.ofSeconds(10)))
                .process(new ProcessAllWindowFunction<String, String, TimeWindow>() {
                    @Override
                    public void process(Context context, Iterable<String> rows, Collector<String> out) {
                        List<String> sorted = new ArrayList<>();
                        rows.forEach(sorted::add);
                        sorted.sort(null);
                        out.collect(context.window().getStart() + " " + sorted);
                    }
                });
        assertThat(windows.executeAndCollect(1)).containsExactly("0 [o1:p1=pen, o2:p2=null, o3:p1=pen]");
    }
}
