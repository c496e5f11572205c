package dev.flinkpatterns.generator;

import java.util.Random;

/** Turns a good CSV row (timestamp first) into one of the kinds of bad row a reader must survive. */
public final class MalformedRows {

    public enum Kind { MISSING_FIELD, EXTRA_FIELD, NON_NUMERIC_USER_ID, BAD_TIMESTAMP, BLANK_LINE }

    private MalformedRows() {}

    static String corrupt(String goodRow, int userIdColumn, Random random) {
        Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
        return corrupt(goodRow, userIdColumn, kind);
    }

    /** For rows without a numeric {@code user_id}: any kind but {@link Kind#NON_NUMERIC_USER_ID}. */
    static String corruptWithoutUserId(String goodRow, Random random) {
        Kind[] kinds = {Kind.MISSING_FIELD, Kind.EXTRA_FIELD, Kind.BAD_TIMESTAMP, Kind.BLANK_LINE};
        return corrupt(goodRow, -1, kinds[random.nextInt(kinds.length)]);
    }

    /** {@code userIdColumn}: the column that holds the numeric {@code user_id}. */
    public static String corrupt(String goodRow, int userIdColumn, Kind kind) {
        String[] fields = goodRow.split(",", -1);
        return switch (kind) {
            case MISSING_FIELD -> goodRow.substring(0, goodRow.lastIndexOf(','));
            case EXTRA_FIELD -> goodRow + ",extra";
            case NON_NUMERIC_USER_ID -> replaceField(fields, userIdColumn, "user" + fields[userIdColumn]);
            case BAD_TIMESTAMP -> replaceField(fields, 0, "yesterday");
            case BLANK_LINE -> "";
        };
    }

    private static String replaceField(String[] fields, int column, String value) {
        fields[column] = value;
        return String.join(",", fields);
    }
}
