package dev.flinkpatterns.io.paimon;

import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.io.JsonValues;
import dev.flinkpatterns.io.RowSchema.Column;
import dev.flinkpatterns.io.RowSchema.Type;
import dev.flinkpatterns.io.RowSchema;
import java.io.Serializable;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.apache.paimon.data.BinaryString;
import org.apache.paimon.data.Decimal;
import org.apache.paimon.data.InternalRow;
import org.apache.paimon.data.Timestamp;
import org.apache.paimon.flink.LogicalTypeConversion;
import org.apache.paimon.types.ArrayType;
import org.apache.paimon.types.DataField;
import org.apache.paimon.types.DataType;
import org.apache.paimon.types.DataTypes;
import org.apache.paimon.types.DecimalType;
import org.apache.paimon.types.RowType;

/**
 * The one mapping between a Paimon table's {@link RowType} and the project's {@link RowSchema}: CHAR/VARCHAR are
 * STRING, TINYINT/SMALLINT/INT are INT, BIGINT is LONG, FLOAT/DOUBLE are DOUBLE, TIMESTAMP (with or without local
 * time zone) is a UTC TIMESTAMP, DECIMAL, DATE, ROW (STRUCT) and ARRAY keep their shape. Other types (BYTES, MAP,
 * TIME, ...) are refused in one line, as the patterns cannot hold them.
 */
public final class PaimonTypes {

    /** TIMESTAMP as the project writes it: milliseconds. */
    private static final int TIMESTAMP_PRECISION = 3;

    private PaimonTypes() {}

    /** The table's columns as a RowSchema; {@code table} names it in the error for a type the patterns cannot hold. */
    public static RowSchema toRowSchema(RowType rowType, String table) {
        List<Column> columns = new ArrayList<>();
        for (DataField field : rowType.getFields()) {
            columns.add(column(field.name(), field.type(), table));
        }
        return new RowSchema(columns);
    }

    /** The other way: a RowSchema as a Paimon row type (TIMESTAMP(3), STRING as Paimon's STRING). */
    public static RowType toPaimon(RowSchema schema) {
        RowType.Builder builder = RowType.builder();
        for (Column column : schema.columns()) {
            builder.field(column.name(), paimonType(column));
        }
        return builder.build();
    }

    private static DataType paimonType(Column column) {
        DataType type = switch (column.type()) {
            case STRING -> DataTypes.STRING();
            case INT -> DataTypes.INT();
            case LONG -> DataTypes.BIGINT();
            case DOUBLE -> DataTypes.DOUBLE();
            case BOOLEAN -> DataTypes.BOOLEAN();
            case TIMESTAMP -> DataTypes.TIMESTAMP(TIMESTAMP_PRECISION);
            case DECIMAL -> DataTypes.DECIMAL(column.args().precision(), column.args().scale());
            case DATE -> DataTypes.DATE();
            case STRUCT -> toPaimon(column.args().fields());
            case ARRAY -> DataTypes.ARRAY(paimonType(column.args().element()));
        };
        return type.copy(column.nullable());
    }

    private static Column column(String name, DataType type, String table) {
        boolean nullable = type.isNullable();
        return switch (type.getTypeRoot()) {
            case CHAR, VARCHAR -> new Column(name, Type.STRING, nullable);
            case TINYINT, SMALLINT, INTEGER -> new Column(name, Type.INT, nullable);
            case BIGINT -> new Column(name, Type.LONG, nullable);
            case FLOAT, DOUBLE -> new Column(name, Type.DOUBLE, nullable);
            case BOOLEAN -> new Column(name, Type.BOOLEAN, nullable);
            case TIMESTAMP_WITHOUT_TIME_ZONE, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> new Column(name, Type.TIMESTAMP, nullable);
            case DECIMAL -> Column.decimal(name, ((DecimalType) type).getPrecision(), ((DecimalType) type).getScale(), nullable);
            case DATE -> new Column(name, Type.DATE, nullable);
            case ROW -> Column.struct(name, toRowSchema((RowType) type, table), nullable);
            case ARRAY -> Column.array(name, column("element", ((ArrayType) type).getElementType(), table), nullable);
            default -> throw new UsageException("table " + table + ": column " + name + " is " + type.asSQLString()
                    + ", which the patterns do not read (they take strings, numbers, booleans, timestamps, dates, "
                    + "decimals, rows and arrays)");
        };
    }

    /**
     * Reads the rows Paimon's Flink source gives (Flink's internal {@link RowData} of the table's type) as rows of
     * {@link #toRowSchema}: LocalDateTime, LocalDate, BigDecimal, nested Rows and Lists, as the Parquet reader gives.
     */
    public static RowReader reader(RowType rowType) {
        return new RowReader(rowType);
    }

