package dev.flinkpatterns.table;

import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.parse.MalformedRecordException;
import dev.flinkpatterns.parse.TextFormats;
import java.util.ArrayList;
import java.util.List;

/**
 * Group-by values as one text key (what keyed state and the ordering of a batch hold) and back as typed cells:
 * Spark's {@code groupBy("passengers")} keeps passengers an INT in the result. A null is kept apart from the text
 * "null" and from an empty string. STRUCT and ARRAY keys have no text form to read back: they stay their text.
 */
public final class KeyCells {

    /** Separates the values of a key; a character that text files do not hold. */
    public static final String SEPARATOR = "\u001f";

    /** Stands for a null value. */
    private static final String NULL = "\u0000";

    private KeyCells() {}

    /** The values as one key. */
    public static String join(List<?> values) {
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            key.append(i == 0 ? "" : SEPARATOR).append(text(values.get(i)));
        }
        return key.toString();
    }

    /** One value's part of a key. */
    public static String text(Object value) {
        return value == null ? NULL : RowSchema.text(value);
    }

    /** The key's values as text (a null as null), e.g. for a SQL view's STRING key columns. */
    public static List<String> texts(String key, int columns) {
        List<String> texts = new ArrayList<>();
        for (String part : split(key, columns)) {
            texts.add(part.equals(NULL) ? null : part);
        }
        return texts;
    }

    /** The key's values typed as their columns; {@code columns} as {@link #resultColumn} made them. */
    public static List<Object> cells(String key, List<RowSchema.Column> columns) {
        List<String> parts = split(key, columns.size());
        List<Object> cells = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            cells.add(cell(parts.get(i), columns.get(i)));
        }
        return cells;
    }

    /** The result column of a group-by column: its type (nested ones as text), nullable. */
    public static RowSchema.Column resultColumn(RowSchema.Column input) {
        return switch (input.type()) {
            case STRUCT, ARRAY -> RowSchema.Column.nullable(input.name(), RowSchema.Type.STRING);
            default -> input.withNullable(true);
        };
    }

    /** Text key columns, for inputs whose columns have no schema (the presets' keys are strings). */
    public static List<RowSchema.Column> textColumns(List<String> names) {
        return names.stream().map(name -> RowSchema.Column.nullable(name, RowSchema.Type.STRING)).toList();
    }

    private static List<String> split(String key, int columns) {
        return columns == 0 ? List.of() : List.of(key.split(SEPARATOR, -1));
    }

    private static Object cell(String text, RowSchema.Column column) {
        if (text.equals(NULL)) {
            return null;
        }
        if (column.type() == RowSchema.Type.STRING) {
            return text;
        }
        try {
            return RowSchema.parseText(column, text, TextFormats.DEFAULT);
        } catch (MalformedRecordException e) {
            throw new IllegalStateException("a key value that its own column does not read back: " + e.getMessage(), e);
        }
    }
}
