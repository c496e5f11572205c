package dev.flinkpatterns.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.testing.CapturedStderr;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.RecordAndPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the line reader makes of hostile files: exact lines, and exact refusals with their reasons. */
class LineFileFormatHostileInputTest {

    private static final int SMALL_LIMIT = 16;

    @TempDir
    Path tmp;

    /** The split the enumerator makes of a file: its size and modification time when it was listed. */
    private static FileSourceSplit split(Path file, CheckpointedPosition position) throws Exception {
        return new FileSourceSplit("0", new org.apache.flink.core.fs.Path(file.toUri()), 0, Files.size(file),
                Files.getLastModifiedTime(file).toMillis(), Files.size(file), new String[0], position);
    }

    private static List<SourceLine> readAll(BulkFormat.Reader<SourceLine> reader) throws Exception {
        List<SourceLine> lines = new ArrayList<>();
        BulkFormat.RecordIterator<SourceLine> batch;
        while ((batch = reader.readBatch()) != null) {
            RecordAndPosition<SourceLine> record;
            while ((record = batch.next()) != null) {
                lines.add(record.getRecord());
            }
            batch.releaseBatch();
        }
        reader.close();
        return lines;
    }

    private static List<SourceLine> read(Path file, int maxLineBytes) throws Exception {
        return readAll(new LineFileFormat(maxLineBytes, true).createReader(new Configuration(), split(file, null)));
    }

    private Path write(String name, byte[] bytes) throws Exception {
        return Files.write(tmp.resolve(name), bytes);
    }

