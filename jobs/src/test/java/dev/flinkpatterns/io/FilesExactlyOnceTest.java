package dev.flinkpatterns.io;

import static dev.flinkpatterns.io.FilesTestRows.SCHEMA;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.testing.FailureInjector;
import dev.flinkpatterns.testing.FlinkTests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The file sinks under failures: a job writing 900 rows partitioned by date and hour is failed three times, at
 * different points; every row is in exactly one visible part file of its own partition, and nothing is left
 * in progress once the job has finished.
 */
class FilesExactlyOnceTest {

    private static final int ROWS = 900;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster(FlinkTests.restarts());

    @TempDir
    Path tmp;


    @ParameterizedTest
    @EnumSource(FileFormat.class)
    void everyRowIsWrittenExactlyOnceIntoItsDateAndHourPartitionDespiteThreeFailures(FileFormat format) throws Exception {
        Path out = tmp.resolve("out");
        String scenario = "file-sink-" + format;

        StreamExecutionEnvironment env = FlinkTests.environment();
        env.setParallelism(2);
        env.enableCheckpointing(200);
        // 300 rows/s: the run spans many checkpoints, so the failures fall mid-stream.
        var rows = new DataGeneratorSource<>(FilesTestRows::row, ROWS, RateLimiterStrategy.perSecond(300), SCHEMA.rowType());
        env.fromSource(rows, WatermarkStrategy.noWatermarks(), "rows")
                .map(FailureInjector.<Row>failAfterCheckpoints(scenario, 2, 1, 3)).returns(SCHEMA.rowType())
                .sinkTo(Sinks.files(format, out.toString(), SCHEMA, "ts"));
        env.execute("file sink under failures (" + format.cliName() + ")");

        assertThat(FailureInjector.failures(scenario)).isEqualTo(3);
        // A failed attempt leaves the part files it opened after its last checkpoint; hidden, and no reader sees them.
        List<String> hidden = FilesTestRows.allFiles(out).stream().filter(FilesExactlyOnceTest::isHidden).toList();
        assertThat(hidden).allMatch(file -> file.contains(".inprogress."));
        assertThat(Sinks.removeAbandonedPartFiles(out.toString())).isEqualTo(hidden.size());
        List<String> files = FilesTestRows.allFiles(out);
        assertThat(files).as("no in-progress or pending file is left").noneMatch(FilesExactlyOnceTest::isHidden);
        assertThat(files).allMatch(file -> Path.of(file).getFileName().toString().matches("part-[0-9a-f-]+-\\d+\\" + format.suffix()));
        assertThat(FilesTestRows.partitionsWithFiles(out)).containsExactly(
                "date=2024-01-15/hour=22", "date=2024-01-15/hour=23",
                "date=2024-01-16/hour=00", "date=2024-01-16/hour=01", "date=2024-01-16/hour=02");

        // Every row once, each in the partition of its own time.
        List<String> written = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        if (format == FileFormat.PARQUET) {
            for (String file : files) {
                String partition = Path.of(file).getParent().toString();
                for (Row row : readParquet(out.resolve(file))) {
                    written.add(partition + " " + row);
                }
            }
            LongStream.range(0, ROWS).forEach(id -> expected.add(FilesTestRows.expectedPartition(id) + " " + FilesTestRows.row(id)));
        } else {
            for (String file : files) {
                String partition = Path.of(file).getParent().toString();
                List<String> lines = Files.readAllLines(out.resolve(file));
                if (format == FileFormat.CSV) { // each part file starts with its header
                    assertThat(lines.get(0)).isEqualTo("id,name,value,ts");
                    lines = lines.subList(1, lines.size());
                }
                lines.forEach(line -> written.add(partition + " " + line));
            }
            LongStream.range(0, ROWS).forEach(id -> expected.add(FilesTestRows.expectedPartition(id) + " "
                    + (format == FileFormat.JSON ? FilesTestRows.expectedJson(id) : FilesTestRows.expectedCsv(id))));
        }
        written.sort(Comparator.naturalOrder());
        expected.sort(Comparator.naturalOrder());
        assertThat(written).hasSize(ROWS).containsExactlyElementsOf(expected);
    }

    private static boolean isHidden(String file) {
        return Path.of(file).getFileName().toString().startsWith(".");
    }

    /** One Parquet file through the Parquet source, bounded. */
    private static List<Row> readParquet(Path file) throws Exception {
        StreamExecutionEnvironment env = FlinkTests.environment();
        env.setParallelism(1);
        var source = FileSources.parquet(file.toString(), SCHEMA, Trigger.AVAILABLE_NOW, FileSources.DEFAULT_DISCOVERY_INTERVAL,
                FileSources.UNLIMITED);
        List<Row> rows = new ArrayList<>();
        try (var it = env.fromSource(source, WatermarkStrategy.noWatermarks(), "parquet").executeAndCollect()) {
            it.forEachRemaining(rows::add);
        }
        return rows;
    }
}
