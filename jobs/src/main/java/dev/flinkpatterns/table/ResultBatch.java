package dev.flinkpatterns.table;

import java.util.List;

/** One micro-batch of a result table as the console shows it: Spark's {@code Batch: N} and its rows. */
public record ResultBatch(long batchId, List<String> columns, List<List<String>> rows) {}
