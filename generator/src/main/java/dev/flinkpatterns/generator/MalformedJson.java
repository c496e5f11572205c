package dev.flinkpatterns.generator;

import java.util.Random;

/** Turns a good sensor reading (one JSON object on a line) into one of the kinds of bad line a JSON reader must survive. */
public final class MalformedJson {

    public enum Kind { TRUNCATED_OBJECT, NOT_JSON, WRONG_TYPE, MISSING_FIELD, BAD_TIMESTAMP }

    public static final String NOT_JSON_LINE = "sensor offline";
    private static final String TIMESTAMP_FIELD = "\"timestamp\":\"[^\"]*\"";

    private MalformedJson() {}

    static String corrupt(String goodLine, Random random) {
        Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
        return corrupt(goodLine, kind);
    }

    public static String corrupt(String goodLine, Kind kind) {
        return switch (kind) {
            case TRUNCATED_OBJECT -> goodLine.substring(0, goodLine.length() / 2);
            case NOT_JSON -> NOT_JSON_LINE;
            case WRONG_TYPE -> goodLine.replaceFirst("\"temperature\":[-0-9.]+", "\"temperature\":\"hot\"");
            case MISSING_FIELD -> goodLine.replaceFirst(TIMESTAMP_FIELD + ",", "");
            case BAD_TIMESTAMP -> goodLine.replaceFirst(TIMESTAMP_FIELD, "\"timestamp\":\"yesterday\"");
        };
    }
}
