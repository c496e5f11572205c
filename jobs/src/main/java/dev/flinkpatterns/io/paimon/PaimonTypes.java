package dev.flinkpatterns.io.paimon;

import dev.flinkpatterns.io.JsonValues;
import dev.flinkpatterns.io.RowSchema;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.apache.paimon.data.BinaryString;
import org.apache.paimon.data.Decimal;
import org.apache.paimon.data.InternalRow;
import org.apache.paimon.data.Timestamp;
import org.apache.paimon.types.DataField;
import org.apache.paimon.types.DataType;
import org.apache.paimon.types.DataTypes;
import org.apache.paimon.types.RowType;

/**
 * How result columns map to Paimon, once for every Paimon table: the column type a table is created with, the Flink
 * row a value is written as, and the Java value (the result's own types) a cell is read back as. TIMESTAMP is
 * TIMESTAMP(3), no time zone: milliseconds, as the project shows times. STRUCT and ARRAY columns hold the JSON text
 * Spark's JSON writer writes, as the PostgreSQL sink's JSONB does.
 */
public final class PaimonTypes {

    private PaimonTypes() {}

    /** The Paimon type of a result column. */
    public static DataType type(RowSchema.Column column) {
        DataType type = switch (column.type()) {
            case STRING, STRUCT, ARRAY -> DataTypes.STRING();
            case INT -> DataTypes.INT();
            case LONG -> DataTypes.BIGINT();
            case DOUBLE -> DataTypes.DOUBLE();
            case BOOLEAN -> DataTypes.BOOLEAN();
            case TIMESTAMP -> DataTypes.TIMESTAMP(3);
            case DECIMAL -> DataTypes.DECIMAL(column.args().precision(), column.args().scale());
            case DATE -> DataTypes.DATE();
        };
        return type.copy(column.nullable());
    }

    /** A result row as the Flink row Paimon's sink converts: STRUCT and ARRAY cells as their JSON text. */
    public static Row row(RowKind kind, List<Object> cells, RowSchema schema) {
        Row row = new Row(kind, cells.size());
        for (int i = 0; i < cells.size(); i++) {
            Object cell = cells.get(i);
            RowSchema.Column column = schema.column(i);
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
