package dev.flinkpatterns.patterns.sql;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The user's SQL: statements separated by {@code ;} ({@code CREATE TABLE}, {@code CREATE VIEW}, ...), the last one
 * the query whose rows are the result. A {@code ;} inside a string, a quoted name or a comment does not separate.
 * Each statement keeps its place in the text: what comes before it is blanked (newlines kept), so the line and
 * column Flink reports for an error are the line and column of the whole text.
 */
public record SqlScript(List<String> statements) implements Serializable {

    public SqlScript {
        statements = List.copyOf(statements);
        if (statements.isEmpty()) {
            throw new IllegalArgumentException("holds no SQL statement");
        }
    }

    /** The statements before the query. */
    public List<String> definitions() {
        return statements.subList(0, statements.size() - 1);
    }

    /** The last statement: the query. */
    public String query() {
        return statements.get(statements.size() - 1);
    }

    public static SqlScript parse(String text) {
        List<String> statements = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                i = closing(text, i, c);
            } else if (c == '-' && text.startsWith("--", i)) {
                int end = text.indexOf('\n', i);
                i = end < 0 ? text.length() : end;
            } else if (c == '/' && text.startsWith("/*", i)) {
                int end = text.indexOf("*/", i + 2);
                i = end < 0 ? text.length() : end + 2;
            } else if (c == ';') {
                add(statements, text, start, i);
                start = ++i;
            } else {
                i++;
            }
        }
        add(statements, text, start, text.length());
        return new SqlScript(statements);
    }

    /** The index after the quote that closes the one at {@code open} (a doubled quote is part of the text). */
    private static int closing(String text, int open, char quote) {
        int i = open + 1;
        while (i < text.length()) {
            if (text.charAt(i) == quote) {
                if (i + 1 < text.length() && text.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return i;
    }

    private static void add(List<String> statements, String text, int start, int end) {
        String statement = text.substring(start, end);
        if (withoutComments(statement).isBlank()) {
            return;
        }
        StringBuilder placed = new StringBuilder(end);
        for (int i = 0; i < start; i++) {
            char c = text.charAt(i);
            placed.append(c == '\n' || c == '\r' || c == '\t' ? c : ' ');
        }
        statements.add(placed.append(statement).toString().stripTrailing());
    }

    private static String withoutComments(String statement) {
        return statement.replaceAll("(?s)/\\*.*?(\\*/|$)", "").replaceAll("--[^\n]*", "");
    }
}
