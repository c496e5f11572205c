package dev.flinkpatterns.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one CSV line as Spark's CSV reader does by default: fields separated by a delimiter (a comma unless
 * given), a field that opens with {@code "} is quoted and may hold the delimiter; inside it, {@code \"} (Spark's
 * default escape) and {@code ""} (RFC 4180) are a quote. A line never spans records.
 */
public final class CsvFields {

    private CsvFields() {}

    public static List<String> split(String line) throws MalformedRecordException {
        return split(line, ',');
    }

    public static List<String> split(String line, char delimiter) throws MalformedRecordException {
        List<String> fields = new ArrayList<>(8);
        int length = line.length();
        int start = 0;
        while (true) {
            int end;
            if (start < length && line.charAt(start) == '"') {
                end = quotedField(line, start, delimiter, fields);
            } else {
                // The common case, no quotes: a substring up to the next delimiter.
                end = line.indexOf(delimiter, start);
                fields.add(line.substring(start, end < 0 ? length : end));
            }
            if (end < 0) {
                return fields;
            }
            start = end + 1;
        }
    }

    /** Adds the field that opens with a quote at {@code start}; returns the index of the delimiter after it, or -1. */
    private static int quotedField(String line, int start, char delimiter, List<String> fields)
            throws MalformedRecordException {
        int length = line.length();
        StringBuilder field = new StringBuilder();
        int i = start + 1;
        while (true) {
            if (i >= length) {
                throw new MalformedRecordException("unterminated quoted field");
            }
            char c = line.charAt(i++);
            if (c == '\\' && i < length && line.charAt(i) == '"') {
                field.append('"');
                i++;
            } else if (c != '"') {
                field.append(c);
            } else if (i < length && line.charAt(i) == '"') {
                field.append('"');
                i++;
            } else {
                break;
            }
        }
        // Text after the closing quote belongs to the field, as written.
        int next = line.indexOf(delimiter, i);
        field.append(line, i, next < 0 ? length : next);
        fields.add(field.toString());
        return next;
    }
}
