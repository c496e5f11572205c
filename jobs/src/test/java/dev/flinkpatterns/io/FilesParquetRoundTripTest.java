package dev.flinkpatterns.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.RowSchema.Column;
import dev.flinkpatterns.io.RowSchema.Type;
import dev.flinkpatterns.testing.FlinkTests;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Rows of every column type, written by the Parquet sink and read back by the Parquet source. */
class FilesParquetRoundTripTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    private static final RowSchema SCHEMA = RowSchema.of(
            Column.required("id", Type.INT),
            Column.nullable("name", Type.STRING),
            Column.nullable("count", Type.LONG),
            Column.nullable("temperature", Type.DOUBLE),
            Column.nullable("active", Type.BOOLEAN),
            Column.required("ts", Type.TIMESTAMP));

    private static final List<Row> ROWS = List.of(
            Row.of(1, "sensor-1", 10L, 21.5, true, LocalDateTime.of(2024, 1, 15, 10, 0, 3, 123_000_000)),
            Row.of(2, null, null, null, null, LocalDateTime.of(2024, 1, 15, 10, 59, 59)),
            Row.of(3, "ünïcødé, \"quoted\"", Long.MAX_VALUE, -0.25, false, LocalDateTime.of(2024, 1, 15, 11, 0)),
            Row.of(4, "", 0L, 1e-9, true, LocalDateTime.of(2024, 1, 16, 0, 30)));

    @TempDir
    Path tmp;

    @Test
    void rowsComeBackExactlyFromTheirPartitions() throws Exception {
        Path out = tmp.resolve("parquet");
        StreamExecutionEnvironment env = FlinkTests.environment();
        env.setParallelism(2);
        env.fromData(SCHEMA.rowType(), ROWS.toArray(Row[]::new))
                .sinkTo(Sinks.files(FileFormat.PARQUET, out.toString(), SCHEMA, "ts"));
        env.execute("write parquet");

        assertThat(FilesTestRows.partitionsWithFiles(out)).containsExactly(
                "date=2024-01-15/hour=10", "date=2024-01-15/hour=11", "date=2024-01-16/hour=00");
        assertThat(read(out, SCHEMA)).containsExactlyElementsOf(ROWS.stream().map(Row::toString).toList());
    }

    @Test
    void anExplicitSchemaPicksColumnsByNameInItsOwnOrder() throws Exception {
        Path out = tmp.resolve("parquet");
        StreamExecutionEnvironment env = FlinkTests.environment();
        env.setParallelism(1);
        env.fromData(SCHEMA.rowType(), ROWS.toArray(Row[]::new))
                .sinkTo(Sinks.files(FileFormat.PARQUET, out.toString(), SCHEMA, null));
        env.execute("write parquet");

        RowSchema projection = RowSchema.of(Column.required("ts", Type.TIMESTAMP), Column.required("id", Type.INT));
        assertThat(FilesTestRows.allFiles(out)).singleElement().asString().matches("part-[0-9a-f-]+-0\\.parquet");
        assertThat(read(out, projection)).containsExactly(
                "+I[2024-01-15T10:00:03.123, 1]", "+I[2024-01-15T10:59:59, 2]", "+I[2024-01-15T11:00, 3]", "+I[2024-01-16T00:30, 4]");
    }

    /** Every row under {@code dir}, as text, by id. */
    private static List<String> read(Path dir, RowSchema schema) throws Exception {
        StreamExecutionEnvironment env = FlinkTests.environment();
        env.setParallelism(2);
        var source = FileSources.parquet(dir.toString(), schema, Trigger.AVAILABLE_NOW, FileSources.DEFAULT_DISCOVERY_INTERVAL,
                FileSources.UNLIMITED);
        List<Row> rows = new ArrayList<>();
        try (var it = env.fromSource(source, WatermarkStrategy.noWatermarks(), "parquet").executeAndCollect()) {
            it.forEachRemaining(rows::add);
        }
        int id = schema.indexOf("id");
        rows.sort(Comparator.comparingInt(row -> (Integer) row.getField(id)));
        return rows.stream().map(Row::toString).toList();
    }
}
