package dev.flinkpatterns.parity;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.api.java.function.MapGroupsWithStateFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.KeyValueGroupedDataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.ExpiredTimerInfo;
import org.apache.spark.sql.streaming.GroupStateTimeout;
import org.apache.spark.sql.streaming.ListState;
import org.apache.spark.sql.streaming.MapState;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StatefulProcessorWithInitialState;
import org.apache.spark.sql.streaming.TTLConfig;
import org.apache.spark.sql.streaming.TimeMode;
import org.apache.spark.sql.streaming.TimerValues;
import org.apache.spark.sql.streaming.ValueState;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

/**
 * transform-with-state: Spark 4.2's Java {@code groupByKey(user_id).transformWithState(processor,
 * TimeMode.EventTime(), OutputMode.Append(), initialState, ...)} after {@code withWatermark("timestamp", "10 seconds")},
 * the {@code StatefulProcessorWithInitialState} doing what Flink's ActivityTracker does (a value state of the running
 * count from the initial state, a list state of the last 3 events and a map state of a count per event type; an
 * event-time timer at the last event time + the gap, moved when it grows; when it fires a summary row and
 * the list and map cleared), Spark reading one file per micro-batch with {@code Trigger.AvailableNow}, Flink with
 * {@code --watermark-policy spark}: the same summaries. And the seeds' {@code mapGroupsWithState} running count in
 * update mode: the same final count per user.
 */
class TransformWithStateParityTest {

    /** The inactivity gap, as Flink's --gap. */
    static final long GAP_MILLIS = 30_000;

    /** How many last events a summary lists, as Flink's --last default. */
    static final int KEEP = 3;

    static String input;
    static String initialCounts;

    /** Spark's summaries of {@link #input}. */
    static List<String> spark;

    /**
     * {@link Patterns#userActivityFiles} (the malformed lines: Flink's dead letters, dropped by Spark's DROPMALFORMED);
     * users 1 to 5 start from a count of the initial state, user 99 never comes.
     */
    @BeforeAll
    static void generate() throws IOException {
        input = Patterns.userActivityFiles("transform-with-state/input", 17);
        initialCounts = Patterns.freshDirectory("transform-with-state/initial") + "/counts.csv";
        Files.writeString(Patterns.ROOT.resolve(initialCounts),
                "user_id,count\n1,10\n2,20\n3,30\n4,40\n5,50\n99,990\n");
        spark = summaries(input, initialCounts);
    }

    @Test
    void theSparkPolicyGivesSparksSummaries() {
        Patterns.Run run = Patterns.run("transform-with-state", "--input", input, "--trigger", "available-now",
                "--watermark", "10s", "--gap", GAP_MILLIS / 1000 + "s", "--initial-state", initialCounts,
                "--watermark-policy", "spark", "--truncate", "false", "--num-rows", "1000",
                "--output", Patterns.freshDirectory("transform-with-state/summary-spark"));
        assertThat(spark).hasSize(20);
        ParityCases.identical("transform-with-state", Rows.ofLastConsoleTable(run.out()), spark);
    }

    /**
     * No watermark in either: every valid row counts, so each user's last count is the same. But Spark calls the
     * function for a key of the initial state without rows too (user 99: its initial count is a row), while Flink
     * applies the initial count at a user's first event: the rule adds the initial users without events to Flink's rows.
     */
    @Test
    void theRunningCountEndsAtTheSameCountPerUser() throws IOException {
        Patterns.Run run = Patterns.run("transform-with-state", "--emit", "running-count", "--input", input,
                "--trigger", "available-now", "--initial-state", initialCounts, "--truncate", "false",
                "--num-rows", "1000", "--output", Patterns.freshDirectory("transform-with-state/running-count"));
        List<String> sparkCounts = runningCounts(input);
        assertThat(sparkCounts).hasSize(38).contains("{count=990, user_id=99}");
        List<String> flink = Rows.ofLastConsoleTable(run.out());
        ParityCases.differs("transform-with-state-running-count", flink, sparkCounts,
                withInitialUsersWithoutEvents(flink));
    }

    /** Flink's counts and a row {@code {count=C, user_id=U}} for each user of the initial state it has no count of. */
    private static List<String> withInitialUsersWithoutEvents(List<String> flink) throws IOException {
        List<String> rows = new ArrayList<>(flink);
        for (String line : Files.readAllLines(Patterns.ROOT.resolve(initialCounts)).subList(1, 7)) {
            String[] fields = line.split(",");
            if (flink.stream().noneMatch(row -> row.endsWith(" user_id=" + fields[0] + "}"))) {
                rows.add("{count=" + fields[1] + ", user_id=" + fields[0] + "}");
            }
        }
        rows.sort(null);
        return rows;
    }

