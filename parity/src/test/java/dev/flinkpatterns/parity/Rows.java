package dev.flinkpatterns.parity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;

/**
 * Rows of both sides in one text form, so that they compare as strings: {@code {column=value, ...}} by column name,
 * a whole number as such, a decimal without trailing zeros, a timestamp as {@code 2025-07-15 10:00:00} (UTC; with
 * its fraction only when it has one), a list as {@code [a, b]}. Sorted, as a result table has no order.
 */
final class Rows {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Rows() {}

    /** Spark's rows. */
    static List<String> of(List<Row> rows) {
        return texts(cellsOf(rows));
    }

    /** Spark's rows as cells by column name, each in the text form above (to set a column aside before comparing). */
    static List<Map<String, String>> cellsOf(List<Row> rows) {
        List<Map<String, String>> tables = new ArrayList<>();
        for (Row row : rows) {
            Map<String, String> cells = new TreeMap<>();
            StructField[] fields = row.schema().fields();
            for (int i = 0; i < fields.length; i++) {
                cells.put(fields[i].name(), value(row.get(i)));
            }
            tables.add(cells);
        }
        return tables;
    }

    /** The rows of a Flink JSON-lines output directory (its visible part files; Flink's in-progress files are hidden). */
    static List<String> ofJsonLines(String directory) {
        return texts(cellsOfJsonLines(directory));
    }

