package dev.flinkpatterns.patterns;

import static dev.flinkpatterns.testing.FlinkTests.writeLines;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.FileSources;
import dev.flinkpatterns.io.SocketTextSource;
import dev.flinkpatterns.io.SourceLine;
import dev.flinkpatterns.parse.ParseOrDeadLetter;
import dev.flinkpatterns.patterns.csv.CsvPatterns;
import dev.flinkpatterns.patterns.socket.SocketWordCount;
import dev.flinkpatterns.run.PatternOutputs;
import dev.flinkpatterns.table.ResultBatch;
import dev.flinkpatterns.testing.Batches;
import dev.flinkpatterns.testing.FlinkTests;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The patterns' topologies on unbounded sources: results while the job runs, waited for, never slept for. */
class StreamingPatternsTest {

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            FlinkTests.miniCluster(METRICS.addToConfiguration(new org.apache.flink.configuration.Configuration()));

    @TempDir
    Path tmp;

    @Test
    @Timeout(120)
    void csvAggPicksUpFilesThatArriveWhileTheJobRuns() throws Exception {
        Path input = tmp.resolve("input");
        writeLines(input, "event_batch_0.csv", "timestamp,user_id,event",
                "2025-07-15T15:03:21.000001,3,logout", "2025-07-15T15:03:21.000002,2,login");
        StreamExecutionEnvironment env = FlinkTests.environment();
        DataStream<SourceLine> lines = env.fromSource(
                FileSources.lines(input.toString(), Trigger.DEFAULT, Duration.ofMillis(100)),
                WatermarkStrategy.noWatermarks(), "csv files");
        PatternOutputs outputs = CsvPatterns.eventCounts(lines, OutputMode.COMPLETE, Trigger.DEFAULT);
        CloseableIterator<ResultBatch> results = outputs.results().collectAsync();
        JobClient job = env.executeAsync("csv-agg while files arrive");
        Batches batches = new Batches(results);
        try {
            ResultBatch first = batches.awaitTable("""
                    +------+-----+
                    | event|count|
                    +------+-----+
                    | login|    1|
                    |logout|    1|
                    +------+-----+
                    """);

            writeLines(input, "event_batch_1.csv", "timestamp,user_id,event",
                    "2025-07-15T15:03:24.000001,1,login", "2025-07-15T15:03:24.000002,4,view");
            ResultBatch second = batches.awaitTable("""
                    +------+-----+
                    | event|count|
                    +------+-----+
                    | login|    2|
                    |logout|    1|
                    |  view|    1|
                    +------+-----+
                    """);

            writeLines(input, "event_batch_2.csv", "timestamp,user_id,event", "2025-07-15T15:03:27.000001,1,view");
            ResultBatch third = batches.awaitTable("""
                    +------+-----+
                    | event|count|
                    +------+-----+
                    | login|    2|
                    |logout|    1|
                    |  view|    2|
                    +------+-----+
                    """);

            assertThat(second.batchId()).isGreaterThan(first.batchId());
            assertThat(third.batchId()).isGreaterThan(second.batchId());
            // Batch numbers count up from 0 with no gap, as Spark's do.
            assertThat(batches.seen().stream().map(ResultBatch::batchId).toList())
                    .isEqualTo(java.util.stream.LongStream.range(0, batches.seen().size()).boxed().toList());
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
            results.close();
        }
    }

