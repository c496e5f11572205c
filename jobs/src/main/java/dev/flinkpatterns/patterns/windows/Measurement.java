package dev.flinkpatterns.patterns.windows;

/**
 * What a window aggregation needs of a row, whatever the dataset: its event time, its group key (the key
 * columns joined by {@link WindowQuery#KEY_SEPARATOR}), the aggregated value (NaN when the query has none) and
 * the value counted distinctly (null when none).
 */
public record Measurement(long eventTime, String key, double value, String distinct) {}
