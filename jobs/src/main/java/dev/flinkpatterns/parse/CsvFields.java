package dev.flinkpatterns.parse;

import java.util.ArrayList;
import java.util.List;

/** Splits one CSV line (RFC 4180 quoting: {@code "a,b"}, {@code ""} for a quote); a line never spans records. */
public final class CsvFields {

    private CsvFields() {}

    public static List<String> split(String line) throws MalformedRecordException {
        List<String> fields = new ArrayList<>(8);
        int length = line.length();
        int start = 0;
        while (true) {
            int end;
            if (start < length && line.charAt(start) == '"') {
                end = quotedField(line, start, fields);
            } else {
                // The common case, no quotes: a substring up to the next comma.
                end = line.indexOf(',', start);
                fields.add(line.substring(start, end < 0 ? length : end));
            }
            if (end < 0) {
                return fields;
            }
            start = end + 1;
        }
    }

    /** Adds the field that opens with a quote at {@code start}; returns the index of the comma after it, or -1. */
    private static int quotedField(String line, int start, List<String> fields) throws MalformedRecordException {
        int length = line.length();
        StringBuilder field = new StringBuilder();
        int i = start + 1;
        while (true) {
            if (i >= length) {
                throw new MalformedRecordException("unterminated quoted field");
            }
            char c = line.charAt(i++);
            if (c != '"') {
                field.append(c);
            } else if (i < length && line.charAt(i) == '"') {
                field.append('"');
                i++;
            } else {
                break;
            }
        }
        // Text after the closing quote belongs to the field, as written.
        int comma = line.indexOf(',', i);
        field.append(line, i, comma < 0 ? length : comma);
        fields.add(field.toString());
        return comma;
    }
}
