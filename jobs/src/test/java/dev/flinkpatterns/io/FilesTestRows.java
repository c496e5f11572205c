package dev.flinkpatterns.io;

import dev.flinkpatterns.io.RowSchema.Column;
import dev.flinkpatterns.io.RowSchema.Type;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.flink.types.Row;

/** The rows the file tests write and read: one per 20 s from 2024-01-15 22:00, so 900 rows span 5 hours and two dates. */
final class FilesTestRows {

    static final RowSchema SCHEMA = RowSchema.of(
            Column.required("id", Type.LONG),
            Column.nullable("name", Type.STRING),
            Column.required("value", Type.DOUBLE),
            Column.required("ts", Type.TIMESTAMP));

    static final LocalDateTime START = LocalDateTime.of(2024, 1, 15, 22, 0);

    private FilesTestRows() {}

    /** Row {@code id}: every 7th has no name, and some names need CSV quoting. */
    static Row row(long id) {
        String name = id % 7 == 0 ? null : id % 5 == 0 ? "row " + id + ", \"quoted\"" : "row-" + id;
        return Row.of(id, name, id * 0.5, START.plusSeconds(20 * id));
    }

    static List<Row> rows(long count) {
        return LongStream.range(0, count).mapToObj(FilesTestRows::row).toList();
    }

    /** Written by hand, not by the sink's code: what the JSON sink must write for a row. */
    static String expectedJson(long id) {
        Row row = row(id);
        String name = row.getField(1) == null ? "" : "\"name\":\"" + ((String) row.getField(1)).replace("\"", "\\\"") + "\",";
        return "{\"id\":" + id + "," + name + "\"value\":" + (id * 0.5) + ",\"ts\":\"" + display(row) + "\"}";
    }

    /** What the CSV sink must write for a row. */
    static String expectedCsv(long id) {
        Row row = row(id);
        String name = row.getField(1) == null ? "" : (String) row.getField(1);
        if (name.contains(",")) {
            name = "\"" + name.replace("\"", "\"\"") + "\"";
        }
        return id + "," + name + "," + (id * 0.5) + "," + display(row);
    }

    /** Spark's partition directory of a row, computed from its time by hand. */
    static String expectedPartition(long id) {
        LocalDateTime ts = START.plusSeconds(20 * id);
        return "date=" + ts.toLocalDate() + "/hour=" + String.format("%02d", ts.getHour());
    }

    /** Spark's JSON and CSV writers' timestamp form, in UTC. */
    private static String display(Row row) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").format((LocalDateTime) row.getField(3));
    }

    /** Every file under {@code dir}, relative to it, sorted: the visible part files and any hidden in-progress ones. */
    static List<String> allFiles(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(file -> dir.relativize(file).toString()).sorted().toList();
        }
    }

    /** The partition directories (two levels: date, hour) that hold files. */
    static List<String> partitionsWithFiles(Path dir) throws IOException {
        return allFiles(dir).stream().map(file -> Path.of(file).getParent().toString()).distinct().sorted().toList();
    }
}