    /** See {@link #reader}. */
    public static final class RowReader implements Serializable {
        private final RowType rowType;

        private RowReader(RowType rowType) {
            this.rowType = rowType;
        }

        public Row read(RowData data) {
            return readRow(data, rowType);
        }

        private static Row readRow(RowData data, RowType type) {
            Row row = new Row(type.getFieldCount());
            for (int i = 0; i < type.getFieldCount(); i++) {
                DataType fieldType = type.getTypeAt(i);
                Object value = RowData.createFieldGetter(LogicalTypeConversion.toLogicalType(fieldType), i).getFieldOrNull(data);
                row.setField(i, external(value, fieldType));
            }
            return row;
        }

        /** A value of Flink's internal data structures as the project's rows hold it. */
        private static Object external(Object value, DataType type) {
            if (value == null) {
                return null;
            }
            return switch (type.getTypeRoot()) {
                case CHAR, VARCHAR -> value.toString();
                case TINYINT -> (int) (Byte) value;
                case SMALLINT -> (int) (Short) value;
                case FLOAT -> (double) (Float) value;
                case TIMESTAMP_WITHOUT_TIME_ZONE -> ((TimestampData) value).toLocalDateTime();
                case TIMESTAMP_WITH_LOCAL_TIME_ZONE -> LocalDateTime.ofInstant(((TimestampData) value).toInstant(), ZoneOffset.UTC);
                case DECIMAL -> ((DecimalData) value).toBigDecimal();
                case DATE -> LocalDate.ofEpochDay((Integer) value);
                case ROW -> readRow((RowData) value, (RowType) type);
                case ARRAY -> list((ArrayData) value, ((ArrayType) type).getElementType());
                default -> value;
            };
        }

        private static List<Object> list(ArrayData array, DataType element) {
            ArrayData.ElementGetter getter = ArrayData.createElementGetter(LogicalTypeConversion.toLogicalType(element));
            List<Object> values = new ArrayList<>(array.size());
            for (int i = 0; i < array.size(); i++) {
                values.add(external(getter.getElementOrNull(array, i), element));
            }
            return values;
        }
    }

    /**
     * The type the sink creates a column with: {@link #toPaimon}'s, except that STRUCT and ARRAY columns hold the JSON
     * text Spark's JSON writer writes (as the PostgreSQL sink's JSONB does), since results carry them as JSON values.
     */
    public static DataType type(Column column) {
        if (column.type() == Type.STRUCT || column.type() == Type.ARRAY) {
            return DataTypes.STRING().copy(column.nullable());
        }
        return paimonType(column);
    }

    /** A result row as the Flink row Paimon's sink converts: STRUCT and ARRAY cells as their JSON text. */
    public static Row row(RowKind kind, List<Object> cells, RowSchema schema) {
        Row row = new Row(kind, cells.size());
        for (int i = 0; i < cells.size(); i++) {
            Object cell = cells.get(i);
            Column column = schema.column(i);
            boolean nested = column.type() == RowSchema.Type.STRUCT || column.type() == RowSchema.Type.ARRAY;
            row.setField(i, cell != null && nested ? JsonValues.append(new StringBuilder(), cell, column).toString() : cell);
        }
        return row;
    }

    /** The cells of a row read from a table of this type, as Java values (String, Long, LocalDateTime, ...). */
    public static List<Object> cells(InternalRow row, RowType type) {
        List<Object> cells = new ArrayList<>(type.getFieldCount());
        for (int i = 0; i < type.getFieldCount(); i++) {
            cells.add(javaValue(InternalRow.createFieldGetter(type.getTypeAt(i), i).getFieldOrNull(row),
                    type.getTypeAt(i)));
        }
        return cells;
    }

    private static Object javaValue(Object value, DataType type) {
        if (value instanceof BinaryString text) {
            return text.toString();
        }
        if (value instanceof Timestamp timestamp) {
            return timestamp.toLocalDateTime();
        }
        if (value instanceof Decimal decimal) {
            return decimal.toBigDecimal();
        }
        if (value instanceof Integer days && type.getTypeRoot() == org.apache.paimon.types.DataTypeRoot.DATE) {
            return LocalDate.ofEpochDay(days);
        }
        return value;
    }

    /** {@code name TYPE} of each field, as an error message names a table's columns. */
    public static String describe(List<DataField> fields) {
        return String.join(", ", fields.stream().map(field -> field.name() + " " + field.type().asSQLString()).toList());
    }
}
