package dev.flinkpatterns.io;

import dev.flinkpatterns.parse.MalformedRecordException;
import dev.flinkpatterns.parse.Timestamps;
import java.io.Serializable;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.types.Row;

/**
 * Spark's {@code StructType} for files: named, typed columns, given up front (no inference). Rows are Flink
 * {@link Row}s holding the Java values of the types below, by position. The same schema parses CSV and JSON lines,
 * writes JSON, CSV and Parquet (as an Avro record) and reads Parquet back.
 */
public record RowSchema(List<Column> columns) implements Serializable {

    /** Spark's column types that the files here carry; TIMESTAMP is a UTC wall-clock time, as the data writes it. */
    public enum Type {
        STRING(Types.STRING), INT(Types.INT), LONG(Types.LONG), DOUBLE(Types.DOUBLE), BOOLEAN(Types.BOOLEAN),
        TIMESTAMP(Types.LOCAL_DATE_TIME);

        private final transient TypeInformation<?> flinkType;

        Type(TypeInformation<?> flinkType) {
            this.flinkType = flinkType;
        }
    }

    /** A column; a nullable one may be empty (CSV), absent or null (JSON). */
    public record Column(String name, Type type, boolean nullable) implements Serializable {
        public static Column required(String name, Type type) {
            return new Column(name, type, false);
        }

        public static Column nullable(String name, Type type) {
            return new Column(name, type, true);
        }
    }

    /** The partition value of a row whose time is null or not a time, as Spark names it. */
    public static final String DEFAULT_PARTITION = "__HIVE_DEFAULT_PARTITION__";

    public RowSchema {
        columns = List.copyOf(columns);
        if (columns.stream().map(Column::name).distinct().count() != columns.size()) {
            throw new IllegalArgumentException("duplicate column names: " + columns);
        }
    }

    public static RowSchema of(Column... columns) {
        return new RowSchema(List.of(columns));
    }

    public List<String> names() {
        return columns.stream().map(Column::name).toList();
    }

    public int size() {
        return columns.size();
    }

    public Column column(int index) {
        return columns.get(index);
    }

    /** The position of a column, or -1. */
    public int indexOf(String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Flink's type of these rows, so they travel between operators with Flink's row serializer, not Kryo. */
    public TypeInformation<Row> rowType() {
        return Types.ROW_NAMED(names().toArray(String[]::new),
                columns.stream().map(column -> column.type().flinkType).toArray(TypeInformation[]::new));
    }

    /** The value of a CSV field: an empty field is null for a nullable column. */
    public Object parse(int index, String text) throws MalformedRecordException {
        Column column = columns.get(index);
        if (text.isEmpty()) {
            if (column.nullable()) {
                return null;
            }
            throw new MalformedRecordException(column.name() + " is empty");
        }
        String name = column.name();
        try {
            return switch (column.type()) {
                case STRING -> text;
                case INT -> Integer.parseInt(text);
                case LONG -> Long.parseLong(text);
                case DOUBLE -> finite(name, Double.parseDouble(text), text);
                case BOOLEAN -> bool(name, text);
                case TIMESTAMP -> time(name, text);
            };
        } catch (NumberFormatException e) {
            throw new MalformedRecordException(name + " is not " + article(column.type()) + ": '" + text + "'");
        }
    }

    /** A timestamp as the data writes it; the reason names the column. */
    public static LocalDateTime time(String column, String text) throws MalformedRecordException {
        try {
            return toTime(Timestamps.parseMillis(text));
        } catch (MalformedRecordException e) {
            throw new MalformedRecordException(column + ": " + e.getMessage());
        }
    }

    /** A value as CSV and JSON write it; timestamps in Spark's display form, which {@link #parse} reads back. */
    public static String text(Object value) {
        if (value instanceof LocalDateTime time) {
            return Timestamps.display(millis(time));
        }
        return String.valueOf(value);
    }

    public static long millis(LocalDateTime time) {
        return time.toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    public static LocalDateTime toTime(long epochMillis) {
        return LocalDateTime.ofEpochSecond(Math.floorDiv(epochMillis, 1000), (int) Math.floorMod(epochMillis, 1000) * 1_000_000,
                ZoneOffset.UTC);
    }

    /** A row as one JSON object (Spark's JSON sink: null values left out), for late rows and messages. */
    public String toJson(Row row) {
        String line = RowWriters.json(row, this, false);
        return line.substring(0, line.length() - 1);
    }

    /** The Avro record Parquet files are written with: nullable columns as unions with null, timestamps in millis. */
    public Schema avroSchema() {
        SchemaBuilder.FieldAssembler<Schema> fields = SchemaBuilder.record("row").namespace("dev.flinkpatterns").fields();
        for (Column column : columns) {
            Schema type = switch (column.type()) {
                case STRING -> Schema.create(Schema.Type.STRING);
                case INT -> Schema.create(Schema.Type.INT);
                case LONG -> Schema.create(Schema.Type.LONG);
                case DOUBLE -> Schema.create(Schema.Type.DOUBLE);
                case BOOLEAN -> Schema.create(Schema.Type.BOOLEAN);
                case TIMESTAMP -> LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
            };
            if (column.nullable()) {
                fields = fields.name(column.name()).type(Schema.createUnion(Schema.create(Schema.Type.NULL), type)).withDefault(null);
            } else {
                fields = fields.name(column.name()).type(type).noDefault();
            }
        }
        return fields.endRecord();
    }

    public GenericRecord toAvro(Row row, Schema avroSchema) {
        GenericData.Record record = new GenericData.Record(avroSchema);
        for (int i = 0; i < columns.size(); i++) {
            Object value = row.getField(i);
            record.put(i, value instanceof LocalDateTime time ? millis(time) : value);
        }
        return record;
    }

    public Row fromAvro(GenericRecord record) {
        Row row = new Row(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            Object value = record.get(columns.get(i).name());
            row.setField(i, switch (columns.get(i).type()) {
                case STRING -> value == null ? null : value.toString(); // Avro gives Utf8
                case TIMESTAMP -> value == null ? null : toTime((Long) value);
                default -> value;
            });
        }
        return row;
    }

    private static double finite(String name, double value, String text) throws MalformedRecordException {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new MalformedRecordException(name + " is not a number: '" + text + "'");
        }
        return value;
    }

    private static boolean bool(String name, String text) throws MalformedRecordException {
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new MalformedRecordException(name + " is not a boolean: '" + text + "'");
        };
    }

    private static String article(Type type) {
        return switch (type) {
            case INT -> "an integer";
            case LONG -> "a long integer";
            case DOUBLE -> "a number";
            default -> "a " + type.name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
