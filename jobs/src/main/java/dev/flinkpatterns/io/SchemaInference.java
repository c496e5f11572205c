package dev.flinkpatterns.io;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinkpatterns.io.RowSchema.Column;
import dev.flinkpatterns.io.RowSchema.Type;
import dev.flinkpatterns.parse.CsvFields;
import dev.flinkpatterns.parse.JsonObjects;
import dev.flinkpatterns.parse.MalformedRecordException;
import dev.flinkpatterns.parse.TextFormats;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;

/**
 * Spark's {@code inferSchema} (and Auto Loader's {@code cloudFiles.inferColumnTypes}) for a local directory. The
 * sample: the files the source would read (names starting with {@code .} or {@code _} skipped, subdirectories
 * included), oldest first (ties by path), up to the first {@value #SAMPLE_ROWS} data rows in all. Every inferred
 * column is nullable, as in Spark.
 *
 * <p>A value's type is the narrowest of INT, BIGINT, DOUBLE, BOOLEAN ({@code true}/{@code false}), DATE (the date
 * format, else {@code yyyy-MM-dd}), TIMESTAMP (the timestamp format, else ISO-8601) and STRING; a column's type
 * widens over its values as Spark's does: INT → BIGINT → DOUBLE, DATE → TIMESTAMP, anything else that differs →
 * STRING; empty (CSV) and null (JSON) values fit any type, and a column with no other values is STRING. Decimal
 * fractions are DOUBLE, as Spark infers them. CSV: the header's names (Spark's {@code header}), else
 * {@code _c0, _c1, ...}, in file order; rows with another number of fields are not sampled. JSON (as Spark): any
 * integer is BIGINT, objects are STRUCTs, arrays ARRAYs of their elements' widened type (ARRAY&lt;STRING&gt; when
 * empty), and fields are sorted by name. Parquet: the first file's own schema.
 */
public final class SchemaInference {

    public static final int SAMPLE_ROWS = 1000;

    private SchemaInference() {}

