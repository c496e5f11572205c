package dev.flinkpatterns.parity;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.apache.spark.api.java.function.FlatMapGroupsWithStateFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.streaming.GroupState;
import org.apache.spark.sql.streaming.GroupStateTimeout;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * user-sessions: the guide's {@code groupByKey(user_id).flatMapGroupsWithState(...)} with
 * {@code GroupStateTimeout.EventTimeTimeout()} after {@code withWatermark("timestamp", "10 seconds")}, the function
 * doing what Flink's SessionTracker does (first and last event time, rows, a count per event type; the timeout at
 * the last event time + the gap), Spark reading one file per micro-batch with {@code Trigger.AvailableNow}, Flink with
 * {@code --watermark-policy spark}: the same sessions. Flink's default watermark gives other sessions (see
 * {@link #thePeriodicPolicyGivesOtherSessions}).
 */
class UserSessionsParityTest {

    /** The session gap, as Flink's --timeout. */
    static final long GAP_MILLIS = 30_000;

    static String input;

    /** Spark's sessions of {@link #input}. */
    static List<String> spark;

    /**
     * {@link Patterns#userActivityFiles}, each file's first row again at its end (a duplicate: counted twice on both
     * sides).
     */
    @BeforeAll
    static void generate() throws IOException {
        input = Patterns.userActivityFiles("user-sessions/input", 11);
        duplicateFirstRows(input);
        spark = spark(input);
    }

    @Test
    void theSparkPolicyGivesSparksSessions() {
        Patterns.Run run = run(input, "generated", "spark");
        assertThat(spark).hasSize(20);
        ParityCases.identical("user-sessions", Rows.ofLastConsoleTable(run.out()), spark);
        assertThat(run.out()).contains("Late rows: 8 dropped behind the watermark");
    }

    /**
     * Flink's default watermark judges each row by the newest time before it and the end of the input ends every
     * session: 14 rows late instead of 8, sessions cut where a row moves the watermark past a timeout before the
     * user's next row, and the sessions Spark leaves open after its last watermark are rows too: 51 sessions, not 20.
     */
    @Test
    void thePeriodicPolicyGivesOtherSessions() {
        Patterns.Run run = run(input, "generated", "periodic");
        assertThat(Rows.ofLastConsoleTable(run.out())).isNotEqualTo(spark).hasSize(51);
        assertThat(run.out()).contains("Late rows: 14 dropped behind the watermark");
    }

    /**
     * Three hand-made files, 30 s gap, 10 s watermark: W_0 = 10:00:50, W_1 = 10:01:30, W_2 = 10:02:00. User 1's
     * timeouts 10:00:30 (after batch 0) and 10:01:20 (after batch 1) are each behind the next batch's eviction
     * watermark (W_0, W_1), but user 1 has data in batches 1 and 2: the data call comes first and moves the timeout,
     * so it is one session, ended by the no-data batch (10:01:55 < W_2). Flink's watermark in batch N is W_{N-2}
     * - 1 ms: the timer has not fired when the row comes and moves it. User 2's session (timeout 10:00:40 < W_0)
     * ends at the end of batch 1 in Spark, before batch 2 in Flink; its row 10:01:15 in batch 2 starts a second
     * session; its 10:00:50 there is exactly at W_0: late, else the second session would start at 10:00:50. User 3's
     * timeout 10:02:40 >= W_2: open, never a row.
     */
    @Test
    void dataForAKeyWhoseTimeoutHasPassedButNotFiredMovesIt() throws IOException {
        String small = handMadeFiles("passed-timeout", new String[][] {
            {"2025-07-15T10:00:00,1,login", "2025-07-15T10:00:10,2,view", "2025-07-15T10:01:00,3,view"},
            {"2025-07-15T10:00:50,1,view", "2025-07-15T10:01:40,3,view"},
            {"2025-07-15T10:01:25,1,click", "2025-07-15T10:01:15,2,view", "2025-07-15T10:02:10,3,view",
                "2025-07-15T10:00:50,2,view"},
        });
        List<String> spark = spark(small);
        assertThat(spark).containsExactly(
                "{duration=0:00:00, events=view=1, rows=1, session_end=2025-07-15 10:00:10, "
                        + "session_start=2025-07-15 10:00:10, user_id=2}",
                "{duration=0:00:00, events=view=1, rows=1, session_end=2025-07-15 10:01:15, "
                        + "session_start=2025-07-15 10:01:15, user_id=2}",
                "{duration=0:01:25, events=click=1, login=1, view=1, rows=3, session_end=2025-07-15 10:01:25, "
                        + "session_start=2025-07-15 10:00:00, user_id=1}");
        ParityCases.identical("user-sessions-passed-timeout", flink(small, "passed-timeout", "spark"), spark);
        // Flink's watermark after every row: 10:01:00 moves it to 10:00:50 and ends user 1's session (timeout
        // 10:00:30) before its 10:00:50 row; the last file's 10:01:25, 10:01:15 and 10:00:50 are behind 10:01:30,
        // late; the end of the input ends user 3's session.
        assertThat(flink(small, "passed-timeout", "periodic")).containsExactly(
                "{duration=0:00:00, events=login=1, rows=1, session_end=2025-07-15 10:00:00, "
                        + "session_start=2025-07-15 10:00:00, user_id=1}",
                "{duration=0:00:00, events=view=1, rows=1, session_end=2025-07-15 10:00:10, "
                        + "session_start=2025-07-15 10:00:10, user_id=2}",
                "{duration=0:00:00, events=view=1, rows=1, session_end=2025-07-15 10:00:50, "
                        + "session_start=2025-07-15 10:00:50, user_id=1}",
                "{duration=0:01:10, events=view=3, rows=3, session_end=2025-07-15 10:02:10, "
                        + "session_start=2025-07-15 10:01:00, user_id=3}");
    }

    /**
     * Where Spark refuses: batch 1's row of user 2 (10:00:05) is on time (batch 1 drops nothing), but its timeout
     * 10:00:35 is behind the eviction watermark W_0 = 10:00:50, and GroupState.setTimeoutTimestamp throws. Flink sets
     * the timer and ends the session at the start of batch 2 (its watermark W_0 - 1 ms).
     */
    @Test
    void sparkRefusesATimeoutBehindTheEvictionWatermark() throws IOException {
        String small = handMadeFiles("behind-watermark", new String[][] {
            {"2025-07-15T10:01:00,1,view"},
            {"2025-07-15T10:00:05,2,view"},
            {"2025-07-15T10:01:50,1,view"},
        });
        assertThatThrownBy(() -> spark(small)).hasStackTraceContaining(
                "Timeout timestamp (1752573635000) cannot be earlier than the current watermark (1752573650000)");
        assertThat(flink(small, "behind-watermark", "spark")).containsExactly(
                "{duration=0:00:00, events=view=1, rows=1, session_end=2025-07-15 10:00:05, "
                        + "session_start=2025-07-15 10:00:05, user_id=2}");
    }

    /** Event files of these rows, one a micro-batch, oldest first, under data/parity/user-sessions/NAME. */
    private static String handMadeFiles(String name, String[][] files) throws IOException {
        return eventFiles("user-sessions/" + name, files);
    }

    /** Event files of these rows, one a micro-batch, oldest first, under data/parity/DIRECTORY. */
    static String eventFiles(String name, String[][] files) throws IOException {
        String directory = Patterns.freshDirectory(name);
        for (int i = 0; i < files.length; i++) {
            Path file = Patterns.ROOT.resolve(directory).resolve("event_batch_" + i + ".csv");
            Files.writeString(file, "timestamp,user_id,event\n" + String.join("\n", files[i]) + "\n");
            Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2025-07-15T12:00:00Z").plusSeconds(i)));
        }
        return directory;
    }

    private static List<String> flink(String input, String name, String policy) {
        return Rows.ofLastConsoleTable(run(input, name, policy).out());
    }

    private static Patterns.Run run(String input, String name, String policy) {
        List<String> args = new ArrayList<>(List.of("user-sessions", "--input", input, "--trigger", "available-now",
                "--watermark", "10s", "--timeout", GAP_MILLIS / 1000 + "s", "--watermark-policy", policy,
                "--truncate", "false", "--num-rows", "1000",
                "--output", Patterns.freshDirectory("user-sessions/" + name + "-" + policy)));
        if (policy.equals("periodic")) {
            args.add("--watermark-every-event");
        }
        return Patterns.run(args.toArray(String[]::new));
    }

    /** The running state of a user's session, as SessionTracker keeps it. */
    public static final class Session implements Serializable {
        long start = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        long rows;
        TreeMap<String, Long> counts = new TreeMap<>();
    }

    /** The sessions' rows: SessionTracker's UserSession as a result row. */
    static final StructType SESSION_ROW = StructType.fromDDL(
            "user_id INT, session_start TIMESTAMP, session_end TIMESTAMP, duration STRING, rows BIGINT, events STRING");

    /** The function: a timed-out key emits its session and removes it; data extends it and moves the timeout. */
    static final FlatMapGroupsWithStateFunction<Integer, Row, Session, Row> TRACK_SESSION = (userId, rows, state) -> {
        if (state.hasTimedOut()) {
            Session ended = state.get();
            state.remove();
            return List.of(summary(userId, ended)).iterator();
        }
        Session session = state.exists() ? state.get() : new Session();
        while (rows.hasNext()) {
            Row row = rows.next();
            long time = row.<Instant>getAs("timestamp").toEpochMilli();
            session.start = Math.min(session.start, time);
            session.last = Math.max(session.last, time);
            session.rows++;
            session.counts.merge(row.<String>getAs("event"), 1L, Long::sum);
        }
        state.update(session);
        state.setTimeoutTimestamp(session.last + GAP_MILLIS);
        return Collections.emptyIterator();
    };

    private static Row summary(int userId, Session session) {
        StringJoiner events = new StringJoiner(", ");
        session.counts.forEach((event, count) -> events.add(event + "=" + count));
        return RowFactory.create(userId, Instant.ofEpochMilli(session.start), Instant.ofEpochMilli(session.last),
                duration(session.last - session.start), session.rows, events.toString());
    }

    /** {@code 0:02:30}, as the guide formats a duration (with milliseconds when there are some). */
    private static String duration(long millis) {
        long seconds = millis / 1000;
        String text = String.format("%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
        return millis % 1000 == 0 ? text : text + String.format(".%03d", millis % 1000);
    }

    static List<String> spark(String input) {
        Dataset<Row> events = SparkSessions.get().readStream().schema("timestamp TIMESTAMP, user_id INT, event STRING")
                .option("header", "true").option("maxFilesPerTrigger", 1).option("mode", "DROPMALFORMED")
                .csv(Patterns.ROOT.resolve(input).toString());
        Dataset<Row> sessions = events.withWatermark("timestamp", "10 seconds")
                .groupByKey((MapFunction<Row, Integer>) row -> row.<Integer>getAs("user_id"), Encoders.INT())
                .flatMapGroupsWithState(TRACK_SESSION, OutputMode.Append(), Encoders.javaSerialization(Session.class),
                        Encoders.row(SESSION_ROW), GroupStateTimeout.EventTimeTimeout());
        return WindowAggParityTest.collectAppended(sessions, rows -> rows.select(col("*")));
    }

    /** Each file's first row once more at its end, the file's time kept (the file source's order). */
    private static void duplicateFirstRows(String directory) throws IOException {
        try (var files = Files.list(Patterns.ROOT.resolve(directory))) {
            for (Path file : files.filter(path -> path.getFileName().toString().endsWith(".csv")).toList()) {
                FileTime time = Files.getLastModifiedTime(file);
                List<String> lines = Files.readAllLines(file);
                Files.writeString(file, lines.get(1) + "\n", java.nio.file.StandardOpenOption.APPEND);
                Files.setLastModifiedTime(file, time);
            }
        }
    }
}
