package dev.flinkpatterns.io;

import java.util.Locale;

/** The formats of the file sinks (Spark's {@code writeStream.format(...)}), with the suffix of their part files. */
public enum FileFormat {
    PARQUET(".parquet"), JSON(".jsonl"), CSV(".csv");

    private final String suffix;

    FileFormat(String suffix) {
        this.suffix = suffix;
    }

    public String suffix() {
        return suffix;
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
