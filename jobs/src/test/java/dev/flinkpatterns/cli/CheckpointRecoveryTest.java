package dev.flinkpatterns.cli;

import java.util.concurrent.atomic.AtomicReference;
import java.util.Optional;
import dev.flinkpatterns.testing.Await;
import static dev.flinkpatterns.testing.FlinkTests.linesOfVisibleFiles;
import static dev.flinkpatterns.testing.FlinkTests.writeLines;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flinkpatterns.io.memory.MemoryTable;
import dev.flinkpatterns.io.memory.MemoryTables;
import dev.flinkpatterns.run.ExecutionRuntime;
import dev.flinkpatterns.testing.CapturedRun;
import dev.flinkpatterns.testing.FlinkTests;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The lesson's exercise 5 in Flink: a job over a watched directory is stopped with a savepoint after the first
 * file, a second file arrives, and the job resumes from the savepoint (at the same parallelism, and rescaled 2 → 1
 * and 1 → 2) and is finally stopped with --drain (every window fires). The rows of both runs together are exactly
 * those of one uninterrupted run over both files: nothing lost (window state, dedup keys and the file source's list
 * of files read are all restored), nothing twice.
 */
class CheckpointRecoveryTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster(rocksDb(FlinkTests.freshReports()));

    /** The keyed state as conf/config.yaml keeps it (state show reads it): in RocksDB, checkpointed incrementally. */
    private static Configuration rocksDb(Configuration configuration) {
        configuration.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        configuration.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        return configuration;
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    /** A pattern's options, its two input files and what one run over both gives. */
    enum Scenario {
        /** One-minute tumbling windows; part 2 adds rows to [10:02, 10:03), whose first row is in part 1's state. */
        WINDOW_AGG(List.of("window-agg", "--window", "1m", "--watermark", "10s"),
                List.of("2024-01-15T10:00:05,1,view", "2024-01-15T10:00:30,2,view", "2024-01-15T10:00:50,1,login",
                        "2024-01-15T10:01:05,3,view", "2024-01-15T10:01:20,1,view", "2024-01-15T10:01:40,2,login",
                        "2024-01-15T10:02:30,1,view"),
                // Part 1's watermark, 10:02:20 less 1 ms, has closed the first two windows.
                "20240115100219",
                List.of("2024-01-15T10:02:40,2,view", "2024-01-15T10:02:50,1,view", "2024-01-15T10:03:10,3,login",
                        "2024-01-15T10:03:20,1,view", "2024-01-15T10:04:05,2,view"),
                List.of(window("10:00", "10:01", "login", 1, 1), window("10:00", "10:01", "view", 2, 2),
                        window("10:01", "10:02", "login", 1, 1), window("10:01", "10:02", "view", 2, 2),
                        window("10:02", "10:03", "view", 3, 2), window("10:03", "10:04", "login", 1, 1),
                        window("10:03", "10:04", "view", 1, 1), window("10:04", "10:05", "view", 1, 1))),
        /** First row per user and event; part 2 repeats two keys of part 1, which the restored state drops. */
        DEDUP(List.of("dedup", "--watermark", "10m"),
                List.of("2024-01-15T10:00:00,1,login", "2024-01-15T10:01:00,2,view", "2024-01-15T10:02:00,1,login",
                        "2024-01-15T10:03:00,3,view"),
                null,
                List.of("2024-01-15T10:04:00,1,login", "2024-01-15T10:05:00,2,view", "2024-01-15T10:05:30,4,view",
                        "2024-01-15T10:06:00,3,login"),
                List.of(event("10:00:00", 1, "login"), event("10:01:00", 2, "view"), event("10:03:00", 3, "view"),
                        event("10:05:30", 4, "view"), event("10:06:00", 3, "login"))),
        /**
         * transformWithState as a process table function: user 1's session spans both parts, so its count, list and
         * map come back from the savepoint (the function's state, by its uid) and its summary counts both parts.
         */
        TRANSFORM_WITH_STATE_SQL(List.of("transform-with-state", "--api", "sql", "--gap", "5m", "--watermark", "1m"),
                List.of("2024-01-15T10:00:00,1,login", "2024-01-15T10:01:00,2,view", "2024-01-15T10:02:00,1,view"),
                // Part 1's watermark, 10:01 less 1 ms: no session has ended yet.
                "20240115100059",
                List.of("2024-01-15T10:03:00,1,purchase", "2024-01-15T10:20:00,2,login"),
                // User 2's 10:20 row comes before the watermark passes 10:06: one session of two events.
                List.of(summary(1, "10:03:00", 3, "login=1, purchase=1, view=1", "login, view, purchase"),
                        summary(2, "10:20:00", 2, "login=1, view=1", "view, login")));

        final List<String> options;
        final List<String> part1;
        /** The watermark (its digits) part 1 must reach before the stop: its windows have fired. Null: none needed. */
        final String part1Watermark;
        final List<String> part2;
        final List<String> expected;

        Scenario(List<String> options, List<String> part1, String part1Watermark, List<String> part2,
                List<String> expected) {
            this.options = options;
            this.part1 = part1;
            this.part1Watermark = part1Watermark;
            this.part2 = part2;
            this.expected = expected;
        }

        private static String window(String start, String end, String event, int count, int users) {
            return "{\"window_start\":\"2024-01-15T" + start + ":00.000Z\",\"window_end\":\"2024-01-15T" + end
                    + ":00.000Z\",\"event\":\"" + event + "\",\"count\":" + count
                    + ",\"count(DISTINCT user_id)\":" + users + "}";
        }

        private static String event(String time, int user, String event) {
            return "{\"timestamp\":\"2024-01-15T" + time + "\",\"user_id\":" + user + ",\"event\":\"" + event
                    + "\"}";
        }

        private static String summary(int user, String inactiveSince, int total, String sessionEvents,
                String lastEvents) {
            return "{\"user_id\":" + user + ",\"inactive_since\":\"2024-01-15T" + inactiveSince
                    + ".000Z\",\"total_events\":" + total + ",\"session_events\":\"" + sessionEvents
                    + "\",\"last_events\":\"" + lastEvents + "\"}";
        }

        String pattern() {
            return options.get(0);
        }
    }

    static Stream<Arguments> resumes() {
        // Each resume takes ~10 s: every rescaling for the windows, one for dedup.
        return Stream.of(Arguments.of(Scenario.WINDOW_AGG, 2, 2), Arguments.of(Scenario.WINDOW_AGG, 2, 1),
                Arguments.of(Scenario.WINDOW_AGG, 1, 2), Arguments.of(Scenario.DEDUP, 2, 1),
                Arguments.of(Scenario.TRANSFORM_WITH_STATE_SQL, 2, 2));
    }

    @ParameterizedTest(name = "{0}: parallelism {1} -> {2}")
    @MethodSource("resumes")
    @Timeout(120)
    void stoppedWithASavepointAndResumedGivesExactlyTheRowsOfAnUninterruptedRun(Scenario scenario, int before,
            int after) throws Exception {
        Path input = tmp.resolve("input");
        writeLines(input, "events_1.csv", withHeader(scenario.part1));
        CompletableFuture<Integer> first = start(scenario, input, tmp.resolve("run-1"), before, null);
        String firstId = progressUntil(scenario.pattern(), report -> report.path("numInputRows").asLong()
                == scenario.part1.size() && reached(report, scenario.part1Watermark)).path("id").asText();
        String savepoint = stopWithSavepoint(scenario.pattern(), tmp.resolve("savepoints"), false);
        assertThat(savepoint).contains(firstId.substring(0, 6));
        assertThat(first.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isZero();

        writeLines(input, "events_2.csv", withHeader(scenario.part2));
        CompletableFuture<Integer> second = start(scenario, input, tmp.resolve("run-2"), after, savepoint);
        // Only part 2 is read: the file source's state lists events_1.csv as done.
        progressUntil(scenario.pattern(), report -> report.path("numInputRows").asLong() == scenario.part2.size());
        stopWithSavepoint(scenario.pattern(), tmp.resolve("savepoints"), true);
        assertThat(second.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isZero();

        List<String> resumed = new ArrayList<>(linesOfVisibleFiles(tmp.resolve("run-1/results")));
        resumed.addAll(linesOfVisibleFiles(tmp.resolve("run-2/results")));
        resumed.sort(null);
        assertThat(resumed).isEqualTo(scenario.expected);
    }

    @ParameterizedTest
    @EnumSource(Scenario.class)
    void anUninterruptedRunOverBothFilesGivesTheExpectedRows(Scenario scenario) throws Exception {
        Path input = tmp.resolve("input");
        writeLines(input, "events_1.csv", withHeader(scenario.part1));
        writeLines(input, "events_2.csv", withHeader(scenario.part2));
        // One reader, the files in order: the same rows are late (none) on every run.
        CapturedRun run = CapturedRun.onContext(args(scenario, input, tmp.resolve("run-all"), 2, null,
                "--trigger", "available-now", "--watermark-every-event"));
        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(linesOfVisibleFiles(tmp.resolve("run-all/results"))).isEqualTo(scenario.expected);
    }

    /**
     * Issue 13's dedup reproduction, restored from a savepoint after each file: 1|login is forgotten when the
     * watermark passes 10:00:10, comes back at 10:00:31 just before the second savepoint, and its duplicate at
     * 10:00:32 in the third run is dropped (it was emitted when the savepoint lost the key).
     */
    @Test
    @Timeout(120)
    void aDedupKeyForgottenAndSeenAgainBeforeASavepointIsRememberedAfterTheRestore() throws Exception {
        List<String> options = List.of("dedup", "--watermark", "10s", "--watermark-every-event");
        Path input = tmp.resolve("input");
        writeLines(input, "a.csv", withHeader(List.of("2024-01-15T10:00:00,1,login", "2024-01-15T10:00:00,2,view")));
        String savepoint = runUntilReadAndStop(options, input, tmp.resolve("run-1"), null, 2, () -> true, false);
        writeLines(input, "b.csv", withHeader(List.of("2024-01-15T10:00:30,3,view", "2024-01-15T10:00:31,1,login")));
        savepoint = runUntilReadAndStop(options, input, tmp.resolve("run-2"), savepoint, 2, () -> true, false);
        writeLines(input, "d.csv", withHeader(List.of("2024-01-15T10:00:32,1,login", "2024-01-15T10:00:33,3,view")));
        runUntilReadAndStop(options, input, tmp.resolve("run-3"), savepoint, 2, () -> true, true);

        List<String> rows = new ArrayList<>();
        for (String run : List.of("run-1", "run-2", "run-3")) {
            rows.addAll(linesOfVisibleFiles(tmp.resolve(run).resolve("results")));
        }
        rows.sort(null);
        assertThat(rows).containsExactly(Scenario.event("10:00:00", 1, "login"), Scenario.event("10:00:00", 2, "view"),
                Scenario.event("10:00:30", 3, "view"), Scenario.event("10:00:31", 1, "login"));
    }

    /** Issue 13: the memory sink's table is in its checkpoints, so a resumed run starts with the table it had. */
    @Test
    @Timeout(300)
    void aMemoryTableResumedFromASavepointHasItsRowsAndTheNewOnes() throws Exception {
        List<String> options = List.of("dedup", "--watermark", "10m", "--sink", "memory", "--query-name", "first_rows");
        List<List<String>> part1 = List.of(List.of("2024-01-15T10:00:00", "1", "login"),
                List.of("2024-01-15T10:01:00", "2", "view"));
        Path input = tmp.resolve("input");
        writeLines(input, "a.csv", withHeader(List.of("2024-01-15T10:00:00,1,login", "2024-01-15T10:01:00,2,view")));
        String savepoint = runUntilReadAndStop(options, input, null, null, 2,
                () -> memoryTable("first_rows").size() == part1.size(), false);
        assertThat(memoryTable("first_rows")).containsExactlyInAnyOrderElementsOf(part1);

        // 1|login repeats a row of the first run: the restored dedup state drops it.
        writeLines(input, "b.csv", withHeader(List.of("2024-01-15T10:02:00,1,login", "2024-01-15T10:03:00,3,view")));
        runUntilReadAndStop(options, input, null, savepoint, 2, () -> true, true);
        List<List<String>> all = new ArrayList<>(part1);
        all.add(List.of("2024-01-15T10:03:00", "3", "view"));
        assertThat(memoryTable("first_rows")).containsExactlyInAnyOrderElementsOf(all);
    }

    /**
     * Issue 16: {@code ./patterns state show} reads dedup's remembered keys from the retained checkpoint of a
     * cancelled run, user-sessions' open sessions and window-agg's open windows from savepoints (RocksDB).
     */
    @Test
    @Timeout(120)
    void stateShowReadsTheKeyedStateOfARetainedCheckpointAndOfASavepoint() throws Exception {
        Path input = tmp.resolve("input");
        writeLines(input, "a.csv", withHeader(List.of("2024-01-15T10:00:00,1,login", "2024-01-15T10:01:00,2,view",
                "2024-01-15T10:02:00,1,login", "2024-01-15T10:03:00,3,view")));
        Path checkpoints = tmp.resolve("checkpoints");
        // As conf/config.yaml does locally: the last checkpoint stays when the job is cancelled.
        ExecutionRuntime retaining = new ExecutionRuntime() {
            @Override
            public StreamExecutionEnvironment environment(Configuration jobSettings, PrintStream out) {
                jobSettings.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                        ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
                return ExecutionRuntime.CONTEXT.environment(jobSettings, out);
            }

            @Override
            public boolean isEmbedded() {
                return false;
            }
        };
        PrintStream discard = new PrintStream(new ByteArrayOutputStream());
        String[] dedupArgs = args(List.of("dedup", "--watermark", "10m", "--checkpoint-dir", checkpoints.toString(),
                "--checkpoint-interval", "100ms"), input, tmp.resolve("dedup"), 2, null);
        CompletableFuture<Integer> dedup = CompletableFuture.supplyAsync(
                () -> PatternsCli.run(dedupArgs, retaining, discard, discard));
        progressUntil("dedup", report -> report.path("numInputRows").asLong() == 4);
        // A checkpoint that begins after the rows were read holds every key.
        long read = System.currentTimeMillis();
        Path checkpoint = Await.value(() -> "a checkpoint after the rows were read", WAIT,
                () -> StateRecovery.latestCheckpoint(checkpoints)
                        .filter(chk -> chk.resolve("_metadata").toFile().lastModified() > read + 1000));
        CapturedRun cancel = CapturedRun.onContext("stop", "dedup", "--rest", rest());
        assertThat(cancel.exitCode()).isZero();
        dedup.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        Path retained = StateRecovery.latestCheckpoint(checkpoints).orElseThrow();

        assertThat(stateShow(retained.toString())).isEqualTo("""
                +---------------+-------+-------------------------------------------------------+
                |operator       |pattern|state                                                  |
                +---------------+-------+-------------------------------------------------------+
                |drop-duplicates|dedup  |the keys remembered and the watermark that forgets each|
                +---------------+-------+-------------------------------------------------------+
                """);
        assertThat(stateShow(retained.toString(), "--operator", "drop-duplicates")).isEqualTo("""
                +-------+----------------------+
                |key    |forgotten_at_watermark|
                +-------+----------------------+
                |1,login|2024-01-15 10:10:00   |
                |2,view |2024-01-15 10:11:00   |
                |3,view |2024-01-15 10:13:00   |
                +-------+----------------------+
                """);
        assertThat(stateShow(retained.resolve("_metadata").toString(), "--operator", "drop-duplicates", "--key",
                "2,view")).isEqualTo("""
                +------+----------------------+
                |key   |forgotten_at_watermark|
                +------+----------------------+
                |2,view|2024-01-15 10:11:00   |
                +------+----------------------+
                """);
        CapturedRun.onContext("state", "show", retained.toString(), "--operator", "user-sessions").assertOneLineError(
                "patterns state show: --operator user-sessions: no keyed state of it in this checkpoint; this "
                        + "checkpoint has: drop-duplicates (see 'patterns state show --help')");

        CompletableFuture<Integer> sessions = start(List.of("user-sessions", "--timeout", "5m", "--watermark", "10m"),
                input, tmp.resolve("sessions"), 2, null);
        progressUntil("user-sessions", report -> report.path("numInputRows").asLong() == 4);
        String savepoint = stopWithSavepoint("user-sessions", tmp.resolve("savepoints"), false);
        assertThat(sessions.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isZero();
        assertThat(stateShow(savepoint, "--operator", "user-sessions")).isEqualTo("""
                +---+-------------------+-------------------+----+-------+-------------------+
                |key|session_start      |last_event         |rows|events |timeout_at         |
                +---+-------------------+-------------------+----+-------+-------------------+
                |1  |2024-01-15 10:00:00|2024-01-15 10:02:00|2   |login=2|2024-01-15 10:07:00|
                |2  |2024-01-15 10:01:00|2024-01-15 10:01:00|1   |view=1 |2024-01-15 10:06:00|
                |3  |2024-01-15 10:03:00|2024-01-15 10:03:00|1   |view=1 |2024-01-15 10:08:00|
                +---+-------------------+-------------------+----+-------+-------------------+
                """);

        CompletableFuture<Integer> windows = start(List.of("window-agg", "--window", "1m", "--watermark", "10m"),
                input, tmp.resolve("windows"), 2, null);
        progressUntil("window-agg", report -> report.path("numInputRows").asLong() == 4);
        String windowsSavepoint = stopWithSavepoint("window-agg", tmp.resolve("savepoints"), false);
        assertThat(windows.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isZero();
        assertThat(stateShow(windowsSavepoint, "--operator", "windows", "--key", "login")).isEqualTo("""
                +-----+-------------------+-------------------+----+
                |key  |window_start       |window_end         |rows|
                +-----+-------------------+-------------------+----+
                |login|2024-01-15 10:00:00|2024-01-15 10:01:00|1   |
                |login|2024-01-15 10:02:00|2024-01-15 10:03:00|1   |
                +-----+-------------------+-------------------+----+
                """);
        CapturedRun.onContext("state", "show", input.toString()).assertOneLineError("patterns state show: " + input
                + ": no savepoint or checkpoint there (a directory with a _metadata file, as ./patterns stop <job>"
                + " --savepoint=DIR writes) (see 'patterns state show --help')");
    }

    private static String stateShow(String... args) {
        List<String> command = new ArrayList<>(List.of("state", "show"));
        command.addAll(List.of(args));
        CapturedRun show = CapturedRun.onContext(command.toArray(String[]::new));
        assertThat(show.err()).isEmpty();
        assertThat(show.exitCode()).isZero();
        return show.out();
    }

    private static List<List<String>> memoryTable(String name) {
        return MemoryTables.get(name).map(MemoryTable::rows).orElse(List.of());
    }

    /**
     * One run at parallelism 1 (the watermark follows the rows in file order), from {@code savepoint} if given,
     * into JSON files under {@code output} (null: the options name the sink), until it has read {@code rows} rows
     * and {@code readyToStop} holds; stopped with a savepoint, whose path it returns.
     */
    private String runUntilReadAndStop(List<String> options, Path input, Path output, String savepoint,
            long rows, Await.Check readyToStop, boolean drain) throws Exception {
        CompletableFuture<Integer> run = start(options, input, output, 1, savepoint);
        progressUntil(options.get(0), report -> report.path("numInputRows").asLong() == rows);
        Await.until("the run to be ready to stop", WAIT, readyToStop);
        String taken = stopWithSavepoint(options.get(0), tmp.resolve("savepoints"), drain);
        // A memory table's run ends with a SQL query: the planner's start-up takes long on a busy machine.
        assertThat(run.get(3 * WAIT.toSeconds(), TimeUnit.SECONDS)).isZero();
        return taken;
    }

    private static String[] withHeader(List<String> rows) {
        List<String> lines = new ArrayList<>();
        lines.add("timestamp,user_id,event");
        lines.addAll(rows);
        return lines.toArray(String[]::new);
    }

    private static boolean reached(JsonNode report, String watermarkDigits) {
        if (watermarkDigits == null) {
            return true;
        }
        String watermark = report.path("eventTime").path("watermark").asText("").replaceAll("\\D", "");
        return watermark.length() >= watermarkDigits.length()
                && watermark.substring(0, watermarkDigits.length()).compareTo(watermarkDigits) >= 0;
    }

    private static String[] args(Scenario scenario, Path input, Path output, int parallelism, String savepoint,
            String... more) {
        return args(scenario.options, input, output, parallelism, savepoint, more);
    }

    private static String[] args(List<String> options, Path input, Path output, int parallelism, String savepoint,
            String... more) {
        List<String> args = new ArrayList<>(options);
        if (output != null) {
            args.addAll(List.of("--sink", "json", "--output", output.toString()));
        }
        args.addAll(List.of("--input", input.toString(),
                "--parallelism", String.valueOf(parallelism), "--discovery-interval", "100ms",
                "--idle-timeout", "200ms", "--progress-interval", "0s"));
        if (savepoint != null) {
            args.addAll(List.of("--from-savepoint", savepoint));
        }
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    /** A run over the watched directory, until it is stopped; completes with its exit code. */
    private static CompletableFuture<Integer> start(Scenario scenario, Path input, Path output, int parallelism,
            String savepoint) {
        return start(scenario.options, input, output, parallelism, savepoint);
    }

    private static CompletableFuture<Integer> start(List<String> options, Path input, Path output, int parallelism,
            String savepoint) {
        PrintStream discard = new PrintStream(new ByteArrayOutputStream());
        String[] args = args(options, input, output, parallelism, savepoint);
        return CompletableFuture.supplyAsync(() -> PatternsCli.run(args, ExecutionRuntime.CONTEXT, discard, discard));
    }

    /** {@code ./patterns stop JOB --savepoint=DIR [--drain]}: the savepoint's path. */
    private static String stopWithSavepoint(String job, Path directory, boolean drain) {
        List<String> args = new ArrayList<>(List.of("stop", job, "--savepoint=" + directory, "--rest", rest()));
        if (drain) {
            args.add("--drain");
        }
        CapturedRun stop = CapturedRun.onContext(args.toArray(String[]::new));
        assertThat(stop.err()).isEmpty();
        assertThat(stop.exitCode()).isZero();
        assertThat(stop.out()).endsWith("Job state: FINISHED\n");
        return stop.out().lines().findFirst().orElseThrow().replaceAll(".* with a savepoint: ", "");
    }

    private static String rest() {
        var client = CLUSTER.getClientConfiguration();
        return "http://" + client.get(RestOptions.ADDRESS) + ":" + client.get(RestOptions.PORT);
    }

    /** Runs {@code progress} until its report satisfies {@code done}. */
    private static JsonNode progressUntil(String job, Predicate<JsonNode> done) throws Exception {
        AtomicReference<CapturedRun> last = new AtomicReference<>();
        return Await.value(() -> "progress of " + job + ": " + last.get().out() + last.get().err(), WAIT, () -> {
            CapturedRun run = CapturedRun.onContext("progress", job, "--rest", rest());
            last.set(run);
            if (run.exitCode() != 0) {
                return Optional.empty();
            }
            JsonNode report = JSON.readTree(run.out());
            return Optional.of(report).filter(r -> r.path("state").asText().equals("RUNNING") && done.test(r));
        });
    }
}
