package dev.flinkpatterns.core;

import java.util.Locale;

/** Which Flink API a pattern is written in: the same results either way, tested. */
public enum Api {
    DATASTREAM,
    SQL;

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Api parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not an API: datastream or sql");
        }
    }
}