    /**
     * The schema of the files in {@code directory}, read with {@code options}' format and reader options (its
     * schema is ignored). An {@link IllegalArgumentException} says why none can be inferred (without the
     * directory's name, which the caller shows as the user gave it).
     */
    public static RowSchema infer(Path directory, ReaderOptions.Format format, Boolean header, char delimiter,
            TextFormats formats) {
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("no such directory");
        }
        List<Path> files = files(directory);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no files to infer a schema from (names starting with . or _ are skipped)");
        }
        return switch (format) {
            case CSV -> csv(files, Boolean.TRUE.equals(header), delimiter, formats);
            case JSON -> json(files, formats);
            case PARQUET -> parquet(files.get(0));
            case TEXT -> ReaderOptions.TEXT_SCHEMA;
        };
    }

    /** The files the source reads, in its order: oldest first, then by path. */
    static List<Path> files(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            return paths.filter(path -> !path.equals(directory))
                    .filter(path -> isVisible(directory.relativize(path)))
                    .filter(Files::isRegularFile)
                    .sorted(Comparator.comparing(SchemaInference::modified).thenComparing(Path::toString))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isVisible(Path relative) {
        for (Path part : relative) {
            String name = part.toString();
            if (name.startsWith(".") || name.startsWith("_")) {
                return false;
            }
        }
        return true;
    }

    private static long modified(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class).lastModifiedTime().toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A type as inference sees it: {@code type} null is Spark's NullType (only nulls, empty fields or an empty
     * array's elements so far), which widens to anything; {@code fields} for STRUCT (sorted), {@code element} for ARRAY.
     */
    private record Inferred(Type type, Map<String, Inferred> fields, Inferred element) {
        static final Inferred NULL = new Inferred(null, null, null);

        static Inferred of(Type type) {
            return new Inferred(type, null, null);
        }

        /** The column of this type; NullType becomes STRING, as Spark makes it. */
        Column column(String name) {
            if (type == null) {
                return Column.nullable(name, Type.STRING);
            }
            return switch (type) {
                case STRUCT -> Column.struct(name, schema(fields), true);
                case ARRAY -> Column.array(name, element.column("element"), true);
                default -> Column.nullable(name, type);
            };
        }

        static RowSchema schema(Map<String, Inferred> fields) {
            List<Column> columns = new ArrayList<>();
            fields.forEach((name, type) -> columns.add(type.column(name)));
            return new RowSchema(columns);
        }
    }

    private static RowSchema csv(List<Path> files, boolean header, char delimiter, TextFormats formats) {
        List<String> names = null;
        List<Inferred> types = null;
        int sampled = 0;
        for (Path file : files) {
            try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                boolean first = true;
                for (String line = reader.readLine(); line != null && sampled < SAMPLE_ROWS; line = reader.readLine()) {
                    boolean headerLine = first && header;
                    first = false;
                    line = line.startsWith("\uFEFF") ? line.substring(1) : line;
                    if (line.isBlank()) {
                        continue;
                    }
                    List<String> fields;
                    try {
                        fields = CsvFields.split(line, delimiter);
                    } catch (MalformedRecordException e) {
                        continue;
                    }
                    if (names == null) {
                        names = columnNames(headerLine ? fields : null, fields.size());
                        types = new ArrayList<>();
                        for (int i = 0; i < names.size(); i++) {
                            types.add(Inferred.NULL);
                        }
                    }
                    if (headerLine || fields.size() != names.size()) {
                        continue;
                    }
                    for (int i = 0; i < fields.size(); i++) {
                        types.set(i, widen(types.get(i), textType(fields.get(i), formats)));
                    }
                    sampled++;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (sampled >= SAMPLE_ROWS) {
                break;
            }
        }
        if (names == null) {
            throw new IllegalArgumentException("the files have no CSV lines to infer a schema from");
        }
        List<Column> columns = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            columns.add(types.get(i).column(names.get(i)));
        }
        return new RowSchema(columns);
    }

    /** Spark's names: the header's (an empty one is {@code _c<i>}, a repeated one gets its index), or _c0, _c1, ... */
    private static List<String> columnNames(List<String> header, int count) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = header == null || header.get(i).isBlank() ? "_c" + i : header.get(i).strip();
            names.add(name);
        }
        List<String> given = List.copyOf(names);
        for (int i = 0; i < count; i++) {
            String name = given.get(i);
            if (given.stream().filter(other -> other.equalsIgnoreCase(name)).count() > 1) {
                names.set(i, name + i);
            }
        }
        return names;
    }

    /** The narrowest type of a CSV field or a JSON string; NullType for an empty field. */
    private static Inferred textType(String text, TextFormats formats) {
        if (text.isEmpty()) {
            return Inferred.NULL;
        }
        if (text.matches("[+-]?\\d{1,19}")) {
            try {
                long value = Long.parseLong(text);
                return Inferred.of(value == (int) value ? Type.INT : Type.LONG);
            } catch (NumberFormatException e) {
                return Inferred.of(Type.DOUBLE);
            }
        }
        if (text.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
            return Inferred.of(Type.DOUBLE);
        }
        if (text.equals("true") || text.equals("false")) {
            return Inferred.of(Type.BOOLEAN);
        }
        return stringType(text, formats);
    }

    private static Inferred stringType(String text, TextFormats formats) {
        if (formats.isDate(text)) {
            return Inferred.of(Type.DATE);
        }
        if (formats.isTimestamp(text)) {
            return Inferred.of(Type.TIMESTAMP);
        }
        return Inferred.of(Type.STRING);
    }

    private static RowSchema json(List<Path> files, TextFormats formats) {
        Map<String, Inferred> fields = new TreeMap<>();
        int sampled = 0;
        for (Path file : files) {
            try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                for (String line = reader.readLine(); line != null && sampled < SAMPLE_ROWS; line = reader.readLine()) {
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode object;
                    try {
                        object = JsonObjects.read(line.startsWith("\uFEFF") ? line.substring(1) : line);
                    } catch (MalformedRecordException e) {
                        continue;
                    }
                    mergeFields(fields, object, formats);
                    sampled++;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (sampled >= SAMPLE_ROWS) {
                break;
            }
        }
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("the files have no JSON objects with fields to infer a schema from");
        }
        return Inferred.schema(fields);
    }

    private static void mergeFields(Map<String, Inferred> fields, JsonNode object, TextFormats formats) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            fields.merge(field.getKey(), jsonType(field.getValue(), formats), SchemaInference::widen);
        }
    }

    /** The type of a JSON value. */
    private static Inferred jsonType(JsonNode node, TextFormats formats) {
        if (node == null || node.isNull()) {
            return Inferred.NULL;
        }
        if (node.isIntegralNumber()) {
            return Inferred.of(node.canConvertToLong() ? Type.LONG : Type.DOUBLE);
        }
        if (node.isNumber()) {
            return Inferred.of(Type.DOUBLE);
        }
        if (node.isBoolean()) {
            return Inferred.of(Type.BOOLEAN);
        }
        if (node.isTextual()) {
            return stringType(node.textValue(), formats);
        }
        if (node.isArray()) {
            Inferred element = Inferred.NULL;
            for (JsonNode item : node) {
                element = widen(element, jsonType(item, formats));
            }
            return new Inferred(Type.ARRAY, null, element);
        }
        if (node.isObject() && node.size() > 0) {
            Map<String, Inferred> fields = new TreeMap<>();
            mergeFields(fields, node, formats);
            return new Inferred(Type.STRUCT, fields, null);
        }
        return Inferred.of(Type.STRING);
    }

    /** Spark's widening of two inferred types. */
    private static Inferred widen(Inferred a, Inferred b) {
        if (a.type() == null) {
            return b;
        }
        if (b.type() == null || a.equals(b)) {
            return a;
        }
        Type x = a.type();
        Type y = b.type();
        if (isNumber(x) && isNumber(y)) {
            return Inferred.of(x == Type.DOUBLE || y == Type.DOUBLE ? Type.DOUBLE : Type.LONG);
        }
        if ((x == Type.DATE && y == Type.TIMESTAMP) || (x == Type.TIMESTAMP && y == Type.DATE)) {
            return Inferred.of(Type.TIMESTAMP);
        }
        if (x == Type.ARRAY && y == Type.ARRAY) {
            return new Inferred(Type.ARRAY, null, widen(a.element(), b.element()));
        }
        if (x == Type.STRUCT && y == Type.STRUCT) {
            Map<String, Inferred> fields = new TreeMap<>(a.fields());
            b.fields().forEach((name, type) -> fields.merge(name, type, SchemaInference::widen));
            return new Inferred(Type.STRUCT, fields, null);
        }
        return Inferred.of(Type.STRING);
    }

    private static boolean isNumber(Type type) {
        return type == Type.INT || type == Type.LONG || type == Type.DOUBLE;
    }

    private static RowSchema parquet(Path file) {
        try (ParquetFileReader reader = ParquetFileReader.open(
                HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))) {
            var parquetSchema = reader.getFooter().getFileMetaData().getSchema();
            RowSchema converted = RowSchema.fromAvroSchema(
                    new AvroSchemaConverter(ParquetRowFormat.readerSettings()).convert(parquetSchema));
            // Avro has decimals of bytes only: Spark's INT32 and INT64 decimals come through as INT and BIGINT.
            List<RowSchema.Column> columns = new ArrayList<>();
            for (RowSchema.Column column : converted.columns()) {
                var field = parquetSchema.getType(column.name());
                if (field.isPrimitive()
                        && field.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation decimal) {
                    columns.add(RowSchema.Column.decimal(column.name(), decimal.getPrecision(), decimal.getScale(),
                            column.nullable()));
                } else {
                    columns.add(column);
                }
            }
            return new RowSchema(columns);
        } catch (IOException e) {
            throw new IllegalArgumentException(file.getFileName() + " is not a Parquet file: " + e.getMessage());
        }
    }
}