    @Test
    @Timeout(120)
    void socketWordCountShowsTheGuidesTwoBatchesAndEndsWhenTheServerCloses() throws Exception {
        try (ServerSocket server = new ServerSocket(0)) {
            CompletableFuture<Void> secondLine = new CompletableFuture<>();
            CompletableFuture<Void> feeder = CompletableFuture.runAsync(() -> {
                try (Socket client = server.accept();
                        Writer writer = new OutputStreamWriter(client.getOutputStream(), StandardCharsets.UTF_8)) {
                    writer.write("hello world spark streaming\n");
                    writer.flush();
                    secondLine.get(60, TimeUnit.SECONDS);
                    writer.write("spark is amazing\n");
                    writer.flush();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            StreamExecutionEnvironment env = FlinkTests.environment();
            DataStream<SourceLine> lines = env.fromSource(
                    new SocketTextSource("localhost", server.getLocalPort()), WatermarkStrategy.noWatermarks(), "socket")
                    .setParallelism(1);
            CloseableIterator<ResultBatch> results =
                    SocketWordCount.wordCounts(lines, OutputMode.COMPLETE, Trigger.DEFAULT).microBatches().collectAsync();
            env.executeAsync("socket word count");
            Batches batches = new Batches(results);

            batches.awaitTable("""
                    +---------+-----+
                    |     word|count|
                    +---------+-----+
                    |    hello|    1|
                    |    spark|    1|
                    |streaming|    1|
                    |    world|    1|
                    +---------+-----+
                    """);
            secondLine.complete(null);
            batches.awaitTable("""
                    +---------+-----+
                    |     word|count|
                    +---------+-----+
                    |  amazing|    1|
                    |    hello|    1|
                    |       is|    1|
                    |    spark|    2|
                    |streaming|    1|
                    |    world|    1|
                    +---------+-----+
                    """);
            // The server closed the connection: the source ends, so the job does, with nothing left to show.
            assertThat(batches.remaining()).isEmpty();
            feeder.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(120)
    void deadLettersAreCountedInAFlinkMetric() throws Exception {
        Path input = tmp.resolve("input");
        writeLines(input, "a.csv", "timestamp,user_id,event", "2025-07-15T15:03:21,1,login", "bad", "", "x,y,z");
        writeLines(input, "b.csv", "2025-07-15T15:03:22,1,view", "2025-07-15T15:03:22,one,view");
        StreamExecutionEnvironment env = FlinkTests.environment();
        DataStream<SourceLine> lines = env.fromSource(
                FileSources.lines(input.toString(), Trigger.AVAILABLE_NOW, Duration.ofSeconds(1)),
                WatermarkStrategy.noWatermarks(), "csv files");
        PatternOutputs outputs = CsvPatterns.eventCounts(lines, OutputMode.COMPLETE, Trigger.AVAILABLE_NOW);
        CloseableIterator<ResultBatch> results = outputs.results().collectAsync();
        CloseableIterator<dev.flinkpatterns.io.DeadLetter> deadLetters = outputs.deadLetters().collectAsync();
        JobClient job = env.executeAsync("dead letter metric");
        List<ResultBatch> batches = new Batches(results).remaining();
        List<dev.flinkpatterns.io.DeadLetter> letters = new java.util.ArrayList<>();
        deadLetters.forEachRemaining(letters::add);
        job.getJobExecutionResult().get(60, TimeUnit.SECONDS);

        assertThat(batches).hasSize(1);
        assertThat(Batches.table(batches.get(0))).isEqualTo("""
                +-----+-----+
                |event|count|
                +-----+-----+
                |login|    1|
                | view|    1|
                +-----+-----+
                """);
        assertThat(letters).extracting(l -> l.line() + ":" + l.reason()).containsExactlyInAnyOrder(
                "3:expected 3 fields (timestamp,user_id,event) but found 1",
                "5:timestamp is not an ISO-8601 date-time: 'x'",
                "2:user_id is not an integer: 'one'");
        // The blank line 4 is no record (as in Spark's CSV reader), so no dead letter either.
        assertThat(deadLetterMetricTotal(job.getJobID())).isEqualTo(3);
    }

    private static long deadLetterMetricTotal(JobID job) {
        return METRICS.findMetrics(job, ParseOrDeadLetter.DEAD_LETTERS).values().stream()
                .mapToLong(metric -> ((Counter) metric).getCount())
                .sum();
    }
}
