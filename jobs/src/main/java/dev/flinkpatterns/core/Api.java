package dev.flinkpatterns.core;

import java.util.Locale;

/** Which Flink API a pattern's topology is written in; both give the same rows. */
public enum Api {
    DATASTREAM,
    SQL;

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Api parse(String text) {
        for (Api api : values()) {
            if (api.cliName().equals(text.trim().toLowerCase(Locale.ROOT))) {
                return api;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not datastream or sql");
    }
}
