package dev.flinkpatterns.generator;

import java.util.Random;

/** Turns a good CSV row into one of the kinds of bad row a reader must survive. */
public final class MalformedRows {

    public enum Kind { MISSING_FIELD, EXTRA_FIELD, NON_NUMERIC_USER_ID, BAD_TIMESTAMP, BLANK_LINE }

    private MalformedRows() {}

    static String corrupt(String goodRow, Random random) {
        Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
        return corrupt(goodRow, kind);
    }

    public static String corrupt(String goodRow, Kind kind) {
        String[] fields = goodRow.split(",", -1);
        return switch (kind) {
            case MISSING_FIELD -> fields[0] + "," + fields[1];
            case EXTRA_FIELD -> goodRow + ",extra";
            case NON_NUMERIC_USER_ID -> fields[0] + ",user" + fields[1] + "," + fields[2];
            case BAD_TIMESTAMP -> "yesterday," + fields[1] + "," + fields[2];
            case BLANK_LINE -> "";
        };
    }
}
