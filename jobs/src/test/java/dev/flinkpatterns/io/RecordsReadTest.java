package dev.flinkpatterns.io;

import static dev.flinkpatterns.testing.FlinkTests.writeLines;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.ReaderOptions.Format;
import dev.flinkpatterns.io.RowSchema.Column;
import dev.flinkpatterns.io.RowSchema.Type;
import dev.flinkpatterns.parse.ParseOrDeadLetter;
import dev.flinkpatterns.testing.FlinkTests;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code numRecordsRead} (metric and accumulator) counts what Spark's {@code numInputRows} counts: the data rows,
 * malformed ones included (each also a dead letter); a CSV header and a blank line of a CSV or JSON file are no
 * record; a blank line of a text file is a row (the empty string), and every Kafka record is a record.
 */
class RecordsReadTest {

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER =
            FlinkTests.miniCluster(METRICS.addToConfiguration(new org.apache.flink.configuration.Configuration()));

    private static final RowSchema SCHEMA = RowSchema.of(Column.required("id", Type.INT), Column.nullable("name", Type.STRING));

    @TempDir
    Path tmp;

    /** What a run read: the rows, and each counter as its accumulator and as its metric summed over the subtasks. */
    private record Counts(List<String> rows, long recordsRead, long recordsReadMetric, long deadLetters, long deadLetterMetric) {}

    private Counts read(ReaderOptions options, String... lines) throws Exception {
        Path input = tmp.resolve(options.format().cliName());
        writeLines(input, "part-0." + options.format().cliName(), lines);
        StreamExecutionEnvironment env = FlinkTests.environment();
        env.setParallelism(2);
        DataStream<SourceLine> source = env.fromSource(
                FileSources.lines(input.toString(), Trigger.AVAILABLE_NOW, FileSources.DEFAULT_DISCOVERY_INTERVAL),
                WatermarkStrategy.noWatermarks(), "lines");
        return run(env, FileSources.rows(source, options));
    }

    private static Counts run(StreamExecutionEnvironment env, ParseOrDeadLetter.Parsed<Row> parsed) throws Exception {
        CloseableIterator<Row> rows = parsed.records().collectAsync();
        JobClient job = env.executeAsync("records read");
        List<String> collected = new ArrayList<>();
        rows.forEachRemaining(row -> collected.add(row.toString()));
        JobExecutionResult result = job.getJobExecutionResult().get(60, TimeUnit.SECONDS);
        return new Counts(collected,
                result.<Long>getAccumulatorResult(ParseOrDeadLetter.RECORDS_READ),
                metricTotal(job.getJobID(), ParseOrDeadLetter.RECORDS_READ),
                result.<Long>getAccumulatorResult(ParseOrDeadLetter.DEAD_LETTERS),
                metricTotal(job.getJobID(), ParseOrDeadLetter.DEAD_LETTERS));
    }

    private static long metricTotal(JobID job, String name) {
        return METRICS.findMetrics(job, name).values().stream().mapToLong(metric -> ((Counter) metric).getCount()).sum();
    }

    @Test
    @Timeout(60)
    void aCsvHeaderAndABlankLineAreNoRecordsAMalformedRowIsOne() throws Exception {
        Counts counts = read(ReaderOptions.of(Format.CSV, SCHEMA),
                "id,name", "1,a", "2,b", "", "x,malformed", "   ", "3,c");

        assertThat(counts.rows()).containsExactlyInAnyOrder("+I[1, a]", "+I[2, b]", "+I[3, c]");
        assertThat(counts).isEqualTo(new Counts(counts.rows(), 4, 4, 1, 1));
    }

    @Test
    @Timeout(60)
    void aBlankJsonLineIsNoRecord() throws Exception {
        Counts counts = read(ReaderOptions.of(Format.JSON, SCHEMA),
                "{\"id\":1,\"name\":\"a\"}", "", "{\"id\":\"two\"}", " \t", "{\"id\":3}");

        assertThat(counts.rows()).containsExactlyInAnyOrder("+I[1, a]", "+I[3, null]");
        assertThat(counts).isEqualTo(new Counts(counts.rows(), 3, 3, 1, 1));
    }

    @Test
    @Timeout(60)
    void aBlankTextLineIsARowOfTheEmptyStringAsInSpark() throws Exception {
        Counts counts = read(ReaderOptions.of(Format.TEXT, null), "id,name", "", "last");

        assertThat(counts.rows()).containsExactlyInAnyOrder("+I[id,name]", "+I[]", "+I[last]");
        assertThat(counts).isEqualTo(new Counts(counts.rows(), 3, 3, 0, 0));
    }

    @Test
    @Timeout(60)
    void everyKafkaRecordIsARecordABlankOrAbsentValueADeadLetter() throws Exception {
        StreamExecutionEnvironment env = FlinkTests.environment();
        env.setParallelism(2);
        DataStream<KafkaRecord> records = env.fromData(TypeInformation.of(KafkaRecord.class),
                new KafkaRecord(null, "{\"id\":1}", "t", 0, 0, 0),
                new KafkaRecord(null, "", "t", 0, 1, 0),
                new KafkaRecord("k", null, "t", 0, 2, 0),
                new KafkaRecord(null, "{\"id\":2,\"name\":\"b\"}", "t", 0, 3, 0));

        Counts counts = run(env, FileSources.rows(KafkaRecord.lines(records), ReaderOptions.of(Format.JSON, SCHEMA)));

        assertThat(counts.rows()).containsExactlyInAnyOrder("+I[1, null]", "+I[2, b]");
        assertThat(counts).isEqualTo(new Counts(counts.rows(), 4, 4, 2, 2));
    }
}
