package dev.flinkpatterns.parity;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.window;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;

/**
 * medallion's gold table: the workshop's gold aggregation (5-minute windows by page_category and user_segment:
 * {@code count("*")}, {@code countDistinct("user_id")}, {@code avg("time_on_page")}) over the same silver table,
 * the Parquet files Flink's silver stage wrote. Spark refuses the seed's gold as a streaming query: it has no
 * distinct aggregation on a stream ({@code countDistinct}). So Spark runs the same aggregation as a batch query over
 * the silver files, which is what a complete-mode table holds once all the input is read and no row is late (the
 * input has no late rows: one timeline, and a watermark of an hour). The rows are the same but for one documented
 * rule: Flink rounds an aggregated double ({@code avg_time_on_page}) to 6 decimals (Cells.decimal).
 */
class MedallionGoldParityTest {

    @Test
    void goldIsSparksAggregationOfTheSameSilver() {
        String input = Patterns.freshDirectory("medallion/input");
        Patterns.generateFiles("clickstream", input, 2, 20, "5m", 1, "2026-01-01T10:00:00", "0.1");
        String userDim = Patterns.freshDirectory("medallion/user-dim") + "/user_dim.csv";
        Patterns.run("generate", "user-dim", "--out", userDim);
        String lake = Patterns.freshDirectory("medallion/lake");
        Patterns.run("medallion", "--input", input, "--user-dim", userDim, "--lake", lake, "--trigger",
                "available-now", "--sink", "json", "--watermark", "1h");

        SparkSession spark = SparkSessions.get();
        String silver = Patterns.ROOT.resolve(lake).resolve("silver").toString();
        Dataset<Row> silverStream = spark.readStream().schema(spark.read().parquet(silver).schema()).parquet(silver);
        assertThatThrownBy(() -> gold(silverStream.withWatermark("parsed_timestamp", "30 minutes")).writeStream()
                .outputMode("complete").format("noop").trigger(Trigger.AvailableNow()).start().awaitTermination())
                .hasMessageContaining("Distinct aggregations are not supported on streaming DataFrames/Datasets");

        List<Map<String, String>> sparkGold = Rows.cellsOf(gold(spark.read().parquet(silver))
                .select(col("window.start").alias("window_start"), col("window.end").alias("window_end"),
                        col("page_category"), col("user_segment"), col("page_views"), col("unique_users"),
                        col("avg_time_on_page"))
                .collectAsList());
        List<String> sparkRows = Rows.texts(sparkGold);
        // Flink rounds an aggregated double to 6 decimals (Cells.decimal): 149.8 where Spark has 149.79999999999998.
        int rounded = 0;
        for (Map<String, String> row : sparkGold) {
            double average = Double.parseDouble(row.get("avg_time_on_page"));
            String sixDecimals = new BigDecimal(Double.toString(Math.round(average * 1_000_000d) / 1_000_000d))
                    .stripTrailingZeros().toPlainString();
            rounded += sixDecimals.equals(row.get("avg_time_on_page")) ? 0 : 1;
            row.put("avg_time_on_page", sixDecimals);
        }
        assertThat(rounded).as("averages with more than 6 decimals in Spark").isPositive();
        List<String> flink = Rows.ofJsonLines(lake + "/gold");
        assertThat(flink).hasSizeGreaterThan(10);
        ParityCases.differs("medallion-gold", flink, sparkRows, flink, Rows.texts(sparkGold));
    }

    /** The seed's gold aggregation. */
    private static Dataset<Row> gold(Dataset<Row> silver) {
        return silver.groupBy(window(col("parsed_timestamp"), "5 minutes"), col("page_category"), col("user_segment"))
                .agg(count(lit(1)).alias("page_views"), countDistinct(col("user_id")).alias("unique_users"),
                        avg(col("time_on_page")).alias("avg_time_on_page"));
    }
}
