package dev.flinkpatterns.parse;

import dev.flinkpatterns.io.SourceLine;
import java.io.Serializable;
import java.util.List;

/**
 * The explicit column list of a CSV file kind, applied strictly: every data line must have exactly these fields.
 * The first line of a file is a header by Spark's {@code header} option: {@code true} skips it, {@code false}
 * reads it as data, and unset (null) skips it only when it is the column names (so a file without one loses no
 * row). Fields are separated by {@code delimiter} (Spark's {@code sep}).
 */
public record CsvSchema(List<String> columns, Boolean header, char delimiter) implements Serializable {

    public CsvSchema {
        columns = List.copyOf(columns);
    }

    public CsvSchema(List<String> columns) {
        this(columns, null, ',');
    }

    public static CsvSchema of(String... columns) {
        return new CsvSchema(List.of(columns));
    }

    /** The fields of a data line, or null for the header line and a blank line (no row, as in Spark's reader). */
    public List<String> fields(SourceLine line) throws MalformedRecordException {
        String text = line.text();
        if (text.isBlank() || line.line() == 1 && (header == null ? isHeader(text) : header)) {
            return null;
        }
        List<String> fields = CsvFields.split(text, delimiter);
        if (fields.size() != columns.size()) {
            throw new MalformedRecordException("expected " + columns.size() + " fields (" + String.join(String.valueOf(delimiter), columns)
                    + ") but found " + fields.size());
        }
        return fields;
    }

    public static int integer(String column, String text) throws MalformedRecordException {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new MalformedRecordException(column + " is not an integer: '" + text + "'");
        }
    }

    public static double decimal(String column, String text) throws MalformedRecordException {
        try {
            double value = Double.parseDouble(text);
            if (Double.isNaN(value) || Double.isInfinite(value)) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new MalformedRecordException(column + " is not a number: '" + text + "'");
        }
    }

    public static String nonEmpty(String column, String text) throws MalformedRecordException {
        if (text.isEmpty()) {
            throw new MalformedRecordException(column + " is empty");
        }
        return text;
    }

    private boolean isHeader(String text) {
        try {
            return CsvFields.split(text.strip(), delimiter).stream().map(String::strip).toList().equals(columns);
        } catch (MalformedRecordException e) {
            return false;
        }
    }
}
