package dev.flinkpatterns.patterns.medallion;

import dev.flinkpatterns.io.RowSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;
import dev.flinkpatterns.io.paimon.PaimonCatalogs;
import dev.flinkpatterns.io.paimon.PaimonTables;
import org.apache.flink.types.Row;
import org.apache.paimon.catalog.Catalog;
import org.apache.paimon.table.Table;

/**
 * The lake's tables as the tests see them: the rows of the committed (visible) Parquet part files of a directory,
 * read with parquet-avro directly, or of a Paimon table read with Paimon's reader (no Flink job, so no slot is needed
 * while the stages run), as text lines.
 */
public final class LakeTables {

    private LakeTables() {}

    /** Every row of the visible Parquet files under {@code dir}, each as its values in text joined by '|', sorted. */
    public static List<String> lines(Path dir, RowSchema schema) throws IOException {
        List<String> lines = new ArrayList<>();
        for (Path file : committedFiles(dir)) {
            try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file)).build()) {
                for (GenericRecord record = reader.read(); record != null; record = reader.read()) {
                    lines.add(line(schema.fromAvro(record)));
                }
            }
        }
        lines.sort(null);
        return lines;
    }

    /**
     * The committed rows of a lake's table, as {@link #lines(Path, RowSchema)}: a Parquet table's files, or a Paimon
     * table's latest snapshot read with Paimon's own reader (not Flink's source, which the stages use).
     */
    public static List<String> lines(Lake lake, String table, RowSchema schema) throws IOException {
        if (lake instanceof ParquetLake parquet) {
            return lines(Path.of(parquet.tableDirectory(table)), schema);
        }
        PaimonLake paimon = (PaimonLake) lake;
        List<String> lines = new ArrayList<>();
        try (Catalog catalog = PaimonCatalogs.open(paimon.warehouse())) {
            Table paimonTable = catalog.getTable(PaimonCatalogs.identifier(paimon.tableName(table), "table"));
            for (List<Object> cells : PaimonTables.rows(paimonTable)) {
                lines.add(line(Row.of(cells.toArray())));
            }
        } catch (Catalog.TableNotExistException e) {
            return List.of();
        } catch (Exception e) {
            throw new IOException(e);
        }
        lines.sort(null);
        return lines;
    }

    static String line(Row row) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < row.getArity(); i++) {
            values.add(RowSchema.text(row.getField(i)));
        }
        return String.join("|", values);
    }

    /** The part files a reader sees: not the hidden in-progress ones. */
    static List<Path> committedFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        while (true) {
            try (var files = Files.walk(dir)) {
                return files.filter(Files::isRegularFile).filter(file -> !file.getFileName().toString().startsWith("."))
                        .sorted().collect(Collectors.toList());
            } catch (java.io.UncheckedIOException e) {
                if (!(e.getCause() instanceof java.nio.file.NoSuchFileException)) {
                    throw e;
                }
                // A writer renamed its in-progress file while the walk listed it: list again.
            }
        }
    }

}
