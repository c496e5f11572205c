package dev.flinkpatterns.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.io.SourceLine;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.types.Row;

/**
 * Spark's {@code readStream.format("json").schema(schema)} on one JSON object per line, applied strictly: a
 * line that is not an object, lacks a required column or has a value of the wrong type is a
 * {@link MalformedRecordException} (a dead letter), not Spark's row of nulls. A nullable column may be absent or
 * null. Objects fill STRUCT columns (a nested {@link Row}), arrays fill ARRAY columns (a {@link List}).
 *
 * <p>Fields not in the schema are ignored, as Spark does; with rescued data (Auto Loader's
 * {@code schemaEvolutionMode = rescue}) they are kept as a JSON object in the schema's last column,
 * {@value #RESCUED_DATA}, together with the top-level nullable fields whose value had the wrong type (those
 * columns are then null); a row with nothing to rescue has null there.
 */
public final class RowJsonParser implements LineParser<Row> {

    /** Auto Loader's name of the column of rescued fields. */
    public static final String RESCUED_DATA = "_rescued_data";

    private final RowSchema schema;
    private final TextFormats formats;
    private final boolean rescue;

    public RowJsonParser(RowSchema schema) {
        this(schema, TextFormats.DEFAULT, false);
    }

    /** With {@code rescue}, the schema's last column must be {@value #RESCUED_DATA} STRING. */
    public RowJsonParser(RowSchema schema, TextFormats formats, boolean rescue) {
        if (rescue && (schema.size() == 0 || !schema.column(schema.size() - 1).name().equals(RESCUED_DATA)
                || schema.column(schema.size() - 1).type() != RowSchema.Type.STRING)) {
            throw new IllegalArgumentException("rescued data needs a last column " + RESCUED_DATA + " STRING: " + schema.names());
        }
        this.schema = schema;
        this.formats = formats;
        this.rescue = rescue;
    }

    @Override
    public Optional<Row> parse(SourceLine line) throws MalformedRecordException {
        if (line.text().isBlank()) {
            return Optional.empty(); // no row, as in Spark's JSON reader
        }
        JsonNode object = JsonObjects.read(line.text());
        int columns = rescue ? schema.size() - 1 : schema.size();
        ObjectNode rescued = null;
        Row row = new Row(schema.size());
        for (int i = 0; i < columns; i++) {
            RowSchema.Column column = schema.column(i);
            JsonNode node = object.get(column.name());
            try {
                row.setField(i, value(column, node, column.name()));
            } catch (MalformedRecordException e) {
                if (!rescue || !column.nullable() || node == null || node.isNull()) {
                    throw e;
                }
                rescued = rescued(rescued).set(column.name(), node);
            }
        }
        if (rescue) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (schema.indexOf(field.getKey()) < 0) {
                    rescued = rescued(rescued).set(field.getKey(), field.getValue());
                }
            }
            row.setField(columns, rescued == null ? null : rescued.toString());
        }
        return Optional.of(row);
    }

    private static ObjectNode rescued(ObjectNode rescued) {
        return rescued != null ? rescued : JsonNodeFactory.instance.objectNode();
    }

    /** The value of a column (or of a nested field or element, {@code path} naming it) from its JSON node. */
    private Object value(RowSchema.Column column, JsonNode node, String path) throws MalformedRecordException {
        if (node == null || node.isNull()) {
            if (!column.nullable()) {
                throw new MalformedRecordException("missing required field " + path);
            }
            return null;
        }
        return switch (column.type()) {
            case STRING -> node.isTextual() ? node.textValue() : wrongType(path, "a string", node);
            case INT -> node.isIntegralNumber() && node.canConvertToInt() ? node.intValue() : wrongType(path, "an integer", node);
            case LONG -> node.isIntegralNumber() && node.canConvertToLong() ? node.longValue() : wrongType(path, "a long integer", node);
            case DOUBLE -> node.isNumber() ? node.doubleValue() : wrongType(path, "a number", node);
            case BOOLEAN -> node.isBoolean() ? node.booleanValue() : wrongType(path, "a boolean", node);
            case TIMESTAMP -> node.isTextual() ? formats.timestamp(path, node.textValue()) : wrongType(path, "a timestamp string", node);
            case DATE -> node.isTextual() ? formats.date(path, node.textValue()) : wrongType(path, "a date string", node);
            case DECIMAL -> decimal(column, node, path);
            case STRUCT -> node.isObject() ? struct(column.args().fields(), node, path) : wrongType(path, "an object", node);
            case ARRAY -> node.isArray() ? array(column.args().element(), node, path) : wrongType(path, "an array", node);
        };
    }

    private Row struct(RowSchema fields, JsonNode object, String path) throws MalformedRecordException {
        Row row = new Row(fields.size());
        for (int i = 0; i < fields.size(); i++) {
            RowSchema.Column field = fields.column(i);
            row.setField(i, value(field, object.get(field.name()), path + "." + field.name()));
        }
        return row;
    }

    private List<Object> array(RowSchema.Column element, JsonNode array, String path) throws MalformedRecordException {
        List<Object> elements = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            elements.add(value(element, array.get(i), path + "[" + i + "]"));
        }
        return elements;
    }

    private static BigDecimal decimal(RowSchema.Column column, JsonNode node, String path) throws MalformedRecordException {
        BigDecimal value;
        if (node.isNumber()) {
            value = node.decimalValue();
        } else if (node.isTextual()) {
            try {
                value = new BigDecimal(node.textValue());
            } catch (NumberFormatException e) {
                return wrongType(path, "a decimal", node);
            }
        } else {
            return wrongType(path, "a decimal", node);
        }
        return RowSchema.decimal(column.withName(path), value);
    }

    private static <T> T wrongType(String what, String expected, JsonNode actual) throws MalformedRecordException {
        throw new MalformedRecordException(what + " is not " + expected + ": " + actual);
    }
}
