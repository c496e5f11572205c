package dev.flinkpatterns.testing;

import dev.flinkpatterns.table.ConsoleTable;
import dev.flinkpatterns.table.ResultBatch;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.util.CloseableIterator;

/** Reads result batches of a running job until one shows the expected table: a wait on a condition, not on time. */
public final class Batches {

    private final CloseableIterator<ResultBatch> results;
    private final List<ResultBatch> seen = new ArrayList<>();

    public Batches(CloseableIterator<ResultBatch> results) {
        this.results = results;
    }

    /** The table part of a batch as the console prints it (Spark's show, 20 rows, truncate 20). */
    public static String table(ResultBatch batch) {
        return ConsoleTable.show(batch.columns(), batch.rows(), 20, 20);
    }

    /** Blocks until a batch prints {@code expectedTable}; fails if the job ends first. The test's @Timeout bounds the wait. */
    public ResultBatch awaitTable(String expectedTable) {
        while (results.hasNext()) {
            ResultBatch batch = results.next();
            seen.add(batch);
            if (table(batch).equals(expectedTable)) {
                return batch;
            }
        }
        throw new AssertionError("the job ended before a batch showed\n" + expectedTable + "batches seen: " + seen);
    }

    /** All batches until the job ends. */
    public List<ResultBatch> remaining() {
        List<ResultBatch> rest = new ArrayList<>();
        results.forEachRemaining(rest::add);
        seen.addAll(rest);
        return rest;
    }

    public List<ResultBatch> seen() {
        return seen;
    }
}
