package dev.flinkpatterns.cli;

import static dev.flinkpatterns.testing.FlinkTests.writeLines;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.testing.CapturedRun;
import dev.flinkpatterns.testing.FlinkTests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Typed results in files: window-agg's default columns (count(DISTINCT user_id) among them) as Parquet, read with
 * parquet-hadoop's own reader (no Avro), its physical and logical types and values exact.
 */
class TypedResultsCliTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    @TempDir
    Path tmp;

    @Test
    void windowAggWritesTypedParquetUnderLegalColumnNames() throws Exception {
        Path input = tmp.resolve("input");
        writeLines(input, "transaction_batch_0.csv", "event_time,transaction_id,user_id,category,region,amount",
                "2024-01-15T10:01:00,t-1,1,books,north,10.50",
                "2024-01-15T10:02:00,t-2,2,books,north,20.25",
                "2024-01-15T10:06:00,t-3,3,books,north,1.00",
                "2024-01-15T10:12:00,t-4,3,books,north,2.00");
        Path out = tmp.resolve("out");

        CapturedRun run = CapturedRun.onContext("window-agg", "--source", "transactions", "--input", input.toString(),
                "--window", "5m", "--watermark", "1m", "--group-by", "category", "--output-mode", "append",
                "--trigger", "available-now", "--sink", "parquet", "--output", out.toString());

        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        List<Path> files = visibleFiles(out.resolve("results"));
        assertThat(files).isNotEmpty();
        List<String> rows = new ArrayList<>();
        for (Path file : files) {
            try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
                MessageType schema = reader.getFooter().getFileMetaData().getSchema();
                assertThat(schema.toString()).isEqualTo("""
                        message dev.flinkpatterns.row {
                          optional int64 window_start (TIMESTAMP(MILLIS,true));
                          optional int64 window_end (TIMESTAMP(MILLIS,true));
                          optional binary category (STRING);
                          optional int64 count;
                          optional double sum_amount;
                          optional double avg_amount;
                          optional double min_amount;
                          optional double max_amount;
                          optional int64 count_DISTINCT_user_id;
                        }
                        """);
                for (PageReadStore pages = reader.readNextRowGroup(); pages != null; pages = reader.readNextRowGroup()) {
                    RecordReader<Group> records = new ColumnIOFactory().getColumnIO(schema)
                            .getRecordReader(pages, new GroupRecordConverter(schema));
                    for (long i = 0; i < pages.getRowCount(); i++) {
                        Group row = records.read();
                        rows.add(row.getLong("window_start", 0) + " " + row.getLong("window_end", 0) + " "
                                + row.getString("category", 0) + " " + row.getLong("count", 0) + " "
                                + row.getDouble("sum_amount", 0) + " " + row.getDouble("avg_amount", 0) + " "
                                + row.getDouble("min_amount", 0) + " " + row.getDouble("max_amount", 0) + " "
                                + row.getLong("count_DISTINCT_user_id", 0));
                    }
                }
            }
        }
        rows.sort(null);
        // 2024-01-15 10:00 UTC = 1705312800000 ms; the end of the input closes the last window too.
        assertThat(rows).containsExactly(
                "1705312800000 1705313100000 books 2 30.75 15.375 10.5 20.25 2",
                "1705313100000 1705313400000 books 1 1.0 1.0 1.0 1.0 1",
                "1705313400000 1705313700000 books 1 2.0 2.0 2.0 2.0 1");
    }

    @Test
    void windowAggWritesJsonWithTypedValuesAndCsvWithAHeader() throws Exception {
        Path input = tmp.resolve("input");
        writeLines(input, "transaction_batch_0.csv", "event_time,transaction_id,user_id,category,region,amount",
                "2024-01-15T10:01:00,t-1,1,books,north,10.50",
                "2024-01-15T10:02:00,t-2,2,books,north,20.25");
        for (String format : List.of("json", "csv")) {
            CapturedRun run = CapturedRun.onContext("window-agg", "--source", "transactions", "--input",
                    input.toString(), "--window", "5m", "--watermark", "1m", "--group-by", "category",
                    "--output-mode", "append", "--trigger", "available-now", "--sink", format,
                    "--output", tmp.resolve(format).toString());
            assertThat(run.err()).isEmpty();
            assertThat(run.exitCode()).isZero();
        }
        // JSON keeps the result's names (any key is legal) and Spark's JSON values: numbers bare, times ISO-8601.
        assertThat(FlinkTests.linesOfVisibleFiles(tmp.resolve("json/results"))).containsExactly(
                "{\"window_start\":\"2024-01-15T10:00:00.000Z\",\"window_end\":\"2024-01-15T10:05:00.000Z\","
                        + "\"category\":\"books\",\"count\":2,\"sum(amount)\":30.75,\"avg(amount)\":15.375,"
                        + "\"min(amount)\":10.5,\"max(amount)\":20.25,\"count(DISTINCT user_id)\":2}");
        // CSV: a header of the legal names (ColumnNames), then the values as Spark's CSV writer writes them (sorted).
        assertThat(FlinkTests.linesOfVisibleFiles(tmp.resolve("csv/results"))).containsExactly(
                "2024-01-15T10:00:00.000Z,2024-01-15T10:05:00.000Z,books,2,30.75,15.375,10.5,20.25,2",
                "window_start,window_end,category,count,sum_amount,avg_amount,min_amount,max_amount,count_DISTINCT_user_id");
    }

    private static List<Path> visibleFiles(Path dir) throws Exception {
        try (var walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).filter(file -> !file.getFileName().toString().startsWith("."))
                    .sorted().toList();
        }
    }
}
