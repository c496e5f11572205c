package dev.flinkpatterns.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.testing.FlinkTests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.assigners.FileSplitAssigner;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Spark's maxFilesPerTrigger: at most N files per discovery round, oldest first. */
class FilesMaxPerTriggerTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    @TempDir
    Path tmp;

    private static FileSourceSplit file(String name, long modified) {
        return new FileSourceSplit(name, new org.apache.flink.core.fs.Path("/in/" + name), 0, 10, modified, 10);
    }

    private static Optional<String> next(FileSplitAssigner assigner) {
        return assigner.getNext(null).map(split -> split.path().getName());
    }

    @Test
    void eachRoundHandsOutAtMostNFilesOldestFirst() {
        AtomicLong nanos = new AtomicLong();
        Duration round = Duration.ofSeconds(1);
        FileSplitAssigner assigner = new MaxFilesPerTrigger(new OldestFilesFirst(List.of()), 1, round, nanos::get);

        // Round 1 finds three files: only the oldest is handed out, however many readers ask.
        nanos.set(round.toNanos());
        assigner.addSplits(List.of(file("c.csv", 3), file("a.csv", 1), file("b.csv", 2)));
        assertThat(next(assigner)).contains("a.csv");
        assertThat(next(assigner)).isEmpty();
        // A delayed round that arrives right behind it (fixed-rate catch-up) shares its budget.
        nanos.addAndGet(1_000_000);
        assigner.addSplits(List.of());
        assertThat(next(assigner)).isEmpty();
        // Round 2 finds nothing new: the next file waits no longer.
        nanos.set(2 * round.toNanos());
        assigner.addSplits(List.of());
        assertThat(next(assigner)).contains("b.csv");
        assertThat(next(assigner)).isEmpty();
        assertThat(assigner.remainingSplits()).extracting(split -> split.path().getName()).containsExactly("c.csv");
        nanos.set(3 * round.toNanos());
        assigner.addSplits(List.of(file("d.csv", 4)));
        assertThat(next(assigner)).contains("c.csv");
        assertThat(next(assigner)).isEmpty();

        FileSplitAssigner two = MaxFilesPerTrigger.provider(2, round).create(List.of(file("b.csv", 2), file("a.csv", 1), file("c.csv", 3)));
        assertThat(next(two)).contains("a.csv");
        assertThat(next(two)).contains("b.csv");
        assertThat(next(two)).isEmpty();
    }

    @Test
    void withOneFilePerTriggerThreeFilesAreTakenOneAtATime() throws Exception {
        Path input = tmp.resolve("input");
        for (int i = 0; i < 3; i++) {
            Path file = FlinkTests.writeLines(input, "batch_" + i + ".csv", "file " + i + " line 1", "file " + i + " line 2",
                    "file " + i + " line 3");
            Files.setLastModifiedTime(file, FileTime.fromMillis(1_700_000_000_000L + i * 1000L));
        }
        Duration round = Duration.ofSeconds(1);

        StreamExecutionEnvironment env = FlinkTests.environment();
        env.setParallelism(2);
        var lines = env.fromSource(FileSources.lines(input.toString(), Trigger.DEFAULT, round, 1), WatermarkStrategy.noWatermarks(), "files")
                .map(line -> Tuple2.of(line.text(), System.currentTimeMillis()))
                .returns(Types.TUPLE(Types.STRING, Types.LONG));
        List<Tuple2<String, Long>> seen = new ArrayList<>();
        // The source watches forever: take the 9 lines, then closing the iterator cancels the job.
        try (var it = lines.executeAndCollect()) {
            while (seen.size() < 9 && it.hasNext()) {
                seen.add(it.next());
            }
        }

        // Both readers are idle all along, yet the files come one per round, in order, never two at once.
        assertThat(seen).extracting(line -> line.f0).containsExactly(
                "file 0 line 1", "file 0 line 2", "file 0 line 3",
                "file 1 line 1", "file 1 line 2", "file 1 line 3",
                "file 2 line 1", "file 2 line 2", "file 2 line 3");
        // Without the limit all three come in the first round, milliseconds apart; with it, two rounds apart.
        long firstToLast = seen.get(6).f1 - seen.get(0).f1;
        assertThat(firstToLast).isGreaterThanOrEqualTo(round.toMillis());
    }
}
