package dev.flinkpatterns.benchmarks;

import dev.flinkpatterns.table.ConsoleTable;
import dev.flinkpatterns.table.ResultBatch;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The console sink's printout of one batch: Spark's default 20 rows, 6 columns, cells cut at 20 characters. */
@State(Scope.Thread)
public class ConsoleTableBenchmark extends ShortRun {

    private ResultBatch batch;

    @Setup
    public void batch() {
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            rows.add(List.of("2024-01-15 00:00:" + (10 + i % 50), Integer.toString(1_000_000 + i), Integer.toString(i % 1000),
                    i % 10 == 0 ? "inactive" : "active", (i % 100) + ".99", "2024-01-15 00:01:00.123456789"));
        }
        batch = new ResultBatch(7, List.of("timestamp", "id", "user_id", "status", "amount", "processed_time"), rows);
    }

    @Benchmark
    public String render20Rows() {
        return ConsoleTable.render(batch, ConsoleTable.DEFAULT_NUM_ROWS, ConsoleTable.DEFAULT_TRUNCATE);
    }
}
