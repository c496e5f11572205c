package dev.flinkpatterns.testing;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
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
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;

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

    /** The schema that every file under {@code dir} has; an assertion error when there is no file or they differ. */
    public static String schemaOfEvery(Path dir) throws IOException {
        List<Path> files = files(dir);
        if (files.isEmpty()) {
            throw new AssertionError("no Parquet file under " + dir);
        }
        String first = schema(files.get(0));
        for (Path file : files) {
            if (!schema(file).equals(first)) {
                throw new AssertionError(file + " has a schema of its own:\n" + schema(file) + "\nnot\n" + first);
            }
        }
        return first;
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

    /** A row's first {@code fields} fields read by their logical types (DECIMAL, TIMESTAMP as an instant), "null" for an absent one, joined by |. */
    public static String cells(Group row, int fields) {
        GroupType type = row.getType();
        List<String> cells = new ArrayList<>();
        for (int i = 0; i < fields; i++) {
            LogicalTypeAnnotation logical = type.getType(i).getLogicalTypeAnnotation();
            if (row.getFieldRepetitionCount(i) == 0) {
                cells.add("null");
            } else if (logical instanceof DecimalLogicalTypeAnnotation decimal) {
                cells.add(new BigDecimal(new BigInteger(row.getBinary(i, 0).getBytes()), decimal.getScale()).toString());
            } else if (logical instanceof TimestampLogicalTypeAnnotation) {
                cells.add(Instant.ofEpochMilli(row.getLong(i, 0)).toString());
            } else {
                cells.add(row.getValueToString(i, 0));
            }
        }
        return String.join("|", cells);
    }

    /** All of a row's fields, as {@link #cells(Group, int)}. */
    public static String cells(Group row) {
        return cells(row, row.getType().getFieldCount());
    }
}