    private static byte[] bytes(Object... parts) {
        var out = new java.io.ByteArrayOutputStream();
        for (Object part : parts) {
            byte[] b = part instanceof String text ? text.getBytes(StandardCharsets.UTF_8) : (byte[]) part;
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    private static String source(Path file) {
        return "file:" + file;
    }

    @Test
    void aByteOrderMarkIsDroppedAndCrLfLineEndingsLeaveNoCarriageReturn() throws Exception {
        Path file = write("bom.csv", bytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                "timestamp,user_id,event\r\n2025-07-15T10:00:00,1,view\r\n\r\nlast\r"));

        assertThat(read(file, SMALL_LIMIT * 4)).containsExactly(
                new SourceLine(source(file), 1, "timestamp,user_id,event"),
                new SourceLine(source(file), 2, "2025-07-15T10:00:00,1,view"),
                new SourceLine(source(file), 3, ""),
                new SourceLine(source(file), 4, "last"));
    }

    @Test
    void invalidUtf8IsRefusedWithTheBadBytesAndTheirPlace() throws Exception {
        Path file = write("latin1.csv", bytes("2025-07-15T10:00:00,1,vi", new byte[] {(byte) 0xE9, (byte) 0xFF},
                "ew\n2025-07-15T10:00:01,2,caf\u00e9\n", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, "\n"));

        assertThat(read(file, LineFileFormat.DEFAULT_MAX_LINE_BYTES)).containsExactly(
                SourceLine.refused(source(file), 1, "2025-07-15T10:00:00,1,vi\uFFFD\uFFFDew",
                        "invalid UTF-8: 0xE9 at byte 25 of the line"),
                new SourceLine(source(file), 2, "2025-07-15T10:00:01,2,caf\u00e9"),
                // An encoded UTF-16 surrogate is not UTF-8 either.
                SourceLine.refused(source(file), 3, "\uFFFD", "invalid UTF-8: 0xED 0xA0 0x80 at byte 1 of the line"));
    }

    @Test
    void aBinaryFileGivesOnlyRefusedLines() throws Exception {
        byte[] noise = new byte[64 * 1024];
        new Random(13).nextBytes(noise);
        Path file = write("image.png", noise);
        long lineBreaks = 0;
        for (byte b : noise) {
            lineBreaks += b == '\n' ? 1 : 0;
        }

        List<SourceLine> lines = read(file, LineFileFormat.DEFAULT_MAX_LINE_BYTES);

        assertThat(lines).hasSize((int) lineBreaks + (noise[noise.length - 1] == '\n' ? 0 : 1));
        // Two line breaks in a row make the one line without a reason: blank, which every parser refuses.
        assertThat(lines).filteredOn(line -> line.problem() == null).extracting(SourceLine::text).containsExactly("");
        assertThat(lines).filteredOn(line -> line.problem() != null).allSatisfy(line -> assertThat(line.problem()).matches(
                "(binary data: a NUL byte|invalid UTF-8: 0x[0-9A-F]{2}( 0x[0-9A-F]{2})*) at byte \\d+ of the line.*"));
        assertThat(lines).allSatisfy(line -> assertThat(line.text().length()).isLessThanOrEqualTo(LineFileFormat.MAX_SHOWN_BYTES));
    }

    @Test
    void aLineLongerThanTheLimitIsRefusedCutToItsFirstBytesAndTheNextLineIsRead() throws Exception {
        String exactlyTheLimit = "x".repeat(SMALL_LIMIT);
        Path file = write("long.csv", bytes("short\n", "y".repeat(40), "\n", exactlyTheLimit, "\r\nafter\n",
                "z".repeat(100)));

        assertThat(read(file, SMALL_LIMIT)).containsExactly(
                new SourceLine(source(file), 1, "short"),
                SourceLine.refused(source(file), 2, "y".repeat(SMALL_LIMIT), "line too long: 40 bytes, more than "
                        + "the limit of 16 bytes (--max-line-length); the record holds its first 16 bytes"),
                new SourceLine(source(file), 3, exactlyTheLimit),
                new SourceLine(source(file), 4, "after"),
                SourceLine.refused(source(file), 5, "z".repeat(SMALL_LIMIT), "line too long: 100 bytes up to the end "
                        + "of the file, with no line break, more than the limit of 16 bytes (--max-line-length); "
                        + "the record holds its first 16 bytes"));
    }

    /** Written in 1 MiB pieces: the test never holds the line either. */
    private Path fileWithOneLongLine(String name, long lineBytes, String after) throws Exception {
        Path file = tmp.resolve(name);
        byte[] piece = new byte[1 << 20];
        Arrays.fill(piece, (byte) 'a');
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < lineBytes; written += piece.length) {
                out.write(piece, 0, (int) Math.min(piece.length, lineBytes - written));
            }
            out.write(after.getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }

    @Test
    void aFiftyMegabyteLineIsOneDeadLetterOfOneKibibyteWithTheDefaultLimit() throws Exception {
        Path file = fileWithOneLongLine("one-line.json", 50L << 20, "\n{\"next\":1}\n");

        assertThat(read(file, LineFileFormat.DEFAULT_MAX_LINE_BYTES)).containsExactly(
                SourceLine.refused(source(file), 1, "a".repeat(1024), "line too long: 52428800 bytes, more than the "
                        + "limit of 1048576 bytes (--max-line-length); the record holds its first 1024 bytes"),
                new SourceLine(source(file), 2, "{\"next\":1}"));
    }

    @Test
    void aFourHundredMegabyteFileWithoutALineBreakIsOneDeadLetterReadInBoundedMemory() throws Exception {
        Path file = fileWithOneLongLine("no-line-break.csv", 400L << 20, "");
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        long usedBefore = runtime.totalMemory() - runtime.freeMemory();

        BulkFormat.Reader<SourceLine> reader = new LineFileFormat().createReader(new Configuration(), split(file, null));
        BulkFormat.RecordIterator<SourceLine> batch = reader.readBatch();
        // The reader holds the line's first MiB and its read buffer, not 400 MB (as a String: 800 MB).
        long usedWhileReading = runtime.totalMemory() - runtime.freeMemory();
        List<SourceLine> lines = new ArrayList<>();
        RecordAndPosition<SourceLine> record;
        while ((record = batch.next()) != null) {
            lines.add(record.getRecord());
        }
        assertThat(reader.readBatch()).isNull();
        reader.close();

        assertThat(lines).containsExactly(SourceLine.refused(source(file), 1, "a".repeat(1024), "line too long: "
                + "419430400 bytes up to the end of the file, with no line break, more than the limit of 1048576 "
                + "bytes (--max-line-length); the record holds its first 1024 bytes"));
        assertThat(usedWhileReading - usedBefore).isLessThan(64L << 20);
    }

    @Test
    void anEmptyFileGivesNothing() throws Exception {
        assertThat(read(write("empty.csv", new byte[0]), SMALL_LIMIT)).isEmpty();
    }

    @Test
    void aFileDeletedBeforeItIsReadIsOneNoteAndOneLineOnTheConsole() throws Exception {
        Path file = write("gone.csv", bytes("a\nb\n"));
        FileSourceSplit listed = split(file, null);
        Files.delete(file);

        try (CapturedStderr stderr = new CapturedStderr()) {
            assertThat(readAll(new LineFileFormat().createReader(new Configuration(), listed))).containsExactly(
                    SourceLine.fileNote(source(file), "input file disappeared before it was read; skipped"));
            assertThat(stderr.lines("patterns:")).containsExactly(
                    "patterns: input file " + source(file) + " disappeared before it was read; skipped");
        }
    }

    @Test
    void aFileDeletedAfterARestoredCheckpointSaysHowManyLinesWereRead() throws Exception {
        Path file = write("gone.csv", bytes("a\nb\nc\n"));
        FileSourceSplit checkpointed = split(file, new CheckpointedPosition(CheckpointedPosition.NO_OFFSET, 2));
        Files.delete(file);

        try (CapturedStderr stderr = new CapturedStderr()) {
            assertThat(readAll(new LineFileFormat().restoreReader(new Configuration(), checkpointed))).containsExactly(
                    SourceLine.fileNote(source(file), "input file disappeared after 2 of its lines were read; the rest is skipped"));
            assertThat(stderr.lines("patterns:")).hasSize(1);
        }
    }

    @Test
    void aFileDeletedWhileItIsReadIsReadToTheEnd() throws Exception {
        Path file = write("open.csv", bytes("a\nb\n"));
        BulkFormat.Reader<SourceLine> reader = new LineFileFormat().createReader(new Configuration(), split(file, null));
        Files.delete(file);

        try (CapturedStderr stderr = new CapturedStderr()) {
            assertThat(readAll(reader)).containsExactly(
                    new SourceLine(source(file), 1, "a"), new SourceLine(source(file), 2, "b"));
            assertThat(stderr.lines("patterns:")).containsExactly(
                    "patterns: input file " + source(file) + " was deleted while it was read; its 2 lines were read");
        }
    }

    @Test
    void aFileThatGrewAfterItWasListedIsReportedAndItsCutOffLastLineRefused() throws Exception {
        Path file = write("growing.csv", bytes("1,a\n2,b\n"));
        FileSourceSplit listed = split(file, null);
        Files.writeString(file, "3,c\n4,", StandardOpenOption.APPEND);

        try (CapturedStderr stderr = new CapturedStderr()) {
            String note = "input file changed while it was read (8 bytes when listed, 14 bytes read, 14 bytes now): it "
                    + "was still being written, and lines written after the read are not read; write a file under a "
                    + "name starting with . or _ and rename it when complete";
            assertThat(readAll(new LineFileFormat().createReader(new Configuration(), listed))).containsExactly(
                    new SourceLine(source(file), 1, "1,a"),
                    new SourceLine(source(file), 2, "2,b"),
                    new SourceLine(source(file), 3, "3,c"),
                    SourceLine.refused(source(file), 4, "4,",
                            "cut off: the last line has no line break and the file was still being written"),
                    SourceLine.fileNote(source(file), note));
            assertThat(stderr.lines("patterns:")).containsExactly(
                    "patterns: " + note.replace("input file ", "input file " + source(file) + " "));
        }
    }
}