    /**
     * user-sessions' three hand-made files (WatermarkPolicyCliTest works out the rows), a 30 s gap, user 1 from 10:
     * W_0 = 10:00:50, W_1 = 10:01:30, W_2 = 10:02:00. Batch 1 fires user 2's timer (10:00:40); user 1's rows move its
     * timer before each batch's timers fire; the no-data batch fires users 1 and 2; user 3's 10:02:40 stays.
     */
    @Test
    void timersFireAfterEachBatchsRowsMovedThem() throws IOException {
        String small = UserSessionsParityTest.eventFiles("transform-with-state/timers", new String[][] {
            {"2025-07-15T10:00:00,1,login", "2025-07-15T10:00:10,2,view", "2025-07-15T10:01:00,3,view"},
            {"2025-07-15T10:00:50,1,view", "2025-07-15T10:01:40,3,view"},
            {"2025-07-15T10:01:25,1,click", "2025-07-15T10:01:15,2,view", "2025-07-15T10:02:10,3,view",
                "2025-07-15T10:00:50,2,view"},
        });
        String counts = Patterns.freshDirectory("transform-with-state/timers-initial") + "/counts.csv";
        Files.writeString(Patterns.ROOT.resolve(counts), "user_id,count\n1,10\n");
        List<String> sparkRows = summaries(small, counts);
        assertThat(sparkRows).containsExactly(
                "{inactive_since=2025-07-15 10:00:10, last_events=view, session_events=view=1, total_events=1, user_id=2}",
                "{inactive_since=2025-07-15 10:01:15, last_events=view, session_events=view=1, total_events=2, user_id=2}",
                "{inactive_since=2025-07-15 10:01:25, last_events=login, view, click, "
                        + "session_events=click=1, login=1, view=1, total_events=13, user_id=1}");
        Patterns.Run run = Patterns.run("transform-with-state", "--input", small, "--trigger", "available-now",
                "--watermark", "10s", "--gap", "30s", "--initial-state", counts, "--watermark-policy", "spark",
                "--truncate", "false", "--output", Patterns.freshDirectory("transform-with-state/timers-spark"));
        ParityCases.identical("transform-with-state-timers", Rows.ofLastConsoleTable(run.out()), sparkRows);
    }

    /** The summary: UserActivity.Summary as a result row. */
    static final StructType SUMMARY_ROW = StructType.fromDDL("user_id INT, inactive_since TIMESTAMP, "
            + "total_events BIGINT, session_events STRING, last_events STRING");

    /**
     * The processor: Flink's ActivityTracker, per micro-batch and key instead of per row. Without its 1 h TTL on the
     * list and the map: Spark refuses a TTL under TimeMode.EventTime() ("Cannot use TTL for state=last_events in
     * timeMode=EventTime"); the runs last seconds, so Flink's TTL never expires anything here.
     */
    static final class UserActivity extends StatefulProcessorWithInitialState<Integer, Row, Row, Long> {
        private transient ValueState<Long> totalEvents;
        private transient ValueState<Long> lastEventTime;
        private transient ListState<String> lastEvents;
        private transient MapState<String, Long> sessionEvents;

        @Override
        public void init(OutputMode outputMode, TimeMode timeMode) {
            totalEvents = getHandle().getValueState("total_events", Encoders.LONG(), TTLConfig.NONE());
            lastEventTime = getHandle().getValueState("last_event_time", Encoders.LONG(), TTLConfig.NONE());
            lastEvents = getHandle().getListState("last_events", Encoders.STRING(), TTLConfig.NONE());
            sessionEvents = getHandle().getMapState("session_events", Encoders.STRING(), Encoders.LONG(),
                    TTLConfig.NONE());
        }

        @Override
        public void handleInitialState(Integer userId, Long count, TimerValues timerValues) {
            totalEvents.update(count);
        }

        @Override
        public scala.collection.Iterator<Row> handleInputRows(Integer userId, scala.collection.Iterator<Row> rows,
                TimerValues timerValues) {
            long total = totalEvents.exists() ? totalEvents.get() : 0;
            Long last = lastEventTime.exists() ? lastEventTime.get() : null;
            List<String> events = new ArrayList<>();
            if (lastEvents.exists()) {
                CollectionConverters.asJava(lastEvents.get()).forEachRemaining(events::add);
            }
            Long newest = last;
            for (Row row : (Iterable<Row>) () -> CollectionConverters.asJava(rows)) {
                total++;
                String event = row.getAs("event");
                events.add(event);
                sessionEvents.updateValue(event, sessionEvents.containsKey(event) ? sessionEvents.getValue(event) + 1 : 1L);
                long time = row.<Instant>getAs("timestamp").toEpochMilli();
                newest = newest == null ? time : Math.max(newest, time);
            }
            totalEvents.update(total);
            lastEvents.put(events.subList(Math.max(0, events.size() - KEEP), events.size()).toArray(String[]::new));
            if (!newest.equals(last)) {
                if (last != null) {
                    getHandle().deleteTimer(last + GAP_MILLIS);
                }
                getHandle().registerTimer(newest + GAP_MILLIS);
                lastEventTime.update(newest);
            }
            return CollectionConverters.asScala(Collections.<Row>emptyIterator());
        }

