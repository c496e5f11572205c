package dev.flinkpatterns.io;

import dev.flinkpatterns.parse.MalformedRecordException;
import dev.flinkpatterns.parse.Timestamps;
import dev.flinkpatterns.parse.TextFormats;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.types.Row;

/**
 * Spark's {@code StructType} for files: named, typed columns, given up front or inferred ({@link SchemaInference});
 * written and read as Spark's DDL by {@link SchemaDdl}. Rows are Flink {@link Row}s holding the Java values of the
 * types below, by position. The same schema parses CSV and JSON lines,
 * writes JSON, CSV and Parquet (as an Avro record) and reads Parquet back.
 */
public record RowSchema(List<Column> columns) implements Serializable {

    /**
     * Spark's column types that the files here carry; TIMESTAMP is a UTC wall-clock time, as the data writes it.
     * LONG is Spark's BIGINT (the DDL name). DECIMAL, STRUCT and ARRAY take {@link TypeArgs}.
     */
    public enum Type {
        STRING, INT, LONG, DOUBLE, BOOLEAN, TIMESTAMP,
        /** {@link java.math.BigDecimal} of the column's precision and scale. */
        DECIMAL,
        /** {@link LocalDate}. */
        DATE,
        /** A nested {@link Row} of the column's fields (JSON objects, Parquet groups). */
        STRUCT,
        /** A {@link List} of the column's element type (JSON arrays, Parquet lists). */
        ARRAY;

        /** Spark's DDL name of the type without its arguments. */
        public String ddlName() {
            return this == LONG ? "BIGINT" : name();
        }
    }

    /**
     * What a DECIMAL, STRUCT or ARRAY column needs beyond its type: precision and scale, the nested fields, or the
     * element (a column named {@code element}, nullable as Spark's {@code containsNull}). Null for other types.
     */
    public record TypeArgs(int precision, int scale, RowSchema fields, Column element) implements Serializable {}

    /** A column; a nullable one may be empty (CSV), absent or null (JSON). */
    public record Column(String name, Type type, boolean nullable, TypeArgs args) implements Serializable {

        public Column {
            boolean needsArgs = type == Type.DECIMAL || type == Type.STRUCT || type == Type.ARRAY;
            if (needsArgs != (args != null)) {
                throw new IllegalArgumentException(type + (needsArgs ? " needs" : " takes no") + " type arguments: " + name);
            }
            if (type == Type.DECIMAL && (args.precision() < 1 || args.precision() > 38 || args.scale() < 0
                    || args.scale() > args.precision())) {
                throw new IllegalArgumentException("DECIMAL(" + args.precision() + "," + args.scale()
                        + ") needs 1 <= precision <= 38 and 0 <= scale <= precision");
            }
        }

        public Column(String name, Type type, boolean nullable) {
            this(name, type, nullable, null);
        }

        public static Column required(String name, Type type) {
            return new Column(name, type, false);
        }

        public static Column nullable(String name, Type type) {
            return new Column(name, type, true);
        }

        /** Spark's {@code DECIMAL(precision, scale)}. */
        public static Column decimal(String name, int precision, int scale, boolean nullable) {
            return new Column(name, Type.DECIMAL, nullable, new TypeArgs(precision, scale, null, null));
        }

        /** Spark's {@code STRUCT<...>}: a nested row of {@code fields}. */
        public static Column struct(String name, RowSchema fields, boolean nullable) {
            return new Column(name, Type.STRUCT, nullable, new TypeArgs(0, 0, fields, null));
        }

        /** Spark's {@code ARRAY<...>} of {@code element} (its name is ignored and set to {@code element}). */
        public static Column array(String name, Column element, boolean nullable) {
            Column named = new Column("element", element.type(), element.nullable(), element.args());
            return new Column(name, Type.ARRAY, nullable, new TypeArgs(0, 0, null, named));
        }

        public Column withName(String newName) {
            return new Column(newName, type, nullable, args);
        }

        public Column withNullable(boolean isNullable) {
            return new Column(name, type, isNullable, args);
        }

