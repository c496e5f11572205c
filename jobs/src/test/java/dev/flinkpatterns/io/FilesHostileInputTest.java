package dev.flinkpatterns.io;

import static dev.flinkpatterns.testing.FlinkTests.linesOfVisibleFiles;
import static dev.flinkpatterns.testing.FlinkTests.writeLines;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.parse.ParseOrDeadLetter;
import dev.flinkpatterns.patterns.fanout.FanOut;
import dev.flinkpatterns.testing.Await;
import dev.flinkpatterns.testing.CapturedStderr;
import dev.flinkpatterns.testing.FlinkTests;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.FileUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input on a MiniCluster with no restarts (a failure fails the test): each bad file gives exact dead
 * letters with reasons or one console line, the good rows are exact, and the job goes on.
 */
class FilesHostileInputTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    private static final String HEADER = "timestamp,user_id,event";

    @TempDir
    Path tmp;

    private static String deadLetter(Path file, long line, String record, String reason) {
        return "{\"path\":" + Json.quote("file:" + file) + ",\"line\":" + line + ",\"record\":" + Json.quote(record)
                + ",\"reason\":" + Json.quote(reason) + "}";
    }

    private static boolean isBlankText(byte[] line) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(line)).toString();
            return text.isBlank() && text.indexOf('\u0000') < 0;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static byte[] bytes(Object... parts) {
        var out = new java.io.ByteArrayOutputStream();
        for (Object part : parts) {
            out.writeBytes(part instanceof String text ? text.getBytes(StandardCharsets.UTF_8) : (byte[]) part);
        }
        return out.toByteArray();
    }

    @Test
    @Timeout(120)
    void hostileFilesGiveExactRowsAndDeadLettersWithTheirReasons() throws Exception {
        Path input = tmp.resolve("in");
        Files.createDirectories(input);
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        Files.write(input.resolve("bom.csv"), bytes(bom, HEADER + "\n2025-07-15T10:00:00,1,view\n"));
        Files.write(input.resolve("bom-no-header.csv"), bytes(bom, "2025-07-15T10:00:01,2,login\n"));
        Files.write(input.resolve("crlf.csv"), bytes(HEADER + "\r\n2025-07-15T10:00:02,3,logout\r\n"));
        Path latin1 = Files.write(input.resolve("latin1.csv"), bytes(HEADER + "\n2025-07-15T10:00:03,4,vi",
                new byte[] {(byte) 0xE9}, "ew\n2025-07-15T10:00:04,5,view\n"));
        Files.write(input.resolve("empty.csv"), new byte[0]);
        byte[] noise = new byte[16 * 1024];
        new Random(13).nextBytes(noise);
        Path binary = Files.write(input.resolve("image.png"), noise);
        Path longLine = input.resolve("one-line.csv");
        byte[] piece = new byte[1 << 20];
        Arrays.fill(piece, (byte) 'a');
        try (OutputStream out = Files.newOutputStream(longLine)) {
            out.write(piece);
            out.write(piece);
            out.write("\n2025-07-15T10:00:05,6,purchase\n".getBytes(StandardCharsets.UTF_8));
        }

        StreamExecutionEnvironment env = FlinkTests.environment();
        env.setParallelism(2);
        var lines = env.fromSource(FileSources.lines(input.toString(), Trigger.AVAILABLE_NOW, FileSources.DEFAULT_DISCOVERY_INTERVAL),
                WatermarkStrategy.noWatermarks(), "lines");
        ParseOrDeadLetter.Parsed<org.apache.flink.types.Row> parsed = FileSources.csvRows(lines, FanOut.EVENTS);
        parsed.records().sinkTo(Sinks.files(FileFormat.CSV, tmp.resolve("out/rows").toString(), FanOut.EVENTS, null));
        parsed.deadLetters().sinkTo(Sinks.deadLetters(tmp.resolve("out/dead").toString()));
        JobExecutionResult result = env.execute();

        // The BOM is no part of the header or of the first row; CRLF leaves no \r in the event; the row after the
        // bad bytes and the one after the 2 MiB line are read.
        // Each part file starts with its header; timestamps as Spark's CSV writer writes them.
        assertThat(linesOfVisibleFiles(tmp.resolve("out/rows"))).filteredOn(line -> !line.equals("timestamp,user_id,event"))
                .containsExactlyInAnyOrder(
                "2025-07-15T10:00:00.000Z,1,view",
                "2025-07-15T10:00:01.000Z,2,login",
                "2025-07-15T10:00:02.000Z,3,logout",
                "2025-07-15T10:00:04.000Z,5,view",
                "2025-07-15T10:00:05.000Z,6,purchase");
        List<String> deadLetters = linesOfVisibleFiles(tmp.resolve("out/dead"));
        List<String> fromBinary = deadLetters.stream().filter(line -> line.contains(binary.getFileName().toString())).toList();
        assertThat(deadLetters).containsAll(List.of(
                deadLetter(latin1, 2, "2025-07-15T10:00:03,4,vi\uFFFDew", "invalid UTF-8: 0xE9 at byte 25 of the line"),
                deadLetter(longLine, 1, "a".repeat(1024), "line too long: 2097152 bytes, more than the limit of "
                        + "1048576 bytes (--max-line-length); the record holds its first 1024 bytes")));
        assertThat(deadLetters).hasSize(2 + fromBinary.size());
        // A "line" of the binary file that is text and blank is no record (as in Spark's CSV reader): no dead letter.
        long binaryLines = 0;
        for (int from = 0, i = 0; i <= noise.length; i++) {
            if (i == noise.length || noise[i] == '\n') {
                binaryLines += isBlankText(Arrays.copyOfRange(noise, from, i)) ? 0 : 1;
                from = i + 1;
            }
        }
        assertThat(fromBinary).hasSize((int) binaryLines)
                .allSatisfy(line -> assertThat(line).containsAnyOf("\"reason\":\"binary data: a NUL byte at byte ",
                        "\"reason\":\"invalid UTF-8: 0x", "\"reason\":\"line too long"));
        assertThat(result.<Long>getAccumulatorResult(ParseOrDeadLetter.DEAD_LETTERS)).isEqualTo(deadLetters.size());
        // Read: the 5 rows and every dead letter; the 3 headers are no records.
        assertThat(result.<Long>getAccumulatorResult(ParseOrDeadLetter.RECORDS_READ)).isEqualTo(5 + deadLetters.size());
    }

    /** The events and dead letters of a watched directory, as they come, until the test cancels the job. */
    private static final class WatchedRun implements AutoCloseable {
        final List<String> seen = new CopyOnWriteArrayList<>();
        private final CloseableIterator<String> results;
        private final JobClient job;
        private final Thread collector;

        WatchedRun(Path input, Duration discoveryInterval, int maxFilesPerTrigger) throws Exception {
            StreamExecutionEnvironment env = FlinkTests.environment();
            env.setParallelism(2);
            var lines = env.fromSource(FileSources.lines(input.toString(), Trigger.DEFAULT, discoveryInterval, maxFilesPerTrigger),
                    WatermarkStrategy.noWatermarks(), "lines");
            var parsed = FileSources.csvRows(lines, FanOut.EVENTS);
            DataStream<String> events = parsed.records().map(row -> "row " + row.getField(1) + " " + row.getField(2))
                    .returns(Types.STRING);
            DataStream<String> deadLetters = parsed.deadLetters().map(DeadLetter::toJson).returns(Types.STRING);
            results = events.union(deadLetters).collectAsync();
            job = env.executeAsync("watched directory");
            collector = new Thread(() -> {
                try {
                    results.forEachRemaining(seen::add);
                } catch (RuntimeException e) {
                    // The job was cancelled: the end of the results.
                }
            });
            collector.start();
        }

        void await(String what) throws Exception {
            Await.until(what + " among " + seen, Duration.ofSeconds(60), () -> seen.contains(what));
        }

        @Override
        public void close() throws Exception {
            job.cancel().get(30, TimeUnit.SECONDS);
            results.close();
            collector.join(30_000);
        }
    }

    private static void awaitLine(CapturedStderr stderr, String line) throws Exception {
        Await.until("stderr line: " + line, Duration.ofSeconds(60), () -> stderr.lines("patterns:").contains(line));
    }

    @Test
    @Timeout(120)
    void aRemovedDirectoryIsOneLineAndAFileThatGrowsAfterItWasReadIsReported() throws Exception {
        Path input = tmp.resolve("watched");
        Path first = writeLines(input, "a.csv", HEADER, "2025-07-15T10:00:00,1,view");
        String firstSource = "file:" + first;
        long firstSize = Files.size(first);
        try (CapturedStderr stderr = new CapturedStderr(); WatchedRun run = new WatchedRun(input, Duration.ofMillis(100), FileSources.UNLIMITED)) {
            run.await("row 1 view");

            // Written in place after it was read: the next listing says so, once.
            Files.writeString(first, "2025-07-15T10:00:01,2,view\n", StandardOpenOption.APPEND);
            String grew = "patterns: input file " + firstSource + " changed after it was picked up (" + firstSize
                    + " bytes then, " + Files.size(first) + " bytes now): a file is read once, so lines written after "
                    + "its read are not read; write a file under a name starting with . or _ and rename it when complete";
            awaitLine(stderr, grew);

            FileUtils.deleteDirectory(input.toFile());
            String missing = "patterns: input directory " + input + " does not exist (removed?); waiting for it to come back";
            awaitLine(stderr, missing);

            writeLines(input, "b.csv", HEADER, "2025-07-15T10:00:02,3,login");
            run.await("row 3 login");
            awaitLine(stderr, "patterns: input directory " + input + " is back; reading its files");

            assertThat(stderr.lines("patterns:")).containsExactly(grew, missing,
                    "patterns: input directory " + input + " is back; reading its files");
            assertThat(run.seen).containsExactly("row 1 view", "row 3 login");
        }
    }

    @Test
    @Timeout(120)
    void aFileListedButDeletedBeforeItIsReadIsSkippedWithOneLineAndTheJobGoesOn() throws Exception {
        Path input = tmp.resolve("watched");
        Path older = writeLines(input, "a.csv", HEADER, "2025-07-15T10:00:00,1,view");
        Path newer = writeLines(input, "b.csv", HEADER, "2025-07-15T10:00:01,2,view");
        Files.setLastModifiedTime(older, FileTime.fromMillis(1_700_000_000_000L));
        Files.setLastModifiedTime(newer, FileTime.fromMillis(1_700_000_001_000L));
        // One file per round, rounds 5 s apart: b.csv is listed with a.csv but waits for the next round.
        try (CapturedStderr stderr = new CapturedStderr(); WatchedRun run = new WatchedRun(input, Duration.ofSeconds(5), 1)) {
            run.await("row 1 view");
            Files.delete(newer);
            String note = deadLetter(newer, 0, "", "input file disappeared before it was read; skipped");
            run.await(note);

            writeLines(input, "c.csv", HEADER, "2025-07-15T10:00:02,3,login");
            run.await("row 3 login");
            assertThat(stderr.lines("patterns:")).containsExactly(
                    "patterns: input file file:" + newer + " disappeared before it was read; skipped");
            assertThat(run.seen).containsExactly("row 1 view", note, "row 3 login");
        }
    }
}
