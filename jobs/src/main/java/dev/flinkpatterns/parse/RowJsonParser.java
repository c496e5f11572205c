package dev.flinkpatterns.parse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.io.SourceLine;
import java.util.Optional;
import org.apache.flink.types.Row;

/**
 * Spark's {@code readStream.format("json").schema(schema)} on one JSON object per line, applied strictly: a
 * line that is not an object, lacks a required column or has a value of the wrong type is a
 * {@link MalformedRecordException} (a dead letter), not Spark's row of nulls. Fields not in the schema are
 * ignored, as Spark does; a nullable column may be absent or null.
 */
public final class RowJsonParser implements LineParser<Row> {


    private final RowSchema schema;

    public RowJsonParser(RowSchema schema) {
        this.schema = schema;
    }

    @Override
    public Optional<Row> parse(SourceLine line) throws MalformedRecordException {
        if (line.text().isBlank()) {
            throw new MalformedRecordException("blank line");
        }
        JsonNode object = JsonObjects.read(line.text());
        Row row = new Row(schema.size());
        for (int i = 0; i < schema.size(); i++) {
            RowSchema.Column column = schema.column(i);
            JsonNode node = object.get(column.name());
            if (node == null || node.isNull()) {
                if (!column.nullable()) {
                    throw new MalformedRecordException("missing required field " + column.name());
                }
                continue;
            }
            row.setField(i, value(column, node));
        }
        return Optional.of(row);
    }

    private static Object value(RowSchema.Column column, JsonNode node) throws MalformedRecordException {
        String name = column.name();
        return switch (column.type()) {
            case STRING -> node.isTextual() ? node.textValue() : wrongType(name, "a string", node);
            case INT -> node.isIntegralNumber() && node.canConvertToInt() ? node.intValue() : wrongType(name, "an integer", node);
            case LONG -> node.isIntegralNumber() && node.canConvertToLong() ? node.longValue() : wrongType(name, "a long integer", node);
            case DOUBLE -> node.isNumber() ? node.doubleValue() : wrongType(name, "a number", node);
            case BOOLEAN -> node.isBoolean() ? node.booleanValue() : wrongType(name, "a boolean", node);
            case TIMESTAMP -> node.isTextual() ? RowSchema.time(name, node.textValue()) : wrongType(name, "a timestamp string", node);
        };
    }

    private static Object wrongType(String what, String expected, JsonNode actual) throws MalformedRecordException {
        throw new MalformedRecordException(what + " is not " + expected + ": " + actual);
    }
}
