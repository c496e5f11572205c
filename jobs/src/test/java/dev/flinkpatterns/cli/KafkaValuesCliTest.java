package dev.flinkpatterns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.core.DisplayPath;
import dev.flinkpatterns.testing.CapturedRun;
import dev.flinkpatterns.testing.FlinkTests;
import dev.flinkpatterns.testing.KafkaTests;
import dev.flinkpatterns.testing.ParquetGroups;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user's own record values (Spark's {@code from_json(value, schema)}) in kafka-read, kafka-etl, window-agg and sql,
 * against a real broker: typed rows (nested too), a value that does not fit as a dead letter, {@code --where}, typed
 * Parquet, windows in event time.
 */
class KafkaValuesCliTest {

    @RegisterExtension
    @Order(1)
    static final KafkaTests KAFKA = new KafkaTests();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    private static final String SCHEMA =
            "read_at TIMESTAMP, device STRUCT<id: INT, country: STRING>, celsius DECIMAL(4,1), ok BOOLEAN";

    private static final List<Map.Entry<String, String>> READINGS = List.of(
            Map.entry("a", "{\"read_at\":\"2024-01-15T10:00:00\",\"device\":{\"id\":7,\"country\":\"DE\"},\"celsius\":21.5,\"ok\":true}"),
            Map.entry("b", "{\"read_at\":\"2024-01-15T10:00:05\",\"device\":{\"id\":8,\"country\":\"FR\"},\"celsius\":\"warm\",\"ok\":true}"),
            Map.entry("c", "{\"read_at\":\"2024-01-15T10:00:09\",\"device\":{\"id\":9,\"country\":\"DE\"},\"celsius\":-3.0,\"ok\":false}"));

    @TempDir
    Path tmp;

    @Test
    @Timeout(120)
    void kafkaReadShowsTheValuesAsRowsOfTheSchemaAndAValueThatDoesNotFitIsADeadLetter() throws Exception {
        KAFKA.createTopic("values-read", 1);
        KAFKA.produce("values-read", READINGS);

        CapturedRun run = CapturedRun.onContext("kafka-read", "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--subscribe", "values-read", "--starting-offsets", "earliest", "--trigger", "available-now",
                "--format", "json", "--schema", SCHEMA, "--output", tmp.toString());

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("""
                -------------------------------------------
                Batch: 0
                -------------------------------------------
                +-------------------+-------+-------+-----+
                |            read_at| device|celsius|   ok|
                +-------------------+-------+-------+-----+
                |2024-01-15 10:00:00|{7, DE}|   21.5| true|
                |2024-01-15 10:00:09|{9, DE}|   -3.0|false|
                +-------------------+-------+-------+-----+

                Dead letters: 1 malformed record(s) written to %s
                """.formatted(DisplayPath.of(tmp.resolve("dead-letter"))));
        assertThat(FlinkTests.linesOfVisibleFiles(tmp.resolve("dead-letter"))).singleElement().asString()
                .contains("kafka:values-read/0").contains("celsius");
    }

    @Test
    @Timeout(120)
    void kafkaEtlKeepsTheRowsOfItsWhereAsTypedParquet() throws Exception {
        KAFKA.createTopic("values-etl", 1);
        KAFKA.produce("values-etl", READINGS);

        CapturedRun run = CapturedRun.onContext("kafka-etl", "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--subscribe", "values-etl", "--starting-offsets", "earliest", "--trigger", "available-now",
                "--schema", SCHEMA, "--where", "ok=true", "--sink", "parquet", "--output", tmp.toString());

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(ParquetGroups.schemaOfEvery(tmp.resolve("results"))).isEqualTo("""
                message dev.flinkpatterns.row {
                  optional int64 read_at (TIMESTAMP(MILLIS,true));
                  optional group device {
                    optional int32 id;
                    optional binary country (STRING);
                  }
                  optional binary celsius (DECIMAL(4,1));
                  optional boolean ok;
                  optional int64 processed_time (TIMESTAMP(MILLIS,true));
                }
                """);
        assertThat(ParquetGroups.rows(tmp.resolve("results"), row -> row.getGroup("device", 0).getInteger("id", 0)
                + " " + row.getBoolean("ok", 0))).containsExactly("7 true");
    }

    @Test
    @Timeout(120)
    void sinkKafkaWritesNestedColumnsAsJsonObjectsAndArrays() throws Exception {
        KAFKA.createTopic("values-nested", 1);
        Path input = tmp.resolve("readings");
        FlinkTests.writeLines(input, "readings.jsonl",
                READINGS.get(0).getValue().replace("\"ok\":true}", "\"ok\":true,\"tags\":[\"new\",\"indoor\"]}"),
                READINGS.get(2).getValue().replace("\"ok\":false}", "\"ok\":false,\"tags\":[]}"));

        CapturedRun run = CapturedRun.onContext("csv-log", "--input", input.toString(), "--format", "json", "--schema",
                SCHEMA + ", tags ARRAY<STRING>", "--trigger", "available-now", "--sink", "kafka", "--output-topic",
                "values-nested", "--bootstrap-servers", KAFKA.bootstrapServers(), "--output", tmp.resolve("out").toString());

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(KAFKA.readCommitted("values-nested", 2, java.time.Duration.ofSeconds(30)))
                .extracting(org.apache.kafka.clients.consumer.ConsumerRecord::value)
                .containsExactlyInAnyOrder(
                        "{\"read_at\":\"2024-01-15T10:00:00.000Z\",\"device\":{\"id\":7,\"country\":\"DE\"},"
                                + "\"celsius\":21.5,\"ok\":true,\"tags\":[\"new\",\"indoor\"]}",
                        "{\"read_at\":\"2024-01-15T10:00:09.000Z\",\"device\":{\"id\":9,\"country\":\"DE\"},"
                                + "\"celsius\":-3.0,\"ok\":false,\"tags\":[]}");
    }