        /** Spark's DDL of the type: {@code DECIMAL(10,2)}, {@code ARRAY<STRING>}, {@code STRUCT<a: INT, ...>}. */
        public String ddlType() {
            return switch (type) {
                case DECIMAL -> "DECIMAL(" + args.precision() + "," + args.scale() + ")";
                case ARRAY -> "ARRAY<" + args.element().ddlType() + ">";
                case STRUCT -> "STRUCT<" + String.join(", ", args.fields().columns().stream()
                        .map(field -> SchemaDdl.quoteName(field.name()) + ": " + field.ddlType()
                                + (field.nullable() ? "" : " NOT NULL")).toList()) + ">";
                default -> type.ddlName();
            };
        }

        /** Flink's type of this column's values. */
        public TypeInformation<?> flinkType() {
            return switch (type) {
                case STRING -> Types.STRING;
                case INT -> Types.INT;
                case LONG -> Types.LONG;
                case DOUBLE -> Types.DOUBLE;
                case BOOLEAN -> Types.BOOLEAN;
                case TIMESTAMP -> Types.LOCAL_DATE_TIME;
                case DECIMAL -> Types.BIG_DEC;
                case DATE -> Types.LOCAL_DATE;
                case STRUCT -> args.fields().rowType();
                case ARRAY -> Types.LIST(args.element().flinkType());
            };
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
                columns.stream().map(Column::flinkType).toArray(TypeInformation[]::new));
    }

    /** The value of a CSV field: an empty field is null for a nullable column. Timestamps as the data writes them. */
    public Object parse(int index, String text) throws MalformedRecordException {
        return parse(index, text, TextFormats.DEFAULT);
    }

    /** As above, with Spark's {@code timestampFormat} and {@code dateFormat} options. */
    public Object parse(int index, String text, TextFormats formats) throws MalformedRecordException {
        return parseText(columns.get(index), text, formats);
    }