        @Override
        public scala.collection.Iterator<Row> handleExpiredTimer(Integer userId, TimerValues timerValues,
                ExpiredTimerInfo expiredTimerInfo) {
            Map<String, Long> counts = new TreeMap<>();
            CollectionConverters.asJava(sessionEvents.iterator()).forEachRemaining(entry -> counts.put(entry._1(), entry._2()));
            StringJoiner described = new StringJoiner(", ");
            counts.forEach((event, count) -> described.add(event + "=" + count));
            List<String> events = new ArrayList<>();
            CollectionConverters.asJava(lastEvents.get()).forEachRemaining(events::add);
            Row summary = RowFactory.create(userId, Instant.ofEpochMilli(lastEventTime.get()), totalEvents.get(),
                    described.toString(), String.join(", ", events));
            lastEventTime.clear();
            lastEvents.clear();
            sessionEvents.clear();
            return CollectionConverters.asScala(List.of(summary).iterator());
        }
    }

    /**
     * transformWithState needs a state store with column families: RocksDB, set on a session of its own so that the
     * suite's other queries keep the default store.
     */
    private static SparkSession rocksDbSession() {
        SparkSession shared = SparkSessions.get();
        SparkSession session = shared.newSession();
        for (String suiteSetting : List.of("spark.sql.shuffle.partitions", "spark.sql.session.timeZone",
                "spark.sql.streaming.forceDeleteTempCheckpointLocation", "spark.sql.datetime.java8API.enabled",
                "spark.sql.csv.parser.columnPruning.enabled")) {
            session.conf().set(suiteSetting, shared.conf().get(suiteSetting));
        }
        session.conf().set("spark.sql.streaming.stateStore.providerClass",
                "org.apache.spark.sql.execution.streaming.state.RocksDBStateStoreProvider");
        return session;
    }

    private static Dataset<Row> events(SparkSession session, String input) {
        return session.readStream().schema("timestamp TIMESTAMP, user_id INT, event STRING")
                .option("header", "true").option("maxFilesPerTrigger", 1).option("mode", "DROPMALFORMED")
                .csv(Patterns.ROOT.resolve(input).toString());
    }

    /** The initial state file as Spark's initial state: each user's count, grouped by user. */
    private static KeyValueGroupedDataset<Integer, Long> initialState(SparkSession session, String initialCounts) {
        return session.read().schema("user_id INT, count BIGINT").option("header", "true")
                .csv(Patterns.ROOT.resolve(initialCounts).toString())
                .groupByKey((MapFunction<Row, Integer>) row -> row.<Integer>getAs("user_id"), Encoders.INT())
                .mapValues((MapFunction<Row, Long>) row -> row.<Long>getAs("count"), Encoders.LONG());
    }

    static List<String> summaries(String input, String initialCounts) {
        SparkSession session = rocksDbSession();
        Dataset<Row> rows = events(session, input).withWatermark("timestamp", "10 seconds")
                .groupByKey((MapFunction<Row, Integer>) row -> row.<Integer>getAs("user_id"), Encoders.INT())
                .transformWithState(new UserActivity(), TimeMode.EventTime(), OutputMode.Append(),
                        initialState(session, initialCounts), Encoders.row(SUMMARY_ROW), Encoders.LONG());
        return WindowAggParityTest.collectAppended(rows, summaries -> summaries.select(col("*")));
    }

    /** The running count: RunningCounter.java as the seeds' mapGroupsWithState, from the same initial state. */
    static final StructType COUNT_ROW = StructType.fromDDL("user_id INT, count BIGINT");

    static final MapGroupsWithStateFunction<Integer, Row, Long, Row> COUNT = (userId, rows, state) -> {
        long count = state.exists() ? state.get() : 0;
        while (rows.hasNext()) {
            rows.next();
            count++;
        }
        state.update(count);
        return RowFactory.create(userId, count);
    };

    /** Each user's last count: the rows of the last batch that updated it. */
    static List<String> runningCounts(String input) {
        SparkSession session = rocksDbSession();
        Dataset<Row> counts = events(session, input)
                .groupByKey((MapFunction<Row, Integer>) row -> row.<Integer>getAs("user_id"), Encoders.INT())
                .mapGroupsWithState(COUNT, Encoders.LONG(), Encoders.row(COUNT_ROW), GroupStateTimeout.NoTimeout(),
                        initialState(session, initialCounts));
        Map<Integer, Row> last = new TreeMap<>();
        try {
            var query = counts.writeStream().outputMode("update")
                    .trigger(org.apache.spark.sql.streaming.Trigger.AvailableNow())
                    .foreachBatch((org.apache.spark.api.java.function.VoidFunction2<Dataset<Row>, Long>) (batch, id) ->
                            batch.collectAsList().forEach(row -> last.put(row.<Integer>getAs("user_id"), row)))
                    .start();
            query.awaitTermination();
        } catch (Exception e) {
            throw new AssertionError("the Spark query failed", e);
        }
        return Rows.of(new ArrayList<>(last.values()));
    }
}
