package dev.flinkpatterns.patterns.windows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.core.Api;
import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.DeadLetter;
import dev.flinkpatterns.io.SourceLine;
import dev.flinkpatterns.run.PatternOutputs;
import dev.flinkpatterns.table.ResultBatch;
import dev.flinkpatterns.testing.FlinkTests;
import dev.flinkpatterns.time.LateRows;
import dev.flinkpatterns.time.WatermarkSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import dev.flinkpatterns.patterns.transactions.Transaction;
import dev.flinkpatterns.patterns.transactions.TransactionCsvParser;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * window-agg on small hand-checked inputs: the watermark moves after every event (so exactly the expected rows
 * are late), expected rows are written out by hand, and the DataStream and SQL variants must give them both.
 */
class WindowAggregationTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    private static final String WINDOW_0 = "2024-01-15 10:00:00";
    private static final String WINDOW_1 = "2024-01-15 10:01:00";
    private static final String WINDOW_2 = "2024-01-15 10:02:00";
    private static final String WINDOW_3 = "2024-01-15 10:03:00";

    /** One-minute windows, watermark 10 s: rows 8 and 12 arrive after their window closed. */
    private static final List<String> EVENTS = List.of(
            "timestamp,user_id,event",
            "2024-01-15T10:00:05,1,view",
            "2024-01-15T10:00:30,2,view",
            "2024-01-15T10:00:50,1,login",
            "2024-01-15T10:01:05,3,view", // watermark 10:00:54.999
            "2024-01-15T10:00:58,2,view", // on time: its window ends at 10:01
            "2024-01-15T10:01:20,1,view", // watermark 10:01:09.999 closes [10:00, 10:01)
            "2024-01-15T10:00:59,3,view", // late
            "2024-01-15T10:01:10,2,login", // on time, by a millisecond
            "not,a,row",
            "2024-01-15T10:02:30,1,view", // watermark 10:02:19.999 closes [10:01, 10:02)
            "2024-01-15T10:01:30,4,view"); // late

    private static WindowQuery byEvent(WindowSpec window) {
        return new WindowQuery(window, List.of("event"), null, false, "user_id",
                WatermarkSettings.of(Duration.ofSeconds(10)).emittedOnEveryEvent());
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void appendEmitsEachTumblingWindowOnceAndDropsExactlyTheLateRows(Api api) throws Exception {
        Run run = run(EVENTS, Datasets.EVENTS, byEvent(WindowSpec.tumbling(Duration.ofMinutes(1))), api,
                OutputMode.APPEND, Trigger.AVAILABLE_NOW);

        assertThat(run.lastBatch().columns())
                .containsExactly("window_start", "window_end", "event", "count", "count(DISTINCT user_id)");
        assertThat(run.lastBatch().rows()).containsExactlyElementsOf(tumblingWindowsOfEvents("3/2", "2/2"));
        assertThat(run.late).containsExactlyInAnyOrder(
                new LateRows.LateRow("2024-01-15 10:00:59", "2024-01-15 10:01:09.999",
                        "{\"event_time\":\"2024-01-15 10:00:59\",\"event\":\"view\",\"user_id\":\"3\"}"),
                new LateRows.LateRow("2024-01-15 10:01:30", "2024-01-15 10:02:19.999",
                        "{\"event_time\":\"2024-01-15 10:01:30\",\"event\":\"view\",\"user_id\":\"4\"}"));
        assertThat(run.lateCount).isEqualTo(2);
        assertThat(run.deadLetters).extracting(DeadLetter::line).containsExactly(10L);
    }

    @Test
    void slidingWindowsTakeARowIntoEveryWindowOfItsThatIsStillOpen() throws Exception {
        WindowQuery query = byEvent(WindowSpec.sliding(Duration.ofMinutes(2), Duration.ofMinutes(1)));
        Run run = run(EVENTS, Datasets.EVENTS, query, Api.DATASTREAM, OutputMode.APPEND, Trigger.AVAILABLE_NOW);

        // Row 8 (10:00:59) misses [09:59, 10:01), closed by then, but counts in [10:00, 10:02); row 12 (10:01:30)
        // misses [10:00, 10:02) and counts in [10:01, 10:03). Neither is late: each still had an open window.
        assertThat(run.lastBatch().rows()).containsExactlyElementsOf(slidingWindowsOfEvents("3/2", "6/3", "4/3"));
        assertThat(run.lateCount).isZero();
    }

    /**
     * The one-minute windows of {@link #EVENTS}, given the view rows' count/distinct users of the windows from 10:00
     * and 10:01: the rest is the same whichever late rows they take.
     */
    private static List<List<String>> tumblingWindowsOfEvents(String view1000, String view1001) {
        return List.of(
                List.of(WINDOW_0, WINDOW_1, "login", "1", "1"),
                viewRow(WINDOW_0, WINDOW_1, view1000),
                List.of(WINDOW_1, WINDOW_2, "login", "1", "1"),
                viewRow(WINDOW_1, WINDOW_2, view1001),
                List.of(WINDOW_2, WINDOW_3, "view", "1", "1"));
    }

    private static List<String> viewRow(String start, String end, String countAndDistinct) {
        String[] figures = countAndDistinct.split("/");
        return List.of(start, end, "view", figures[0], figures[1]);
    }

    /**
     * The sliding windows (2 minutes every minute) of {@link #EVENTS}, given the view rows' count/distinct users of
     * the windows from 09:59, 10:00 and 10:01: the rest is the same whichever late rows they take.
     */
    private static List<List<String>> slidingWindowsOfEvents(String view0959, String view1000, String view1001) {
        return List.of(
                List.of("2024-01-15 09:59:00", WINDOW_1, "login", "1", "1"),
                viewRow("2024-01-15 09:59:00", WINDOW_1, view0959),
                List.of(WINDOW_0, WINDOW_2, "login", "2", "2"),
                viewRow(WINDOW_0, WINDOW_2, view1000),
                List.of(WINDOW_1, WINDOW_3, "login", "1", "1"),
                viewRow(WINDOW_1, WINDOW_3, view1001),
                List.of(WINDOW_2, "2024-01-15 10:04:00", "view", "1", "1"));
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void slidingWindowsAreTheSameInBothApisWhenNoRowIsPartlyLate(Api api) throws Exception {
        List<String> onTime = EVENTS.stream().filter(line -> !line.startsWith("2024-01-15T10:00:59")
                && !line.startsWith("2024-01-15T10:01:30")).toList();
        WindowQuery query = byEvent(WindowSpec.sliding(Duration.ofMinutes(2), Duration.ofMinutes(1)));
        Run run = run(onTime, Datasets.EVENTS, query, api, OutputMode.APPEND, Trigger.AVAILABLE_NOW);

        assertThat(run.lastBatch().rows()).containsExactlyElementsOf(slidingWindowsOfEvents("3/2", "5/3", "3/2"));
    }

    /** The 20 s sessions per user of {@link #EVENTS} in append mode, where row 12 (user 4 at 10:01:30) is late. */
    private static final List<List<String>> SESSIONS_BY_USER = List.of(
                List.of("2024-01-15 10:00:05", "2024-01-15 10:00:25", "1", "1"),
                List.of("2024-01-15 10:00:30", "2024-01-15 10:00:50", "2", "1"),
                List.of("2024-01-15 10:00:50", "2024-01-15 10:01:10", "1", "1"),
                List.of("2024-01-15 10:00:58", "2024-01-15 10:01:30", "2", "2"),
                List.of("2024-01-15 10:00:59", "2024-01-15 10:01:25", "3", "2"),
                List.of("2024-01-15 10:01:20", "2024-01-15 10:01:40", "1", "1"),
                List.of("2024-01-15 10:02:30", "2024-01-15 10:02:50", "1", "1"));

    @ParameterizedTest
    @EnumSource(Api.class)
    void sessionsCloseAfterTheGapPerKeyAndMergeWhenARowBridgesThem(Api api) throws Exception {
        WindowQuery query = new WindowQuery(WindowSpec.session(Duration.ofSeconds(20)), List.of("user_id"), null, false,
                null, WatermarkSettings.of(Duration.ofSeconds(10)).emittedOnEveryEvent());
        Run run = run(EVENTS, Datasets.EVENTS, query, api, OutputMode.APPEND, Trigger.AVAILABLE_NOW);

        assertThat(run.lastBatch().columns()).containsExactly("window_start", "window_end", "user_id", "count");
        assertThat(run.lastBatch().rows()).containsExactlyElementsOf(SESSIONS_BY_USER);
        // Row 12 (user 4 at 10:01:30): its own session would end at 10:01:50, behind watermark 10:02:19.999.
        assertThat(run.late).extracting(LateRows.LateRow::eventTime).containsExactly("2024-01-15 10:01:30");
    }

    @Test
    void updateModeShowsEachWindowRowEveryTimeItChanges() throws Exception {
        Run run = run(EVENTS, Datasets.EVENTS, byEvent(WindowSpec.tumbling(Duration.ofMinutes(1))), Api.DATASTREAM,
                OutputMode.UPDATE, Trigger.CONTINUOUS);

        // Continuous: a batch per change. Keys run on two subtasks, so only each row's own history is ordered.
        Map<String, List<String>> history = new LinkedHashMap<>();
        for (ResultBatch batch : run.batches) {
            assertThat(batch.rows()).hasSize(1);
            List<String> row = batch.rows().get(0);
            history.computeIfAbsent(row.get(0) + " " + row.get(2), k -> new ArrayList<>()).add(row.get(3) + "/" + row.get(4));
        }
        assertThat(history).containsOnly(
                Map.entry(WINDOW_0 + " view", List.of("1/1", "2/2", "3/2")),
                Map.entry(WINDOW_0 + " login", List.of("1/1")),
                Map.entry(WINDOW_1 + " view", List.of("1/1", "2/2")),
                Map.entry(WINDOW_1 + " login", List.of("1/1")),
                Map.entry(WINDOW_2 + " view", List.of("1/1")));
        assertThat(run.lateCount).isEqualTo(2);
    }

    @Test
    void completeModeShowsTheWholeTableAndAMergedSessionReplacesItsParts() throws Exception {
        // User 2's sessions [10:00:58, 10:01:18) and [10:01:10, 10:01:30) merge: the first row must leave the table.
        WindowQuery query = new WindowQuery(WindowSpec.session(Duration.ofSeconds(20)), List.of("user_id"), null, false,
                null, WatermarkSettings.of(Duration.ofSeconds(10)).emittedOnEveryEvent());
        List<String> input = List.of("timestamp,user_id,event", "2024-01-15T10:00:58,2,view",
                "2024-01-15T10:01:25,2,view", "2024-01-15T10:01:10,2,login");
        Run run = run(input, Datasets.EVENTS, query, Api.DATASTREAM, OutputMode.COMPLETE, Trigger.CONTINUOUS);

        assertThat(run.batches).extracting(ResultBatch::rows).containsExactly(
                List.of(List.of("2024-01-15 10:00:58", "2024-01-15 10:01:18", "2", "1")),
                List.of(List.of("2024-01-15 10:00:58", "2024-01-15 10:01:18", "2", "1"),
                        List.of("2024-01-15 10:01:25", "2024-01-15 10:01:45", "2", "1")),
                List.of(List.of("2024-01-15 10:00:58", "2024-01-15 10:01:18", "2", "1")),
                List.of(List.of("2024-01-15 10:00:58", "2024-01-15 10:01:45", "2", "3")));
    }

    /**
     * Spark's complete mode keeps every window: rows 8 and 12, late in append and update mode, still count in
     * windows the watermark has passed (and that were already shown), and nothing is counted as late.
     */
    @ParameterizedTest
    @EnumSource(Api.class)
    void completeModeCountsRowsBehindTheWatermarkInTumblingWindows(Api api) throws Exception {
        Run run = run(EVENTS, Datasets.EVENTS, byEvent(WindowSpec.tumbling(Duration.ofMinutes(1))), api,
                OutputMode.COMPLETE, Trigger.AVAILABLE_NOW);

        assertThat(run.lastBatch().rows()).containsExactlyElementsOf(tumblingWindowsOfEvents("4/3", "3/3"));
        assertThat(run.late).isEmpty();
        assertThat(run.lateCount).isZero();
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void completeModeCountsRowsBehindTheWatermarkInEverySlidingWindowOfTheirs(Api api) throws Exception {
        WindowQuery query = byEvent(WindowSpec.sliding(Duration.ofMinutes(2), Duration.ofMinutes(1)));
        Run run = run(EVENTS, Datasets.EVENTS, query, api, OutputMode.COMPLETE, Trigger.AVAILABLE_NOW);

        // Row 8 (10:00:59) counts in [09:59, 10:01) too, row 12 (10:01:30) in [10:00, 10:02): append drops both there.
        assertThat(run.lastBatch().rows()).containsExactlyElementsOf(slidingWindowsOfEvents("4/3", "7/4", "4/3"));
        assertThat(run.lateCount).isZero();
    }

    /** DataStream only: Flink SQL's session windows take no emit strategy (window-agg refuses --api sql here). */
    @Test
    void completeModeKeepsASessionOfRowsBehindTheWatermark() throws Exception {
        WindowQuery query = new WindowQuery(WindowSpec.session(Duration.ofSeconds(20)), List.of("user_id"), null, false,
                null, WatermarkSettings.of(Duration.ofSeconds(10)).emittedOnEveryEvent());
        Run run = run(EVENTS, Datasets.EVENTS, query, Api.DATASTREAM, OutputMode.COMPLETE, Trigger.AVAILABLE_NOW);

        // Row 12 (user 4 at 10:01:30) is late in append mode; here its session joins the table.
        List<List<String>> expected = new ArrayList<>(SESSIONS_BY_USER);
        expected.add(6, List.of("2024-01-15 10:01:30", "2024-01-15 10:01:50", "4", "1"));
        assertThat(run.lastBatch().rows()).containsExactlyElementsOf(expected);
        assertThat(run.lateCount).isZero();
    }

    /**
     * With a periodic watermark the rows of a pane arrive together and are pre-aggregated before the shuffle
     * (sliding windows of 2 minutes every minute: one-minute panes, each in two windows); the windows are those
     * of row-by-row aggregation.
     */
    @ParameterizedTest
    @EnumSource(Api.class)
    void slidingWindowsBuiltFromPreAggregatedPanesHoldEveryRowOfTheirWindow(Api api) throws Exception {
        List<String> inOrder = List.of(
                "timestamp,user_id,event",
                "2024-01-15T10:00:05,1,view",
                "2024-01-15T10:00:10,2,view",
                "2024-01-15T10:00:20,1,view",
                "2024-01-15T10:00:40,3,login",
                "2024-01-15T10:01:00,2,view",
                "2024-01-15T10:01:30,2,view",
                "2024-01-15T10:01:45,4,login",
                "2024-01-15T10:02:10,1,view",
                "2024-01-15T10:02:50,5,view");
        WindowQuery query = new WindowQuery(WindowSpec.sliding(Duration.ofMinutes(2), Duration.ofMinutes(1)),
                List.of("event"), null, false, "user_id", WatermarkSettings.of(Duration.ofSeconds(10)));
        Run run = run(inOrder, Datasets.EVENTS, query, api, OutputMode.APPEND, Trigger.AVAILABLE_NOW);

        String window9_59 = "2024-01-15 09:59:00";
        String window10_04 = "2024-01-15 10:04:00";
        assertThat(run.lastBatch().rows()).containsExactly(
                List.of(window9_59, WINDOW_1, "login", "1", "1"),
                List.of(window9_59, WINDOW_1, "view", "3", "2"),
                List.of(WINDOW_0, WINDOW_2, "login", "2", "2"),
                List.of(WINDOW_0, WINDOW_2, "view", "5", "2"),
                List.of(WINDOW_1, WINDOW_3, "login", "1", "1"),
                List.of(WINDOW_1, WINDOW_3, "view", "4", "3"),
                List.of(WINDOW_2, window10_04, "view", "2", "2"));
        assertThat(run.lateCount).isZero();
    }

    /** Transactions with a second numeric column: the amount in whole cents. */
    private static final Dataset<Transaction> TRANSACTIONS_IN_CENTS = new Dataset<>("transactions", null,
            new TransactionCsvParser(), TypeInformation.of(Transaction.class), Transaction::eventTime,
            Map.of("user_id", Dataset.Column.<Transaction>text(Transaction::userId),
                    "category", Dataset.Column.<Transaction>text(Transaction::category),
                    "amount", Dataset.Column.<Transaction>decimal(Transaction::amount),
                    "cents", Dataset.Column.<Transaction>wholeNumber(t -> Math.round(t.amount() * 100))),
            List.of("category"), null, null);

    private static final List<String> TRANSACTIONS = List.of(
            "event_time,transaction_id,user_id,category,region,amount",
            "2024-01-15T10:00:10,t-1,1,books,north,10.50",
            "2024-01-15T10:00:20,t-2,2,books,north,20.25",
            "2024-01-15T10:00:30,t-3,1,books,south,4.00",
            "2024-01-15T10:00:40,t-4,3,toys,south,5.00",
            "2024-01-15T10:01:10,t-5,2,books,north,1.25",
            "2024-01-15T10:01:50,t-6,4,toys,north,7.75");

    /** Spark: {@code .agg(count("*").alias("orders"), sum("amount").alias("revenue"), avg("amount"), ...)}. */
    @ParameterizedTest
    @EnumSource(Api.class)
    void namedAggregatesOverSeveralColumnsGiveSparksHeadersAndTypes(Api api) throws Exception {
        WindowQuery query = new WindowQuery(WindowSpec.tumbling(Duration.ofMinutes(1)), List.of("category"),
                WatermarkSettings.of(Duration.ofSeconds(10)), NamedAggregates.parse("count(*) AS orders, "
                        + "sum(amount) AS revenue, avg(amount), min(amount), max(cents) AS biggest_cents, sum(cents), "
                        + "count(user_id), count(DISTINCT user_id) AS buyers", TRANSACTIONS_IN_CENTS));
        Run run = run(TRANSACTIONS, TRANSACTIONS_IN_CENTS, query, api, OutputMode.APPEND, Trigger.AVAILABLE_NOW);

        assertThat(run.lastBatch().columns()).containsExactly("window_start", "window_end", "category", "orders",
                "revenue", "avg(amount)", "min(amount)", "biggest_cents", "sum(cents)", "count(user_id)", "buyers");
        assertThat(query.schema().columns()).extracting(c -> c.type().name()).containsExactly("TIMESTAMP", "TIMESTAMP",
                "STRING", "LONG", "DOUBLE", "DOUBLE", "DOUBLE", "LONG", "LONG", "LONG", "LONG");
        assertThat(run.lastBatch().rows()).containsExactly(
                List.of(WINDOW_0, WINDOW_1, "books", "3", "34.75", "11.583333", "4.0", "2025", "3475", "3", "2"),
                List.of(WINDOW_0, WINDOW_1, "toys", "1", "5.0", "5.0", "5.0", "500", "500", "1", "1"),
                List.of(WINDOW_1, WINDOW_2, "books", "1", "1.25", "1.25", "1.25", "125", "125", "1", "1"),
                List.of(WINDOW_1, WINDOW_2, "toys", "1", "7.75", "7.75", "7.75", "775", "775", "1", "1"));
    }

    @Test
    void approxCountDistinctOfASmallSetIsTheExactCount() throws Exception {
        WindowQuery query = new WindowQuery(WindowSpec.sliding(Duration.ofMinutes(2), Duration.ofMinutes(1)), List.of(),
                WatermarkSettings.of(Duration.ofSeconds(10)), NamedAggregates.parse(
                        "count(DISTINCT user_id), approx_count_distinct(user_id) AS users", TRANSACTIONS_IN_CENTS));
        Run run = run(TRANSACTIONS, TRANSACTIONS_IN_CENTS, query, Api.DATASTREAM, OutputMode.APPEND, Trigger.AVAILABLE_NOW);

        assertThat(run.lastBatch().columns()).containsExactly("window_start", "window_end", "count(DISTINCT user_id)",
                "users");
        assertThat(run.lastBatch().rows()).containsExactly(
                List.of("2024-01-15 09:59:00", WINDOW_1, "3", "3"),
                List.of(WINDOW_0, WINDOW_2, "4", "4"),
                List.of(WINDOW_1, WINDOW_3, "2", "2"));
    }

    /** Workshop module 5: {@code groupBy("user_id").agg(count("*").alias("purchases"), sum("amount").alias("total"))}. */
    @Test
    void withoutWindowCompleteModeShowsTheRunningAggregateOfEveryKey() throws Exception {
        WindowQuery query = new WindowQuery(null, List.of("user_id"), WatermarkSettings.NONE, NamedAggregates.parse(
                "count(*) AS purchases, sum(amount) AS total, max(cents)", TRANSACTIONS_IN_CENTS));
        Run run = run(TRANSACTIONS, TRANSACTIONS_IN_CENTS, query, Api.DATASTREAM, OutputMode.COMPLETE,
                Trigger.AVAILABLE_NOW);

        assertThat(run.lastBatch().columns()).containsExactly("user_id", "purchases", "total", "max(cents)");
        assertThat(run.lastBatch().rows()).containsExactly(
                List.of("1", "2", "14.5", "1050"),
                List.of("2", "2", "21.5", "2025"),
                List.of("3", "1", "5.0", "500"),
                List.of("4", "1", "7.75", "775"));
        assertThat(run.late).isEmpty();
    }

    private record Run(List<ResultBatch> batches, List<LateRows.LateRow> late, long lateCount, List<DeadLetter> deadLetters) {
        ResultBatch lastBatch() {
            return batches.get(batches.size() - 1);
        }
    }

    private static <T> Run run(List<String> lines, Dataset<T> dataset, WindowQuery query, Api api, OutputMode mode,
            Trigger trigger) throws Exception {
        StreamExecutionEnvironment env = FlinkTests.environment();
        env.setParallelism(2);
        List<SourceLine> input = IntStream.range(0, lines.size())
                .mapToObj(i -> new SourceLine("file:/in/events.csv", i + 1, lines.get(i)))
                .toList();
        PatternOutputs outputs = WindowAggregation.fromLines(env.fromData(input), dataset, query, api, mode, trigger);
        CloseableIterator<ResultBatch> results = outputs.results().collectAsync();
        CloseableIterator<LateRows.LateRow> late = outputs.lateRows() == null ? null : outputs.lateRows().collectAsync();
        CloseableIterator<DeadLetter> deadLetters = outputs.deadLetters().collectAsync();
        JobExecutionResult result = env.execute("window-agg test");
        Long lateCount = result.getAccumulatorResult(LateRows.LATE_ROWS);
        return new Run(drain(results), late == null ? List.of() : drain(late), lateCount == null ? 0 : lateCount, drain(deadLetters));
    }

    private static <T> List<T> drain(CloseableIterator<T> iterator) throws Exception {
        List<T> all = new ArrayList<>();
        iterator.forEachRemaining(all::add);
        iterator.close();
        return all;
    }
}