    @Test
    @Timeout(120)
    void windowAggAggregatesTheValuesInEventTimeAndAValueThatDoesNotFitIsADeadLetter() throws Exception {
        KAFKA.createTopic("values-agg", 1);
        KAFKA.produce("values-agg", READINGS);

        CapturedRun run = CapturedRun.onContext("window-agg", "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--subscribe", "values-agg", "--starting-offsets", "earliest", "--trigger", "available-now",
                "--format", "json", "--schema", SCHEMA, "--event-time", "read_at", "--window", "1m", "--watermark", "10s",
                "--agg", "count(*) AS readings, avg(celsius)", "--output", tmp.toString());

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("""
                -------------------------------------------
                Batch: 0
                -------------------------------------------
                +-------------------+-------------------+--------+------------+
                |       window_start|         window_end|readings|avg(celsius)|
                +-------------------+-------------------+--------+------------+
                |2024-01-15 10:00:00|2024-01-15 10:01:00|       2|        9.25|
                +-------------------+-------------------+--------+------------+

                Dead letters: 1 malformed record(s) written to %s
                """.formatted(DisplayPath.of(tmp.resolve("dead-letter"))));
    }

    /** sql over a topic: the values as a view with its rowtime, nested fields in the query. */
    @Test
    @Timeout(120)
    void sqlQueriesTheValuesOfATopicInEventTime() throws Exception {
        KAFKA.createTopic("values-sql", 1);
        KAFKA.produce("values-sql", READINGS);

        CapturedRun run = CapturedRun.onContext("sql", "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--source", "readings=kafka:values-sql", "--starting-offsets", "earliest", "--trigger", "available-now",
                "--format", "json", "--schema", SCHEMA, "--event-time", "read_at", "--watermark", "10s", "--query", """
                        SELECT window_start, device.country AS country, COUNT(*) AS readings, MIN(celsius) AS coldest
                        FROM TABLE(TUMBLE(TABLE readings, DESCRIPTOR(read_at), INTERVAL '1' MINUTE))
                        GROUP BY window_start, device.country""", "--output", tmp.toString());

        run.assertPrinted(CapturedRun.batch(0, """
                +-------------------+-------+--------+-------+
                |       window_start|country|readings|coldest|
                +-------------------+-------+--------+-------+
                |2024-01-15 10:00:00|     DE|       2|   -3.0|
                +-------------------+-------+--------+-------+
                """) + "Dead letters: 1 malformed record(s) written to " + DisplayPath.of(tmp.resolve("dead-letter")) + "\n");
    }

    @Test
    void aColumnThatIsNotThereOrASchemaToInferIsOneLine() throws Exception {
        CapturedRun.onContext("kafka-etl", "--bootstrap-servers", KAFKA.bootstrapServers(), "--subscribe", "values-etl",
                        "--schema", SCHEMA)
                .assertOneLineError("patterns kafka-etl: --where status=active: no such column status (the default; "
                        + "--where none keeps every record); columns: " + SCHEMA + " (see 'patterns kafka-etl --help')");
        CapturedRun.onContext("kafka-read", "--bootstrap-servers", KAFKA.bootstrapServers(), "--subscribe", "values-read",
                        "--schema", "infer")
                .assertOneLineError("patterns kafka-read: --schema infer samples files; give the schema of the record "
                        + "values (see 'patterns kafka-read --help')");
        CapturedRun.onContext("kafka-read", "--bootstrap-servers", KAFKA.bootstrapServers(), "--subscribe", "values-read",
                        "--schema", SCHEMA, "--api", "sql")
                .assertOneLineError("patterns kafka-read: --api sql reads the records as Spark's Kafka source columns; "
                        + "for the values as rows of --schema in SQL use: patterns sql --source NAME=kafka:TOPIC "
                        + "--schema ... (see 'patterns kafka-read --help')");
        CapturedRun.onContext("window-agg", "--bootstrap-servers", KAFKA.bootstrapServers(), "--subscribe", "values-agg",
                        "--format", "parquet", "--schema", SCHEMA, "--event-time", "read_at", "--window", "1m")
                .assertOneLineError("patterns window-agg: --format parquet: a record value is one line of json, csv or "
                        + "text (see 'patterns window-agg --help')");
    }
}