    /** A column's value from its text (a CSV field, a JSON string); the reason of a bad one names the column. */
    public static Object parseText(Column column, String text, TextFormats formats) throws MalformedRecordException {
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
                case TIMESTAMP -> formats.timestamp(name, text);
                case DATE -> formats.date(name, text);
                case DECIMAL -> decimal(column, new BigDecimal(text));
                case STRUCT, ARRAY -> throw new MalformedRecordException(name + " is " + column.ddlType()
                        + ", which a text field cannot hold");
            };
        } catch (NumberFormatException e) {
            throw new MalformedRecordException(name + " is not " + article(column) + ": '" + text + "'");
        }
    }

    /**
     * A decimal that fits the column's DECIMAL(p,s) exactly, at scale s: more fractional digits than s, or more
     * than p - s integer digits, do not fit (Spark reads such a value as null; here it is a dead letter).
     */
    public static BigDecimal decimal(Column column, BigDecimal value) throws MalformedRecordException {
        TypeArgs args = column.args();
        BigDecimal scaled;
        try {
            scaled = value.setScale(args.scale(), RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw new MalformedRecordException(column.name() + " does not fit " + column.ddlType() + ": '"
                    + value.toPlainString() + "' has more than " + args.scale() + " decimal places");
        }
        if (scaled.precision() > args.precision()) {
            throw new MalformedRecordException(column.name() + " does not fit " + column.ddlType() + ": '"
                    + value.toPlainString() + "' has more than " + (args.precision() - args.scale()) + " integer digits");
        }
        return scaled;
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
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
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

    /**
     * The Avro record Parquet files are written with: nullable columns as unions with null, timestamps in millis,
     * DECIMAL as bytes with the decimal logical type, DATE as the date logical type, STRUCT as a nested record
     * (named after its path, as Avro wants unique record names), ARRAY as an array.
     */
    public Schema avroSchema() {
        return avroRecord("row", "dev.flinkpatterns");
    }

    private Schema avroRecord(String name, String namespace) {
        SchemaBuilder.FieldAssembler<Schema> fields = SchemaBuilder.record(name).namespace(namespace).fields();
        for (Column column : columns) {
            Schema type = avroType(column, namespace + "." + name);
            if (column.nullable()) {
                fields = fields.name(column.name()).type(type).withDefault(null);
            } else {
                fields = fields.name(column.name()).type(type).noDefault();
            }
        }
        return fields.endRecord();
    }

    /** A column's Avro type, a union with null when it is nullable. */
    private static Schema avroType(Column column, String namespace) {
        Schema type = switch (column.type()) {
            case STRING -> Schema.create(Schema.Type.STRING);
            case INT -> Schema.create(Schema.Type.INT);
            case LONG -> Schema.create(Schema.Type.LONG);
            case DOUBLE -> Schema.create(Schema.Type.DOUBLE);
            case BOOLEAN -> Schema.create(Schema.Type.BOOLEAN);
            case TIMESTAMP -> LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
            case DATE -> LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
            case DECIMAL -> LogicalTypes.decimal(column.args().precision(), column.args().scale())
                    .addToSchema(Schema.create(Schema.Type.BYTES));
            case STRUCT -> column.args().fields().avroRecord(column.name(), namespace);
            case ARRAY -> Schema.createArray(avroType(column.args().element(), namespace + "." + column.name()));
        };
        return column.nullable() ? Schema.createUnion(Schema.create(Schema.Type.NULL), type) : type;
    }

    public GenericRecord toAvro(Row row, Schema avroSchema) {
        GenericData.Record record = new GenericData.Record(avroSchema);
        for (int i = 0; i < columns.size(); i++) {
            Schema.Field field = avroSchema.getFields().get(i);
            record.put(i, toAvroValue(columns.get(i), row.getField(i), field.schema()));
        }
        return record;
    }

    private static Object toAvroValue(Column column, Object value, Schema avroType) {
        if (value == null) {
            return null;
        }
        Schema type = nonNull(avroType);
        return switch (column.type()) {
            case TIMESTAMP -> millis((LocalDateTime) value);
            case DATE -> (int) ((LocalDate) value).toEpochDay();
            case DECIMAL -> DECIMALS.toBytes((BigDecimal) value, type, type.getLogicalType());
            case STRUCT -> column.args().fields().toAvro((Row) value, type);
            case ARRAY -> {
                List<Object> elements = new ArrayList<>();
                for (Object element : elements(value)) {
                    elements.add(toAvroValue(column.args().element(), element, type.getElementType()));
                }
                yield new GenericData.Array<>(type, elements);
            }
            default -> value;
        };
    }

    public Row fromAvro(GenericRecord record) {
        Row row = new Row(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            Column column = columns.get(i);
            Schema.Field field = record.getSchema().getField(column.name());
            Object value = field == null ? null : record.get(field.pos());
            row.setField(i, value == null ? null : fromAvroValue(column, value, field.schema()));
        }
        return row;
    }

    /**
     * A Java value of a column from Avro's generic value; a decimal may come as bytes, fixed or (from files that
     * other writers wrote) an unscaled int or long.
     */
    private static Object fromAvroValue(Column column, Object value, Schema avroType) {
        if (value == null) {
            return null;
        }
        Schema type = nonNull(avroType);
        return switch (column.type()) {
            case STRING -> value.toString(); // Avro gives Utf8
            case TIMESTAMP -> fromAvroTime(value, type);
            case DATE -> value instanceof LocalDate date ? date : LocalDate.ofEpochDay(((Number) value).longValue());
            case DECIMAL -> fromAvroDecimal(column, value, type);
            case STRUCT -> column.args().fields().fromAvro((GenericRecord) value);
            case ARRAY -> {
                List<Object> elements = new ArrayList<>();
                for (Object element : (Collection<?>) value) {
                    elements.add(fromAvroValue(column.args().element(), element, type.getElementType()));
                }
                yield elements;
            }
            default -> value;
        };
    }

    /**
     * A timestamp from Parquet through parquet-avro: a long of millis or micros as its logical type says, or
     * the 12 bytes of an INT96 (Spark's default): nanos of the day then the Julian day, little-endian, in UTC.
     */
    private static LocalDateTime fromAvroTime(Object value, Schema type) {
        if (value instanceof LocalDateTime time) {
            return time;
        }
        if (value instanceof GenericFixed int96) {
            ByteBuffer bytes = ByteBuffer.wrap(int96.bytes()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            long nanosOfDay = bytes.getLong();
            long epochDay = bytes.getInt() - JULIAN_DAY_OF_EPOCH;
            return LocalDateTime.of(LocalDate.ofEpochDay(epochDay), java.time.LocalTime.ofNanoOfDay(nanosOfDay));
        }
        long number = ((Number) value).longValue();
        LogicalType logical = type.getLogicalType();
        if (logical instanceof LogicalTypes.TimestampMicros || logical instanceof LogicalTypes.LocalTimestampMicros) {
            return LocalDateTime.ofEpochSecond(Math.floorDiv(number, 1_000_000), (int) Math.floorMod(number, 1_000_000) * 1000,
                    ZoneOffset.UTC);
        }
        return toTime(number);
    }

    /** The Julian day of 1970-01-01, the origin of INT96 timestamps' days. */
    private static final long JULIAN_DAY_OF_EPOCH = 2_440_588;

    /** parquet-avro's name for an INT96 column read as fixed bytes. */
    private static final String INT96 = "INT96";

    private static BigDecimal fromAvroDecimal(Column column, Object value, Schema type) {
        if (value instanceof BigDecimal decimal) {
            return decimal;
        }
        if (value instanceof ByteBuffer bytes) {
            return DECIMALS.fromBytes(bytes.duplicate(), type, type.getLogicalType());
        }
        if (value instanceof GenericFixed fixed) {
            return DECIMALS.fromFixed(fixed, type, type.getLogicalType());
        }
        if (value instanceof Number unscaled) {
            return BigDecimal.valueOf(unscaled.longValue(), column.args().scale());
        }
        throw new IllegalArgumentException(column.name() + ": not a decimal: " + value.getClass().getName());
    }

    /** The schema of Avro records (a Parquet file's, through parquet-avro), as far as these types reach. */
    public static RowSchema fromAvroSchema(Schema record) {
        List<Column> columns = new ArrayList<>();
        for (Schema.Field field : record.getFields()) {
            columns.add(fromAvroType(field.name(), field.schema()));
        }
        return new RowSchema(columns);
    }

    private static Column fromAvroType(String name, Schema avroType) {
        Schema type = nonNull(avroType);
        boolean nullable = type != avroType;
        LogicalType logical = type.getLogicalType();
        if (logical instanceof LogicalTypes.Decimal decimal) {
            return Column.decimal(name, decimal.getPrecision(), decimal.getScale(), nullable);
        }
        if (logical instanceof LogicalTypes.Date) {
            return new Column(name, Type.DATE, nullable);
        }
        if (logical instanceof LogicalTypes.TimestampMillis || logical instanceof LogicalTypes.LocalTimestampMillis
                || logical instanceof LogicalTypes.TimestampMicros || logical instanceof LogicalTypes.LocalTimestampMicros
                || type.getType() == Schema.Type.FIXED && type.getName().equals(INT96) && type.getFixedSize() == 12) {
            return new Column(name, Type.TIMESTAMP, nullable);
        }
        return switch (type.getType()) {
            case STRING, ENUM -> new Column(name, Type.STRING, nullable);
            case INT -> new Column(name, Type.INT, nullable);
            case LONG -> new Column(name, Type.LONG, nullable);
            case FLOAT, DOUBLE -> new Column(name, Type.DOUBLE, nullable);
            case BOOLEAN -> new Column(name, Type.BOOLEAN, nullable);
            case RECORD -> Column.struct(name, fromAvroSchema(type), nullable);
            case ARRAY -> Column.array(name, fromAvroType("element", type.getElementType()), nullable);
            default -> throw new IllegalArgumentException("column " + name + " has Avro type " + type
                    + ", which has no column type here (" + SchemaDdl.TYPES + ")");
        };
    }

    private static Schema nonNull(Schema type) {
        if (type.getType() != Schema.Type.UNION) {
            return type;
        }
        return type.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).findFirst().orElse(type);
    }

    /** An ARRAY column's value: a {@link List}, or an array as a {@link Row} field may hold it. */
    public static List<?> elements(Object value) {
        if (value instanceof List<?> list) {
            return list;
        }
        if (value instanceof Object[] array) {
            return Arrays.asList(array);
        }
        throw new IllegalArgumentException("not an array value: " + value.getClass().getName());
    }

    private static final Conversions.DecimalConversion DECIMALS = new Conversions.DecimalConversion();

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

    private static String article(Column column) {
        return switch (column.type()) {
            case INT -> "an integer";
            case LONG -> "a long integer";
            case DOUBLE -> "a number";
            case DECIMAL -> "a decimal";
            default -> "a " + column.type().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
