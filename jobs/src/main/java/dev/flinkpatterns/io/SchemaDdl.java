package dev.flinkpatterns.io;

import dev.flinkpatterns.io.RowSchema.Column;
import dev.flinkpatterns.io.RowSchema.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Spark's DDL schema strings ({@code StructType.fromDDL} / {@code toDDL}):
 * {@code pickup_at TIMESTAMP, zone STRING, fare DECIMAL(10,2), passengers INT NOT NULL}.
 *
 * <p>Type names are case-insensitive. Spark's aliases map onto the types here: INTEGER, SMALLINT/SHORT and
 * TINYINT/BYTE are INT (a wider integer holds them all); LONG is BIGINT; FLOAT and REAL are DOUBLE (read as
 * doubles, as a float's text is); DEC and NUMERIC are DECIMAL, whose default is Spark's DECIMAL(10,0), and
 * DECIMAL(p) is DECIMAL(p,0); VARCHAR(n) and CHAR(n) are STRING (the length is not enforced); TIMESTAMP_NTZ is
 * TIMESTAMP (a wall-clock time, which is what TIMESTAMP is here). A name may be backquoted ({@code `my col`},
 * {@code ``} for a backquote), a colon may follow it, {@code NOT NULL} makes a column required and
 * {@code COMMENT '...'} is ignored. Nested: {@code STRUCT<a: INT, b: STRING>}, {@code ARRAY<STRING>}.
 *
 * <p>A string that does not parse is an {@link IllegalArgumentException} with one line: what was found, at which
 * column (1-based), and what was expected.
 */
public final class SchemaDdl {

    /** The type names the parser knows, for messages. */
    public static final String TYPES = "STRING, INT, BIGINT, DOUBLE, DECIMAL(p,s), BOOLEAN, DATE, TIMESTAMP, "
            + "STRUCT<...>, ARRAY<...> (aliases: INTEGER, SMALLINT, TINYINT, LONG, FLOAT, REAL, NUMERIC, VARCHAR(n))";

    private final String text;
    private int pos;

    private SchemaDdl(String text) {
        this.text = text;
    }

    /** The schema of a DDL string; see the class comment. */
    public static RowSchema parse(String ddl) {
        SchemaDdl parser = new SchemaDdl(ddl);
        List<Column> columns = parser.fields(false);
        parser.skipSpace();
        if (parser.pos < ddl.length()) {
            throw parser.error(parser.found(), "',' and the next column");
        }
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("the schema is empty; expected columns like 'id INT, name STRING'");
        }
        return new RowSchema(columns);
    }

    /** Spark's DDL of a schema, which {@link #parse} reads back to the same schema. */
    public static String print(RowSchema schema) {
        return String.join(", ", schema.columns().stream()
                .map(column -> quoteName(column.name()) + " " + column.ddlType() + (column.nullable() ? "" : " NOT NULL"))
                .toList());
    }

    /** A name as DDL writes it: as it is when it is a plain identifier, else backquoted. */
    public static String quoteName(String name) {
        return name.matches("[A-Za-z_][A-Za-z0-9_]*") ? name : "`" + name.replace("`", "``") + "`";
    }

    /** Columns up to the end, or (nested) up to a {@code >}. */
    private List<Column> fields(boolean nested) {
        List<Column> columns = new ArrayList<>();
        Set<String> names = new HashSet<>();
        skipSpace();
        if (nested && peek() == '>') {
            return columns;
        }
        if (!nested && pos >= text.length()) {
            return columns;
        }
        while (true) {
            skipSpace();
            int nameAt = pos;
            String name = name();
            skipSpace();
            if (peek() == ':') {
                pos++;
            }
            Column column = type(name);
            if (keyword("NOT")) {
                if (!keyword("NULL")) {
                    throw error(found(), "NULL after NOT");
                }
                column = column.withNullable(false);
            }
            if (keyword("COMMENT")) {
                comment();
            }
            if (!names.add(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("duplicate column '" + name + "' at column " + (nameAt + 1)
                        + " (names are case-insensitive, as in Spark)");
            }
            columns.add(column);
            skipSpace();
            if (peek() != ',') {
                return columns;
            }
            pos++;
        }
    }

    private String name() {
        skipSpace();
        if (peek() == '`') {
            StringBuilder name = new StringBuilder();
            int start = pos++;
            while (true) {
                if (pos >= text.length()) {
                    pos = start;
                    throw error("an unclosed backquoted name", "a closing `");
                }
                char c = text.charAt(pos++);
                if (c == '`') {
                    if (peek() != '`') {
                        break;
                    }
                    pos++;
                }
                name.append(c);
            }
            if (name.isEmpty()) {
                pos = start;
                throw error("an empty name", "a column name");
            }
            return name.toString();
        }
        String word = word();
        if (word.isEmpty()) {
            throw error(found(), "a column name");
        }
        return word;
    }

    /** A column of the type that follows. */
    private Column type(String name) {
        skipSpace();
        int at = pos;
        String word = word();
        if (word.isEmpty()) {
            throw error(found(), "a type (" + TYPES + ")");
        }
        String type = word.toUpperCase(Locale.ROOT);
        return switch (type) {
            case "STRING" -> Column.nullable(name, Type.STRING);
            case "VARCHAR", "CHAR" -> {
                int[] length = arguments(type, 1, 1);
                yield Column.nullable(name, Type.STRING);
            }
            case "INT", "INTEGER", "SMALLINT", "SHORT", "TINYINT", "BYTE" -> Column.nullable(name, Type.INT);
            case "BIGINT", "LONG" -> Column.nullable(name, Type.LONG);
            case "DOUBLE", "FLOAT", "REAL" -> Column.nullable(name, Type.DOUBLE);
            case "BOOLEAN" -> Column.nullable(name, Type.BOOLEAN);
            case "DATE" -> Column.nullable(name, Type.DATE);
            case "TIMESTAMP", "TIMESTAMP_NTZ" -> Column.nullable(name, Type.TIMESTAMP);
            case "DECIMAL", "DEC", "NUMERIC" -> decimal(name, type);
            case "ARRAY" -> {
                expect('<', "'<' after ARRAY");
                Column element = type("element");
                if (keyword("NOT")) {
                    if (!keyword("NULL")) {
                        throw error(found(), "NULL after NOT");
                    }
                    element = element.withNullable(false);
                }
                expect('>', "'>' to close ARRAY<");
                yield Column.array(name, element, true);
            }
            case "STRUCT" -> {
                expect('<', "'<' after STRUCT");
                List<Column> fields = fields(true);
                expect('>', "',' or '>' to close STRUCT<");
                if (fields.isEmpty()) {
                    pos = at;
                    throw error("an empty STRUCT<>", "at least one field");
                }
                yield Column.struct(name, new RowSchema(fields), true);
            }
            default -> {
                pos = at;
                throw new IllegalArgumentException((isSparkType(type) ? "unsupported type '" : "unknown type '") + word
                        + "' at column " + (at + 1) + "; types: " + TYPES);
            }
        };
    }

    private Column decimal(String name, String type) {
        int start = pos;
        int[] args = arguments(type, 0, 2);
        int precision = args.length > 0 ? args[0] : 10;
        int scale = args.length > 1 ? args[1] : 0;
        if (precision < 1 || precision > 38 || scale > precision) {
            pos = start;
            throw error("'" + type + "(" + precision + "," + scale + ")'", "1 <= precision <= 38 and scale <= precision");
        }
        return Column.decimal(name, precision, scale, true);
    }

    /** {@code (n[, m])} after a type name: between {@code min} and {@code max} numbers. */
    private int[] arguments(String type, int min, int max) {
        skipSpace();
        if (peek() != '(') {
            if (min > 0) {
                throw error(found(), "'(' and a length after " + type);
            }
            return new int[0];
        }
        pos++;
        List<Integer> numbers = new ArrayList<>();
        while (true) {
            skipSpace();
            int start = pos;
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                pos++;
            }
            if (start == pos || pos - start > 3) {
                pos = start;
                throw error(found(), "a number in " + type + "(...)");
            }
            numbers.add(Integer.parseInt(text.substring(start, pos)));
            skipSpace();
            if (peek() == ')' ) {
                pos++;
                break;
            }
            if (peek() != ',' || numbers.size() == max) {
                throw error(found(), numbers.size() == max ? "')' to close " + type + "(" : "',' or ')' in " + type + "(...)");
            }
            pos++;
        }
        return numbers.stream().mapToInt(Integer::intValue).toArray();
    }

    private void comment() {
        skipSpace();
        if (peek() != '\'' && peek() != '"') {
            throw error(found(), "a quoted comment after COMMENT");
        }
        char quote = text.charAt(pos);
        int start = pos++;
        // A backslash escapes the next character; a doubled quote is a quote (adjacent literals, as in Spark SQL).
        while (pos < text.length() && (text.charAt(pos) != quote
                || (pos + 1 < text.length() && text.charAt(pos + 1) == quote))) {
            pos += text.charAt(pos) == '\\' || text.charAt(pos) == quote ? 2 : 1;
        }
        if (pos >= text.length()) {
            pos = start;
            throw error("an unclosed comment", "a closing " + quote);
        }
        pos++;
    }

    private static boolean isSparkType(String type) {
        return Set.of("BINARY", "MAP", "INTERVAL", "TIMESTAMP_LTZ", "VARIANT", "VOID", "OBJECT").contains(type);
    }

    private boolean keyword(String keyword) {
        skipSpace();
        int end = pos + keyword.length();
        if (end <= text.length() && text.regionMatches(true, pos, keyword, 0, keyword.length())
                && (end == text.length() || !isWordChar(text.charAt(end)))) {
            pos = end;
            return true;
        }
        return false;
    }

    private void expect(char c, String expected) {
        skipSpace();
        if (peek() != c) {
            throw error(found(), expected);
        }
        pos++;
    }

    private String word() {
        int start = pos;
        while (pos < text.length() && isWordChar(text.charAt(pos))) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private String found() {
        if (pos >= text.length()) {
            return "the end of the schema";
        }
        int start = pos;
        String word = word();
        pos = start;
        return "'" + (word.isEmpty() ? String.valueOf(text.charAt(pos)) : word) + "'";
    }

    private IllegalArgumentException error(String found, String expected) {
        String where = pos >= text.length() ? "" : " at column " + (pos + 1);
        return new IllegalArgumentException(found.equals("the end of the schema")
                ? "the schema ends early; expected " + expected
                : "unexpected " + found + where + "; expected " + expected);
    }
}
