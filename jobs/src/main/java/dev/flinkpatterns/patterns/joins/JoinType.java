package dev.flinkpatterns.patterns.joins;

import java.util.Arrays;
import java.util.Locale;

/** Spark's join types of a stream-stream join: which sides keep their unmatched rows, padded with nulls. */
public enum JoinType {
    INNER(false, false),
    LEFT(true, false),
    RIGHT(false, true),
    FULL(true, true);

    private final boolean keepsLeft;
    private final boolean keepsRight;

    JoinType(boolean keepsLeft, boolean keepsRight) {
        this.keepsLeft = keepsLeft;
        this.keepsRight = keepsRight;
    }

    /** Whether an unmatched left row is emitted (with nulls for the right columns). */
    public boolean keepsUnmatchedLeft() {
        return keepsLeft;
    }

    public boolean keepsUnmatchedRight() {
        return keepsRight;
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The SQL words: {@code JOIN}, {@code LEFT JOIN}, {@code RIGHT JOIN}, {@code FULL JOIN}. */
    public String sql() {
        return this == INNER ? "JOIN" : name() + " JOIN";
    }

    public static JoinType parse(String text) {
        for (JoinType type : values()) {
            if (type.cliName().equals(text.trim().toLowerCase(Locale.ROOT))) {
                return type;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a join type; available: "
                + String.join(", ", Arrays.stream(values()).map(JoinType::cliName).toList()));
    }
}