    /** {@link #ofJsonLines} as cells by column name. */
    static List<Map<String, String>> cellsOfJsonLines(String directory) {
        List<Map<String, String>> rows = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Patterns.ROOT.resolve(directory))) {
            for (Path file : files.filter(Files::isRegularFile)
                    .filter(path -> !path.getFileName().toString().startsWith(".")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    if (line.isBlank()) {
                        continue;
                    }
                    Map<String, String> cells = new TreeMap<>();
                    Iterator<Map.Entry<String, JsonNode>> fields = JSON.readTree(line).fields();
                    while (fields.hasNext()) {
                        Map.Entry<String, JsonNode> field = fields.next();
                        cells.put(field.getKey(), json(field.getValue()));
                    }
                    rows.add(cells);
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot read " + directory, e);
        }
        return rows;
    }

    /** Rows of cells in the compared form: {@code {column=value, ...}}, sorted. */
    static List<String> texts(List<Map<String, String>> rows) {
        List<String> texts = new ArrayList<>();
        rows.forEach(row -> texts.add(new TreeMap<>(row).toString()));
        texts.sort(null);
        return texts;
    }

    /**
     * Spark's row, in PERMISSIVE mode, of a CSV line its reader cannot take whole (Flink's dead letter): each field
     * that does not convert to its column's type, or is missing, is null; an extra field is dropped. {@code schema}:
     * {@code name TYPE, ...} with TIMESTAMP, INT, BIGINT, DOUBLE or STRING columns.
     */
    static Map<String, String> permissiveCsvRow(String line, String schema) {
        String[] fields = line.split(",", -1);
        String[] columns = schema.split(",\\s*");
        Map<String, String> row = new TreeMap<>();
        for (int i = 0; i < columns.length; i++) {
            String[] column = columns[i].trim().split("\\s+");
            String field = i < fields.length ? fields[i] : null;
            row.put(column[0], field == null ? "null" : switch (column[1].toUpperCase(java.util.Locale.ROOT)) {
                case "TIMESTAMP" -> field.matches("\\d{4}-\\d\\d-\\d\\d[T ]\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?")
                        ? text(field) : "null";
                case "INT", "BIGINT" -> field.matches("-?\\d+") ? field : "null";
                case "DOUBLE" -> field.matches("-?\\d+(\\.\\d+)?") ? number(new BigDecimal(field)) : "null";
                default -> field;
            });
        }
        return row;
    }

    /** The blank lines of the files of an input directory: no row on either side. */
    static int blankLines(String directory) {
        int blank = 0;
        try (Stream<Path> files = Files.list(Patterns.ROOT.resolve(directory))) {
            for (Path file : files.toList()) {
                blank += (int) Files.readAllLines(file).stream().filter(String::isBlank).count();
            }
        } catch (IOException e) {
            throw new AssertionError("cannot read " + directory, e);
        }
        return blank;
    }

    /**
     * Removes the column of the time of the run ({@code current_timestamp()}) from each row, checking that it is a
     * time within the run (a second of slack for the clocks' rounding).
     */
    static void removeRunTime(List<Map<String, String>> rows, String column, Instant start, Instant end) {
        assertThat(rows).isNotEmpty();
        for (Map<String, String> row : rows) {
            assertThat(instant(row.remove(column))).as(column).isBetween(start.minusSeconds(1), end.plusSeconds(1));
        }
    }

    /** A timestamp cell ({@code 2025-07-15 10:00:00.5}, UTC) as the instant it is. */
    static Instant instant(String cell) {
        return LocalDateTime.parse(cell.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
    }

    /** A JSON value in the text form above, as {@link #ofJsonLines} reads it (for rows a test builds). */
    static String jsonCell(JsonNode node) {
        return json(node);
    }

    /**
     * The rows of the last table a run printed on the console ({@code --truncate false}): in complete mode, the whole
     * result. A cell is text; {@code null} is a null.
     */
    static List<String> ofLastConsoleTable(String out) {
        int batch = out.lastIndexOf("\nBatch: ");
        if (batch < 0) {
            throw new AssertionError("no batch in:\n" + out);
        }
        List<String> lines = out.substring(batch).lines().filter(line -> line.startsWith("|")).toList();
        List<String> columns = cells(lines.get(0));
        List<String> texts = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            List<String> values = cells(line);
            Map<String, String> row = new TreeMap<>();
            for (int i = 0; i < columns.size(); i++) {
                row.put(columns.get(i), text(values.get(i)));
            }
            texts.add(row.toString());
        }
        texts.sort(null);
        return texts;
    }

    /** The records (the lines as read) of the dead letters of a Flink run whose output went to {@code directory}. */
    static List<String> deadLetterRecords(String directory) {
        List<String> records = new ArrayList<>();
        Path deadLetters = Patterns.ROOT.resolve(directory).resolve("dead-letter");
        if (!Files.isDirectory(deadLetters)) {
            return records;
        }
        try (Stream<Path> files = Files.list(deadLetters)) {
            for (Path file : files.filter(path -> !path.getFileName().toString().startsWith(".")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    records.add(JSON.readTree(line).path("record").asText());
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot read " + deadLetters, e);
        }
        records.sort(null);
        return records;
    }

    private static List<String> cells(String line) {
        String[] parts = line.substring(1, line.length() - 1).split("\\|", -1);
        List<String> cells = new ArrayList<>();
        for (String part : parts) {
            cells.add(part.strip());
        }
        return cells;
    }

    private static String json(JsonNode node) {
        if (node.isNull()) {
            return "null";
        }
        if (node.isArray()) {
            List<String> elements = new ArrayList<>();
            node.forEach(element -> elements.add(json(element)));
            return elements.toString();
        }
        if (node.isNumber()) {
            return number(node.decimalValue());
        }
        if (node.isTextual()) {
            return text(node.asText());
        }
        return node.toString();
    }

    private static String value(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Row struct) {
            return of(List.of(struct)).get(0);
        }
        if (value instanceof scala.collection.Seq<?> seq) {
            List<String> elements = new ArrayList<>();
            scala.jdk.javaapi.CollectionConverters.asJava(seq).forEach(element -> elements.add(value(element)));
            return elements.toString();
        }
        if (value instanceof Instant instant) {
            return timestamp(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
        }
        if (value instanceof LocalDateTime time) {
            return timestamp(time);
        }
        if (value instanceof LocalDate date) {
            return date.toString();
        }
        if (value instanceof BigDecimal decimal) {
            return number(decimal);
        }
        if (value instanceof Number number) {
            return number(new BigDecimal(number.toString()));
        }
        return text(value.toString());
    }

    /** A text that is a timestamp (Flink's JSON: 2025-07-15T10:00:00, or ...:00.000Z for a local-zone one) as one. */
    private static String text(String text) {
        if (text.matches("\\d{4}-\\d\\d-\\d\\d[T ]\\d\\d:\\d\\d(:\\d\\d(\\.\\d+)?)?Z?")) {
            String iso = text.replace(' ', 'T');
            return timestamp(iso.endsWith("Z") ? OffsetDateTime.parse(iso).toLocalDateTime() : LocalDateTime.parse(iso));
        }
        return text;
    }

    private static String timestamp(LocalDateTime time) {
        String text = time.toLocalDate() + " " + String.format("%02d:%02d:%02d", time.getHour(), time.getMinute(),
                time.getSecond());
        return time.getNano() == 0 ? text : text + "." + String.format("%09d", time.getNano()).replaceAll("0+$", "");
    }

    private static String number(BigDecimal number) {
        BigDecimal stripped = number.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0).toPlainString() : stripped.toPlainString();
    }
}
