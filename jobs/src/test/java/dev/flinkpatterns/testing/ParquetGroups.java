package dev.flinkpatterns.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.RecordReader;

/** Parquet files read with parquet-hadoop's own reader (no Avro, not the writer's code): schemas and rows. */
public final class ParquetGroups {

    private ParquetGroups() {}

    /** The visible (committed) files under {@code dir}, sorted. */
    public static List<Path> files(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).filter(file -> !file.getFileName().toString().startsWith("."))
                    .sorted().toList();
        }
    }

    /** The file's schema as parquet prints it, with physical and logical types. */
    public static String schema(Path file) throws IOException {
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
            return reader.getFooter().getFileMetaData().getSchema().toString();
        }
    }

    /** Every row of the files under {@code dir}, each as {@code format} shows it. */
    public static List<String> rows(Path dir, Function<Group, String> format) throws IOException {
        List<String> rows = new ArrayList<>();
        for (Path file : files(dir)) {
            try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
                var schema = reader.getFooter().getFileMetaData().getSchema();
                for (PageReadStore pages = reader.readNextRowGroup(); pages != null; pages = reader.readNextRowGroup()) {
                    RecordReader<Group> records = new ColumnIOFactory().getColumnIO(schema)
                            .getRecordReader(pages, new GroupRecordConverter(schema));
                    for (long i = 0; i < pages.getRowCount(); i++) {
                        rows.add(format.apply(records.read()));
                    }
                }
            }
        }
        return rows;
    }
}
