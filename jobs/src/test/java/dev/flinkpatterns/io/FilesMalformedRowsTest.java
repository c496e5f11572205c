package dev.flinkpatterns.io;

import static dev.flinkpatterns.testing.FlinkTests.linesOfVisibleFiles;
import static dev.flinkpatterns.testing.FlinkTests.writeLines;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.RowSchema.Column;
import dev.flinkpatterns.io.RowSchema.Type;
import dev.flinkpatterns.parse.ParseOrDeadLetter;
import dev.flinkpatterns.testing.FlinkTests;
import java.nio.file.Path;
import java.util.function.BiFunction;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** CSV and JSON lines read with an explicit schema: the good rows written on, every bad one a dead letter with its place. */
class FilesMalformedRowsTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    private static final RowSchema SCHEMA = RowSchema.of(
            Column.required("id", Type.INT),
            Column.nullable("name", Type.STRING),
            Column.required("value", Type.DOUBLE),
            Column.required("ts", Type.TIMESTAMP));

    @TempDir
    Path tmp;

    /** Reads {@code input} with the schema, writes the rows to out/rows in {@code format}, dead letters to out/dead. */
    private void run(Path input, BiFunction<DataStream<SourceLine>, RowSchema, ParseOrDeadLetter.Parsed<Row>> parse,
            FileFormat format) throws Exception {
        StreamExecutionEnvironment env = FlinkTests.environment();
        env.setParallelism(2);
        var lines = env.fromSource(FileSources.lines(input.toString(), Trigger.AVAILABLE_NOW, FileSources.DEFAULT_DISCOVERY_INTERVAL),
                WatermarkStrategy.noWatermarks(), "lines");
        ParseOrDeadLetter.Parsed<Row> parsed = parse.apply(lines, SCHEMA);
        parsed.records().sinkTo(Sinks.files(format, tmp.resolve("out/rows").toString(), SCHEMA, null));
        parsed.deadLetters().sinkTo(Sinks.deadLetters(tmp.resolve("out/dead").toString()));
        env.execute();
    }

    private static String deadLetter(Path file, int line, String record, String reason) {
        return "{\"path\":" + Json.quote("file:" + file) + ",\"line\":" + line + ",\"record\":" + Json.quote(record)
                + ",\"reason\":" + Json.quote(reason) + "}";
    }

    @Test
    void csvRowsBecomeJsonLinesAndTheBadOnesDeadLetters() throws Exception {
        Path input = tmp.resolve("csv");
        Path file = writeLines(input, "readings.csv",
                "id,name,value,ts",
                "1,alpha,1.5,2024-01-15T10:00:00",
                "2,,2.5,2024-01-15 10:00:01.250",
                "3,gamma",
                "x,delta,4.5,2024-01-15T10:00:03",
                "5,\"eps, ilon\",NaN,2024-01-15T10:00:04",
                "6,zeta,6.5,yesterday",
                "",
                ",eta,7.5,2024-01-15T10:00:07",
                "8,\"theta,8.5,2024-01-15T10:00:08",
                "9,\"io, \"\"ta\"\"\",9.5,2024-01-15T10:00:09");

        run(input, FileSources::csvRows, FileFormat.JSON);

        assertThat(linesOfVisibleFiles(tmp.resolve("out/rows"))).containsExactly(
                "{\"id\":1,\"name\":\"alpha\",\"value\":1.5,\"ts\":\"2024-01-15T10:00:00.000Z\"}",
                "{\"id\":2,\"value\":2.5,\"ts\":\"2024-01-15T10:00:01.250Z\"}",
                "{\"id\":9,\"name\":\"io, \\\"ta\\\"\",\"value\":9.5,\"ts\":\"2024-01-15T10:00:09.000Z\"}");
        assertThat(linesOfVisibleFiles(tmp.resolve("out/dead"))).containsExactly(
                deadLetter(file, 10, "8,\"theta,8.5,2024-01-15T10:00:08", "unterminated quoted field"),
                deadLetter(file, 4, "3,gamma", "expected 4 fields (id,name,value,ts) but found 2"),
                deadLetter(file, 5, "x,delta,4.5,2024-01-15T10:00:03", "id is not an integer: 'x'"),
                deadLetter(file, 6, "5,\"eps, ilon\",NaN,2024-01-15T10:00:04", "value is not a number: 'NaN'"),
                deadLetter(file, 7, "6,zeta,6.5,yesterday", "ts: timestamp is not an ISO-8601 date-time: 'yesterday'"),
                deadLetter(file, 9, ",eta,7.5,2024-01-15T10:00:07", "id is empty"));
    }

    @Test
    void jsonLinesBecomeCsvAndTheBadOnesDeadLetters() throws Exception {
        Path input = tmp.resolve("json");
        Path file = writeLines(input, "readings.json",
                "{\"id\":1,\"name\":\"alpha\",\"value\":1.5,\"ts\":\"2024-01-15T10:00:00\",\"extra\":[1,2]}",
                "{\"id\":2,\"value\":2,\"ts\":\"2024-01-15T10:00:01\"}",
                "{\"id\":3,\"name\":null,\"value\":3.5,\"ts\":\"2024-01-15T10:00:02\"}",
                "{\"id\":4,\"name\":\"delta\",\"value\":4.5",
                "[1,2,3]",
                "{\"name\":\"zeta\",\"value\":6.5,\"ts\":\"2024-01-15T10:00:05\"}",
                "{\"id\":7.5,\"value\":7.5,\"ts\":\"2024-01-15T10:00:06\"}",
                "{\"id\":8,\"value\":\"8.5\",\"ts\":\"2024-01-15T10:00:07\"}",
                "{\"id\":9,\"value\":9.5,\"ts\":\"tomorrow\"}",
                "{\"id\":10,\"name\":\"ka, \\\"pa\\\"\",\"value\":10.5,\"ts\":\"2024-01-15T10:00:09\"}");

        run(input, FileSources::jsonRows, FileFormat.CSV);

        assertThat(linesOfVisibleFiles(tmp.resolve("out/rows"))).containsExactly(
                "1,alpha,1.5,2024-01-15T10:00:00.000Z",
                "10,\"ka, \"\"pa\"\"\",10.5,2024-01-15T10:00:09.000Z",
                "2,,2.0,2024-01-15T10:00:01.000Z",
                "3,,3.5,2024-01-15T10:00:02.000Z",
                "id,name,value,ts");
        assertThat(linesOfVisibleFiles(tmp.resolve("out/dead"))).containsExactly(
                deadLetter(file, 4, "{\"id\":4,\"name\":\"delta\",\"value\":4.5",
                        "not valid JSON: the line ends inside a value"),
                deadLetter(file, 5, "[1,2,3]", "the line is not a JSON object: [1,2,3]"),
                deadLetter(file, 6, "{\"name\":\"zeta\",\"value\":6.5,\"ts\":\"2024-01-15T10:00:05\"}", "missing required field id"),
                deadLetter(file, 7, "{\"id\":7.5,\"value\":7.5,\"ts\":\"2024-01-15T10:00:06\"}", "id is not an integer: 7.5"),
                deadLetter(file, 8, "{\"id\":8,\"value\":\"8.5\",\"ts\":\"2024-01-15T10:00:07\"}", "value is not a number: \"8.5\""),
                deadLetter(file, 9, "{\"id\":9,\"value\":9.5,\"ts\":\"tomorrow\"}", "ts: timestamp is not an ISO-8601 date-time: 'tomorrow'"));
    }
}
