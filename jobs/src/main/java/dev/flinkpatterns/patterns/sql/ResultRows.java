package dev.flinkpatterns.patterns.sql;

import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.io.RowSchema.Column;
import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.table.KeyCells;
import dev.flinkpatterns.table.SortKeys;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.Collector;

/**
 * A SQL query's rows as rows of a result table: SQL types as the result's column types, values as theirs, and a
 * key per row. The key starts with the row's values, so a batch lists its rows in the order of their values.
 */
final class ResultRows {

    private ResultRows() {}

    /** The result's columns; every one nullable, as Spark's result columns. A type the sinks do not know is text. */
    static RowSchema schema(ResolvedSchema result) {
        List<Column> columns = new ArrayList<>();
        result.getColumns().forEach(column -> columns.add(column(column.getName(), column.getDataType().getLogicalType())));
        return new RowSchema(columns);
    }

    private static Column column(String name, LogicalType type) {
        return switch (type.getTypeRoot()) {
            case CHAR, VARCHAR -> Column.nullable(name, RowSchema.Type.STRING);
            case TINYINT, SMALLINT, INTEGER -> Column.nullable(name, RowSchema.Type.INT);
            case BIGINT -> Column.nullable(name, RowSchema.Type.LONG);
            case FLOAT, DOUBLE -> Column.nullable(name, RowSchema.Type.DOUBLE);
            case BOOLEAN -> Column.nullable(name, RowSchema.Type.BOOLEAN);
            case DATE -> Column.nullable(name, RowSchema.Type.DATE);
            case TIMESTAMP_WITHOUT_TIME_ZONE, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> Column.nullable(name, RowSchema.Type.TIMESTAMP);
            case DECIMAL -> Column.decimal(name, ((DecimalType) type).getPrecision(), ((DecimalType) type).getScale(), true);
            case ROW -> {
                RowType row = (RowType) type;
                List<Column> fields = new ArrayList<>();
                row.getFields().forEach(field -> fields.add(column(field.getName(), field.getType())));
                yield Column.struct(name, new RowSchema(fields), true);
            }
            case ARRAY -> Column.array(name, column("element", ((ArrayType) type).getElementType()), true);
            default -> Column.nullable(name, RowSchema.Type.STRING);
        };
    }

    /** The SQL row's values as the result's: a row's values as {@link Change} holds them. */
    static List<Object> cells(Row row, RowSchema schema) {
        List<Object> cells = new ArrayList<>(schema.size());
        for (int i = 0; i < schema.size(); i++) {
            cells.add(cell(row.getField(i), schema.column(i)));
        }
        return cells;
    }

    private static Object cell(Object value, Column column) {
        if (value == null) {
            return null;
        }
        return switch (column.type()) {
            case INT -> ((Number) value).intValue();
            case DOUBLE -> ((Number) value).doubleValue();
            case TIMESTAMP -> value instanceof Instant instant ? LocalDateTime.ofInstant(instant, ZoneOffset.UTC) : value;
            case DECIMAL -> ((BigDecimal) value).setScale(column.args().scale(), java.math.RoundingMode.HALF_UP);
            case STRUCT -> {
                Row nested = (Row) value;
                Row typed = new Row(nested.getArity());
                RowSchema fields = column.args().fields();
                for (int i = 0; i < nested.getArity(); i++) {
                    typed.setField(i, cell(nested.getField(i), fields.column(i)));
                }
                yield typed;
            }
            case ARRAY -> {
                List<?> elements = value instanceof Object[] array ? Arrays.asList(array) : (List<?>) value;
                List<Object> typed = new ArrayList<>(elements.size());
                elements.forEach(element -> typed.add(cell(element, column.args().element())));
                yield typed;
            }
            case STRING -> value instanceof String ? value : String.valueOf(value);
            default -> value;
        };
    }

    /** The row's values as the start of its key: whole numbers zero-padded, so that they sort as numbers. */
    static String valuesKey(List<Object> cells) {
        List<Object> sortable = new ArrayList<>(cells.size());
        for (Object cell : cells) {
            sortable.add(cell instanceof Integer || cell instanceof Long ? SortKeys.zeroPadded(((Number) cell).longValue(), 20)
                    : cell);
        }
        return KeyCells.join(sortable);
    }

    /** An insert-only query's rows: each one a new row, told apart from an equal one by its reader and number. */
    static final class Appended extends RichMapFunction<Row, Change> {
        private final RowSchema schema;
        private transient String reader;
        private transient long count;

        Appended(RowSchema schema) {
            this.schema = schema;
        }

        @Override
        public void open(OpenContext context) {
            // Unique per run of this subtask, so rows after a restore do not replace rows shown before it.
            reader = UUID.randomUUID().toString();
        }

        @Override
        public Change map(Row row) {
            List<Object> cells = cells(row, schema);
            return new Change(valuesKey(cells) + KeyCells.SEPARATOR + reader + SortKeys.zeroPadded(count++, 19), cells);
        }
    }

    /** Routes every change of an updating query's row to where that row's copies are counted. */
    static final class ValuesKey implements KeySelector<Row, String> {
        private final RowSchema schema;

        ValuesKey(RowSchema schema) {
            this.schema = schema;
        }

        @Override
        public String getKey(Row row) {
            return valuesKey(cells(row, schema));
        }
    }

    /**
     * An updating query's changes (Flink's retractions: {@code -U}, {@code +U}, {@code -D}, {@code +I}) as changes of
     * the result table: the table holds a row for every copy of a value the query holds now. A retraction deletes
     * the row of one copy; an addition adds one. So an update of a count shows as its new row (update mode), and the
     * whole table stays the query's table (complete mode).
     */
    static final class Retracted extends KeyedProcessFunction<String, Row, Change> {
        private final RowSchema schema;
        private transient ValueState<Integer> copies;

        Retracted(RowSchema schema) {
            this.schema = schema;
        }

        @Override
        public void open(OpenContext context) {
            copies = getRuntimeContext().getState(new ValueStateDescriptor<>("copies", Types.INT));
        }

        @Override
        public void processElement(Row row, Context context, Collector<Change> out) throws Exception {
            String values = context.getCurrentKey();
            int held = copies.value() == null ? 0 : copies.value();
            if (row.getKind() == RowKind.INSERT || row.getKind() == RowKind.UPDATE_AFTER) {
                copies.update(held + 1);
                out.collect(new Change(values + KeyCells.SEPARATOR + SortKeys.zeroPadded(held + 1, 10), cells(row, schema)));
            } else if (held > 0) {
                out.collect(Change.delete(values + KeyCells.SEPARATOR + SortKeys.zeroPadded(held, 10)));
                if (held == 1) {
                    copies.clear();
                } else {
                    copies.update(held - 1);
                }
            }
        }
    }
}
