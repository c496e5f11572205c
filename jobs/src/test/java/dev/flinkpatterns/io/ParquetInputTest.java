package dev.flinkpatterns.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.ReaderOptions.Format;
import dev.flinkpatterns.testing.FlinkTests;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.NanoTime;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parquet input of the new types (DECIMAL, DATE, STRUCT, ARRAY): written by parquet-avro's own writer (not the
 * project's sink), read by the Parquet file source with the given schema and with the schema read from the file.
 */
class ParquetInputTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    private static final String DDL = "id INT NOT NULL, fare DECIMAL(10,2), day DATE, at TIMESTAMP, "
            + "user STRUCT<id: BIGINT, country: STRING>, tags ARRAY<STRING>";

    private static final List<Row> ROWS = List.of(
            Row.of(1, new BigDecimal("23.50"), LocalDate.of(2024, 1, 15), LocalDateTime.of(2024, 1, 15, 8, 5),
                    Row.of(42L, "DE"), List.of("promo", "mobile")),
            Row.of(2, new BigDecimal("-0.01"), null, null, null, null),
            Row.of(3, new BigDecimal("99999999.99"), LocalDate.of(1969, 12, 31), LocalDateTime.of(2024, 2, 29, 23, 59, 59),
                    Row.of(7L, null), List.of()));

    @TempDir
    Path tmp;

    @Test
    void rowsOfEveryNewTypeComeBackExactly() throws Exception {
        RowSchema schema = SchemaDdl.parse(DDL);
        Path file = tmp.resolve("in/part-0.parquet");
        TestDatasets.writeParquet(schema, ROWS, file);

        // The file carries the logical types, as an independent reader sees them.
        try (ParquetFileReader reader = ParquetFileReader.open(
                HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))) {
            String fileSchema = reader.getFooter().getFileMetaData().getSchema().toString();
            assertThat(fileSchema).contains("required int32 id;", "optional binary fare (DECIMAL(10,2));",
                    "optional int32 day (DATE);", "optional int64 at (TIMESTAMP(MILLIS,true));", "optional group user {",
                    "optional group tags (LIST) {");
        }

        assertThat(read(tmp.resolve("in"), schema)).containsExactlyElementsOf(ROWS);
        RowSchema fromFile = SchemaInference.infer(tmp.resolve("in"), Format.PARQUET, null, ',', null);
        assertThat(SchemaDdl.print(fromFile)).isEqualTo(DDL);
        assertThat(read(tmp.resolve("in"), fromFile)).containsExactlyElementsOf(ROWS);
    }

    /**
     * The physical types Spark's Parquet writer uses, as it writes them (not as parquet-avro does): TIMESTAMP as
     * INT96 (Spark's default {@code outputTimestampType}, UTC) and as INT64 micros, DECIMAL(p <= 9) as INT32 and
     * DECIMAL(p <= 18) as INT64 (Spark's non-legacy format), written with parquet-hadoop's Group writer.
     */
    @Test
    void sparksPhysicalTypesReadAsTheirLogicalTypes() throws Exception {
        MessageType spark = MessageTypeParser.parseMessageType("message spark_schema {"
                + " required int32 id; optional int96 at; optional int64 at_micros (TIMESTAMP(MICROS,true));"
                + " optional int32 price (DECIMAL(9,2)); optional int64 total (DECIMAL(18,2)); }");
        Path file = tmp.resolve("spark/part-00000.snappy.parquet");
        LocalDateTime at = LocalDateTime.of(2024, 1, 15, 8, 5, 30, 123_456_000);
        long nanosOfDay = at.toLocalTime().toNanoOfDay();
        int julianDay = (int) (at.toLocalDate().toEpochDay() + 2_440_588);
        SimpleGroupFactory groups = new SimpleGroupFactory(spark);
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(
                HadoopOutputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))
                .withType(spark).build()) {
            Group first = groups.newGroup().append("id", 1).append("price", 2350).append("total", -123456789012L);
            first.add("at", new NanoTime(julianDay, nanosOfDay));
            first.add("at_micros", at.toEpochSecond(java.time.ZoneOffset.UTC) * 1_000_000 + 123_456);
            writer.write(first);
            writer.write(groups.newGroup().append("id", 2));
        }

        RowSchema schema = SchemaDdl.parse(
                "id INT, at TIMESTAMP, at_micros TIMESTAMP, price DECIMAL(9,2), total DECIMAL(18,2)");
        assertThat(read(tmp.resolve("spark"), schema)).containsExactly(
                Row.of(1, at, at, new BigDecimal("23.50"), new BigDecimal("-1234567890.12")),
                Row.of(2, null, null, null, null));
        RowSchema fromFile = SchemaInference.infer(tmp.resolve("spark"), Format.PARQUET, null, ',', null);
        assertThat(SchemaDdl.print(fromFile)).isEqualTo(
                "id INT NOT NULL, at TIMESTAMP, at_micros TIMESTAMP, price DECIMAL(9,2), total DECIMAL(18,2)");
    }

    private static List<Row> read(Path dir, RowSchema schema) throws Exception {
        StreamExecutionEnvironment env = FlinkTests.environment();
        env.setParallelism(2);
        var source = FileSources.parquet(dir.toString(), schema, Trigger.AVAILABLE_NOW,
                FileSources.DEFAULT_DISCOVERY_INTERVAL, FileSources.UNLIMITED);
        List<Row> rows = new ArrayList<>();
        try (var it = env.fromSource(source, WatermarkStrategy.noWatermarks(), "parquet").executeAndCollect()) {
            it.forEachRemaining(rows::add);
        }
        rows.sort(Comparator.comparingInt(row -> (Integer) row.getField(0)));
        return rows;
    }
}
