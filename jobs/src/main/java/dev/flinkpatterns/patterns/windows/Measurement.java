package dev.flinkpatterns.patterns.windows;

/**
 * What an aggregation needs of a row, whatever the dataset: its event time, its group key (the key columns joined
 * by {@link dev.flinkpatterns.table.KeyCells}) and the columns the aggregates read ({@link WindowQuery#inputs()}), by
 * position: as numbers (NaN for a column that is not a number) and as text (for the distinct counts).
 */
public record Measurement(long eventTime, String key, double[] numbers, String[] texts) {}
