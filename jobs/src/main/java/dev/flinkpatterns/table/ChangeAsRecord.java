package dev.flinkpatterns.table;

import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.io.Json;
import dev.flinkpatterns.io.JsonValues;
import dev.flinkpatterns.io.Kafka;
import dev.flinkpatterns.io.RowSchema;
import java.util.List;

/**
 * A result row as a key-value record (Kafka): the key is one column or none; the value one column or the whole row
 * as a JSON object, Spark's {@code to_json(struct(*))} with typed values ({@link JsonValues}). A single column is
 * its value cast to a string, as Spark's {@code col.cast("string")} (the console's form). A deleted row becomes a
 * tombstone (a null value).
 */
public final class ChangeAsRecord implements Kafka.KeyValue<Change> {

    private final RowSchema schema;
    private final List<String> columns;
    private final int keyIndex;
    private final int valueIndex;

    /** @param keyColumn null: no key; @param valueColumn null: the row as JSON */
    public ChangeAsRecord(RowSchema schema, String keyColumn, String valueColumn) {
        this.schema = schema;
        this.columns = schema.names();
        this.keyIndex = indexOf(keyColumn, "--kafka-key");
        this.valueIndex = indexOf(valueColumn, "--kafka-value");
    }

    private int indexOf(String column, String option) {
        if (column == null) {
            return -1;
        }
        int index = columns.indexOf(column);
        if (index < 0) {
            throw new UsageException(option + " " + column + " is not a column of the result; columns: " + String.join(", ", columns));
        }
        return index;
    }

    @Override
    public String key(Change row) {
        if (keyIndex < 0) {
            return null;
        }
        // A deleted row has no cells left: its tombstone carries the row's key in the result table instead.
        return row.isDelete() ? row.key() : text(row.cells().get(keyIndex));
    }

    @Override
    public String value(Change row) {
        if (row.isDelete()) {
            return null;
        }
        if (valueIndex >= 0) {
            return text(row.cells().get(valueIndex));
        }
        return json(row, schema, false);
    }

    private static String text(Object value) {
        return value == null ? null : ShownValues.show(value);
    }

    /**
     * A change as one JSON object, every value typed under its column name ({@link JsonValues}); with the key first
     * when {@code withKey}, and a deleted row as its key and {@code "deleted":true}.
     */
    public static String json(Change change, RowSchema schema, boolean withKey) {
        StringBuilder json = new StringBuilder("{");
        if (withKey) {
            json.append("\"key\":").append(Json.quote(change.key()));
            if (change.isDelete()) {
                return json.append(",\"deleted\":true}").toString();
            }
        }
        for (int i = 0; i < schema.size(); i++) {
            if (i > 0 || withKey) {
                json.append(',');
            }
            json.append(Json.quote(schema.column(i).name())).append(':');
            JsonValues.append(json, change.cells().get(i), schema.column(i));
        }
        return json.append('}').toString();
    }
}
