package dev.flinkpatterns.parity;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * interval-join: the guide's {@code clicks.withWatermark("click_time", "10 minutes").join(purchases.withWatermark(
 * "purchase_time", "10 minutes"), expr("user_id = user_id AND purchase_time >= click_time AND purchase_time <=
 * click_time + interval 1 hour"), type)}, inner, left, right and full outer, Spark reading one file of each side per
 * micro-batch with {@code Trigger.AvailableNow}, Flink with {@code --watermark-policy spark}: the same rows. Flink's
 * default watermark differs by the rule {@link #periodicDiffersByTheDocumentedRule} checks.
 */
class IntervalJoinParityTest {

    static final String CLICKS_SCHEMA = "click_time TIMESTAMP, click_id STRING, user_id STRING, page STRING";
    static final String PURCHASES_SCHEMA =
            "purchase_time TIMESTAMP, purchase_id STRING, user_id STRING, product_id STRING, amount DOUBLE";
    static String clicks;
    static String purchases;

    /**
     * Five files of each side, 20 minutes of event time apart, 3 clicks a file; a quarter of the rows 50 minutes late
     * (out of order; two of them behind Spark's watermark), malformed lines of kinds Spark and Flink read alike, and a
     * click and a purchase written twice. The guide's constants scaled down: watermarks of 5 minutes, an interval of
     * 20 minutes, so that rows leave the state (null-padded in outer joins) within the five batches.
     */
    @BeforeAll
    static void generate() throws IOException {
        String input = Patterns.freshDirectory("interval-join/input");
        clicks = input + "/clicks";
        purchases = input + "/purchases";
        Patterns.run("generate", "clicks", "--clicks-out", clicks, "--purchases-out", purchases, "--files", "5",
                "--rows", "3", "--interval", "0s", "--time-per-file", "20m", "--users", "3", "--seed", "3",
                "--start-time", "2026-01-01T10:00:00", "--late-fraction", "0.25", "--late-by", "50m");
        duplicateLastRow(clicks + "/click_batch_1.csv");
        duplicateLastRow(purchases + "/purchase_batch_3.csv");
        // Malformed lines Spark (PERMISSIVE) and Flink read alike: a blank line, a user_id that is no number (a string
        // key either way). Lines Flink sends to the dead letters are rows with nulls in Spark: see the docs.
        append(clicks + "/click_batch_2.csv", "", "2026-01-01T10:45:00.000000,c-bad,user2,home");
        // Spark's file source takes each directory's files oldest first: batch N is click file N and purchase file N.
        for (String directory : List.of(clicks, purchases)) {
            try (var files = Files.list(Patterns.ROOT.resolve(directory))) {
                for (Path file : files.toList()) {
                    int batch = Integer.parseInt(file.getFileName().toString().replaceAll("\\D", ""));
                    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T12:00:00Z").plusSeconds(batch)));
                }
            }
        }
    }

    @Test
    void innerJoinIsTheSame() {
        assertSame("inner");
    }

    @Test
    void leftOuterJoinIsTheSame() {
        assertSame("left");
    }

    @Test
    void rightOuterJoinIsTheSame() {
        assertSame("right");
    }

    @Test
    void fullOuterJoinIsTheSame() {
        assertSame("full");
    }

    /**
     * Flink's default watermark (here moved after every row, so the run is deterministic): each side's rows are judged
     * by that side's own watermark as they come, not by the minimum over both sides of two batches before, and the
     * end of the input fires every timer: every unmatched row comes out null-padded. Spark never emits the rows still
     * in its state after its last watermark W_K. So Flink has every row Spark has, except those of a row it dropped
     * as late, and more only null-padded: a row whose bound is not before W_K, or whose partner in Spark was late in
     * Flink.
     */
    @Test
    void periodicDiffersByTheDocumentedRule() throws IOException {
        String output = Patterns.freshDirectory("interval-join/full-periodic");
        String late = output + "/late";
        CompletableFuture<Patterns.Run> run = CompletableFuture.supplyAsync(() -> Patterns.run(flinkArgs("full",
                "periodic", output, "--watermark-every-event", "--late-output", late)));
        List<String> spark = sparkRows("full");
        List<String> flink = Rows.ofLastConsoleTable(run.join().out());
        assertThat(flink).isNotEqualTo(spark);
        List<String> lateIds = new ArrayList<>();
        for (Map<String, String> row : Rows.cellsOfJsonLines(late)) {
            String json = row.get("row");
            lateIds.add(json.replaceAll(".*\"(click_id|purchase_id)\":\"([^\"]+)\".*", "$2"));
        }
        LocalDateTime lastWatermark = lastWatermark();
        for (String row : spark) {
            if (!flink.contains(row)) {
                assertThat(lateIds).as("a row only Spark has involves a row Flink dropped as late: " + row)
                        .anyMatch(id -> row.contains("=" + id + ","));
            }
        }
        for (String row : flink) {
            if (!spark.contains(row)) {
                assertThat(row).as("a row only Flink has is null-padded").containsAnyOf("click_id=null", "purchase_id=null");
                String id = row.contains("click_id=null") ? cell(row, "purchase_id") : cell(row, "click_id");
                boolean partnerWasLate = spark.stream().anyMatch(joined -> joined.contains("=" + id + ",")
                        && lateIds.stream().anyMatch(lateId -> joined.contains("=" + lateId + ",")));
                assertThat(partnerWasLate || !bound(row).isBefore(lastWatermark))
                        .as("its row was still in Spark's state after W_K = " + lastWatermark + ", or its partner in "
                                + "Spark was late in Flink: " + row).isTrue();
            }
        }
    }

    /** Spark's rows of each join type, run once (the full join serves two tests). */
    private static final Map<String, List<String>> SPARK_ROWS = new java.util.concurrent.ConcurrentHashMap<>();

    private static List<String> sparkRows(String type) {
        return SPARK_ROWS.computeIfAbsent(type, IntervalJoinParityTest::spark);
    }

    /** Flink's run in the background (a process of its own) while Spark runs its query: the test takes half as long. */
    private static void assertSame(String type) {
        String output = Patterns.freshDirectory("interval-join/" + type + "-spark");
        CompletableFuture<Patterns.Run> flink = CompletableFuture.supplyAsync(
                () -> Patterns.run(flinkArgs(type, "spark", output)));
        List<String> spark = sparkRows(type);
        ParityCases.identical("interval-join-" + type, Rows.ofLastConsoleTable(flink.join().out()), spark);
    }

    private static String[] flinkArgs(String type, String policy, String output, String... more) {
        List<String> args = new ArrayList<>(List.of("interval-join", "--left-input", clicks, "--right-input", purchases,
                "--join", type, "--watermark-policy", policy, "--trigger", "available-now", "--truncate", "false",
                "--num-rows", "1000", "--output", output, "--left-watermark", "5m", "--right-watermark", "5m",
                "--within", "20m"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    /** The guide's join; {@code user_id = user_id} written as Spark needs it (by alias); the right user_id renamed. */
    static List<String> spark(String type) {
        Dataset<Row> clickRows = SparkSessions.get().readStream().schema(CLICKS_SCHEMA).option("header", "true")
                .option("maxFilesPerTrigger", 1).csv(Patterns.ROOT.resolve(clicks).toString());
        Dataset<Row> purchaseRows = SparkSessions.get().readStream().schema(PURCHASES_SCHEMA).option("header", "true")
                .option("maxFilesPerTrigger", 1).csv(Patterns.ROOT.resolve(purchases).toString());
        Dataset<Row> joined = clickRows.withWatermark("click_time", "5 minutes").alias("c")
                .join(purchaseRows.withWatermark("purchase_time", "5 minutes").alias("p"),
                        expr("c.user_id = p.user_id AND purchase_time >= click_time AND purchase_time <= click_time "
                                + "+ interval 20 minutes"),
                        type)
                .select(col("c.click_time"), col("c.click_id"), col("c.user_id"), col("c.page"),
                        col("p.purchase_time"), col("p.purchase_id"), col("p.user_id").as("purchases_user_id"),
                        col("p.product_id"), col("p.amount"));
        return Rows.of(SparkSessions.appendedRows(joined));
    }

    /** Spark's watermark after the last batch: min over both sides of (max event time - 5 minutes). */
    private static LocalDateTime lastWatermark() throws IOException {
        return min(maxTime(clicks), maxTime(purchases)).minusMinutes(5);
    }

    private static LocalDateTime min(LocalDateTime a, LocalDateTime b) {
        return a.isBefore(b) ? a : b;
    }

    private static LocalDateTime maxTime(String directory) throws IOException {
        LocalDateTime max = LocalDateTime.MIN;
        try (var files = Files.list(Patterns.ROOT.resolve(directory))) {
            for (Path file : files.toList()) {
                for (String line : Files.readAllLines(file)) {
                    String first = line.split(",", -1)[0];
                    if (first.matches("\\d{4}-.*")) {
                        LocalDateTime time = LocalDateTime.parse(first);
                        max = time.isAfter(max) ? time : max;
                    }
                }
            }
        }
        return max;
    }

    /** The time by which Spark evicts the row of a null-padded row: a click's time + 20 minutes, a purchase's time. */
    private static LocalDateTime bound(String row) {
        if (row.contains("click_id=null")) {
            return Rows.instant(cell(row, "purchase_time")).atOffset(ZoneOffset.UTC).toLocalDateTime();
        }
        return Rows.instant(cell(row, "click_time")).atOffset(ZoneOffset.UTC).toLocalDateTime()
                .plus(Duration.ofMinutes(20));
    }

    private static String cell(String row, String column) {
        return row.replaceAll(".*[{ ]" + column + "=([^,}]+).*", "$1");
    }

    private static void append(String file, String... lines) throws IOException {
        Path path = Patterns.ROOT.resolve(file);
        Files.writeString(path, Files.readString(path) + String.join("\n", lines) + "\n");
    }

    private static void duplicateLastRow(String file) throws IOException {
        Path path = Patterns.ROOT.resolve(file);
        List<String> lines = Files.readAllLines(path);
        append(file, lines.get(lines.size() - 1));
    }
}
