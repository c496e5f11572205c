package dev.flinkpatterns.parity;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;

/** One local Spark for the whole suite: starting one costs seconds. As the facts file says: local[2], UTC. */
final class SparkSessions {

    private static SparkSession spark;

    private SparkSessions() {}

    static synchronized SparkSession get() {
        if (spark == null) {
            spark = SparkSession.builder()
                    .appName("parity")
                    .master("local[2]")
                    .config("spark.sql.shuffle.partitions", "1")
                    .config("spark.sql.session.timeZone", "UTC")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.streaming.forceDeleteTempCheckpointLocation", "true")
                    // LocalDateTime and Instant instead of java.sql types: one conversion for both sides.
                    .config("spark.sql.datetime.java8API.enabled", "true")
                    // A malformed line is malformed whichever columns the query reads (as Flink parses whole rows).
                    .config("spark.sql.csv.parser.columnPruning.enabled", "false")
                    .getOrCreate();
            spark.sparkContext().setLogLevel("WARN");
        }
        return spark;
    }

    /**
     * Every row a streaming query emits in append mode, over all its micro-batches: the query runs with
     * {@code Trigger.AvailableNow()} and {@code foreachBatch} collects each batch.
     */
    static List<Row> appendedRows(Dataset<Row> stream) {
        List<Row> rows = new ArrayList<>();
        try {
            stream.writeStream().outputMode("append").trigger(Trigger.AvailableNow())
                    .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (batch, id) -> rows.addAll(batch.collectAsList()))
                    .start().awaitTermination();
        } catch (TimeoutException | StreamingQueryException e) {
            throw new AssertionError("the Spark query failed", e);
        }
        return rows;
    }

    /** The last result table of a streaming query in complete mode ({@code Trigger.AvailableNow()}). */
    static List<Row> completeTable(Dataset<Row> stream) {
        List<Row> last = new ArrayList<>();
        try {
            stream.writeStream().outputMode("complete").trigger(Trigger.AvailableNow())
                    .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (batch, id) -> {
                        last.clear();
                        last.addAll(batch.collectAsList());
                    }).start().awaitTermination();
        } catch (TimeoutException | StreamingQueryException e) {
            throw new AssertionError("the Spark query failed", e);
        }
        return last;
    }
}
