package dev.flinkpatterns.patterns.sessions;

import java.util.Locale;

/** Spark's {@code GroupStateTimeout}: which clock decides that a user has gone quiet. */
public enum TimeoutKind {
    /** {@code EventTimeTimeout}: the watermark passes the last event time plus the timeout. */
    EVENT,
    /** {@code ProcessingTimeTimeout}: the wall clock passes the last row's arrival plus the timeout. */
    PROCESSING;

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TimeoutKind parse(String text) {
        return parse("--timeout-kind", text);
    }

    /** {@code text} as given to {@code option}: event or processing. */
    public static TimeoutKind parse(String option, String text) {
        for (TimeoutKind kind : values()) {
            if (kind.cliName().equals(text.strip().toLowerCase(Locale.ROOT))) {
                return kind;
            }
        }
        throw new IllegalArgumentException(option + " " + text + " is not event or processing");
    }
}
