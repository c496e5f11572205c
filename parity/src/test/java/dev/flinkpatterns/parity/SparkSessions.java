package dev.flinkpatterns.parity;

import org.apache.spark.sql.SparkSession;

/** One local Spark for the whole suite: starting one costs seconds. As the facts file says: local[2], UTC. */
final class SparkSessions {

    private static SparkSession spark;

    private SparkSessions() {}

    static synchronized SparkSession get() {
        if (spark == null) {
            spark = SparkSession.builder()
                    .appName("parity")
                    .master("local[2]")
                    .config("spark.sql.shuffle.partitions", "2")
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
}
