package dev.flinkpatterns.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.ArrayResultIterator;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.Path;

/**
 * Reads files as UTF-8 lines that keep their file and line number, so a bad record can be reported with its
 * exact position. Flink's {@code TextLineInputFormat} does not know the file it reads; this format does.
 *
 * <p>Hostile files give dead letters, never wrong rows or a dead job: a line that is not UTF-8, holds a NUL byte
 * (binary data) or is longer than {@code maxLineBytes} is passed on as refused, with its reason and at most its
 * first {@link #shownBytes} bytes, and a line of any length is read in bounded memory. A UTF-8 byte order mark
 * at the start of a file is dropped, and a line may end with {@code \r\n}. A file that is gone when its turn
 * comes is skipped with one line on the console; a file that changed between its listing and the end of its read
 * (still being written) is reported and counted.
 *
 * <p>A file is one split; the checkpointed position is the number of lines already emitted, so a restored
 * reader skips exactly those lines (no line is lost or read twice).
 */
public final class LineFileFormat implements BulkFormat<SourceLine, FileSourceSplit> {

    /** The default of {@code --max-line-length}: 1 MiB. */
    public static final int DEFAULT_MAX_LINE_BYTES = 1 << 20;

    /** A refused line's dead letter keeps at most this many of its first bytes. */
    static final int MAX_SHOWN_BYTES = 1024;

    private static final int LINES_PER_BATCH = 1024;
    /** A batch also ends after this many bytes of text, so 1024 long lines do not sit in memory at once. */
    private static final long BYTES_PER_BATCH = 4L << 20;
    private static final int READ_BUFFER_BYTES = 64 * 1024;

    private final int maxLineBytes;
    /**
     * A watched directory is listed again and again, and {@link WatchedDirectory} reports a file that changed on
     * the console; a one-shot read is not, so its reader says it.
     */
    private final boolean reportChangesOnConsole;

    public LineFileFormat() {
        this(DEFAULT_MAX_LINE_BYTES, true);
    }

    public LineFileFormat(int maxLineBytes, boolean reportChangesOnConsole) {
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("the maximum line length must be at least 1 byte, got " + maxLineBytes);
        }
        this.maxLineBytes = maxLineBytes;
        this.reportChangesOnConsole = reportChangesOnConsole;
    }

    @Override
    public Reader<SourceLine> createReader(Configuration config, FileSourceSplit split) throws IOException {
        return new LineReader(split, 0);
    }

    @Override
    public Reader<SourceLine> restoreReader(Configuration config, FileSourceSplit split) throws IOException {
        long alreadyRead = split.getReaderPosition().map(CheckpointedPosition::getRecordsAfterOffset).orElse(0L);
        return new LineReader(split, alreadyRead);
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<SourceLine> getProducedType() {
        return TypeInformation.of(SourceLine.class);
    }

    private int shownBytes() {
        return Math.min(MAX_SHOWN_BYTES, maxLineBytes);
    }

    private final class LineReader implements Reader<SourceLine> {
        private final FileSourceSplit split;
        private final String source;
        /** Null when the file was gone at open. */
        private final FSDataInputStream stream;
        private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        private final byte[] buffer = new byte[READ_BUFFER_BYTES];
        private int bufferStart;
        private int bufferEnd;
        private long bytesConsumed;

        /** The current line: its first bytes (up to the limit + 1), its full length, how it ended. */
        private byte[] line = new byte[256];
        private int lineStored;
        private long lineLength;
        private byte lastByte;
        private boolean lineTerminated;

        private long linesRead;
        private boolean finished;

        LineReader(FileSourceSplit split, long skipLines) throws IOException {
            this.split = split;
            Path path = split.path();
            this.source = path.toString();
            this.stream = openOrNull(path);
            if (stream == null) {
                linesRead = skipLines;
                return;
            }
            while (linesRead < skipLines && nextLine()) {
                linesRead++;
            }
        }

        private FSDataInputStream openOrNull(Path path) throws IOException {
            try {
                return path.getFileSystem().open(path);
            } catch (FileNotFoundException | NoSuchFileException e) {
                return null;
            }
        }

        @Override
        public RecordIterator<SourceLine> readBatch() throws IOException {
            if (finished) {
                return null;
            }
            List<SourceLine> batch = new ArrayList<>(LINES_PER_BATCH);
            long firstLine = linesRead;
            if (stream == null) {
                finished = true;
                batch.add(vanished());
                return iterator(batch, firstLine);
            }
            long batchBytes = 0;
            while (batch.size() < LINES_PER_BATCH && batchBytes < BYTES_PER_BATCH) {
                if (!nextLine()) {
                    finished = true;
                    batch.addAll(endOfFile(null));
                    break;
                }
                linesRead++;
                batchBytes += lineStored;
                if (!lineTerminated) {
                    // The last line has no line break: it may be cut off by a writer still at work.
                    finished = true;
                    batch.addAll(endOfFile(toSourceLine()));
                    break;
                }
                batch.add(toSourceLine());
            }
            return batch.isEmpty() ? null : iterator(batch, firstLine);
        }

        private RecordIterator<SourceLine> iterator(List<SourceLine> lines, long firstLine) {
            ArrayResultIterator<SourceLine> records = new ArrayResultIterator<>();
            records.set(lines.toArray(new SourceLine[0]), lines.size(), CheckpointedPosition.NO_OFFSET, firstLine);
            return records;
        }

        private SourceLine vanished() {
            String what = linesRead == 0 ? "disappeared before it was read; skipped"
                    : "disappeared after " + linesRead + " of its lines were read; the rest is skipped";
            InputWarnings.warn("input file " + source + " " + what);
            return SourceLine.fileNote(source, "input file " + what);
        }

        /**
         * At the end of the file: compares it with its listing. A file still being written loses the lines written
         * after this read (the directory's files are read once), and its last line may be cut off: both are said.
         */
        private List<SourceLine> endOfFile(SourceLine unterminatedLastLine) throws IOException {
            List<SourceLine> lines = new ArrayList<>();
            FileStatus now;
            try {
                now = split.path().getFileSystem().getFileStatus(split.path());
            } catch (FileNotFoundException | NoSuchFileException e) {
                InputWarnings.warn("input file " + source + " was deleted while it was read; its " + linesRead
                        + " lines were read");
                if (unterminatedLastLine != null) {
                    lines.add(unterminatedLastLine);
                }
                return lines;
            }
            boolean changed = bytesConsumed != split.fileSize() || now.getLen() != bytesConsumed
                    || now.getModificationTime() != split.fileModificationTime();
            if (!changed) {
                if (unterminatedLastLine != null) {
                    lines.add(unterminatedLastLine);
                }
                return lines;
            }
            if (unterminatedLastLine != null) {
                lines.add(unterminatedLastLine.problem() != null ? unterminatedLastLine
                        : SourceLine.refused(source, linesRead, unterminatedLastLine.text(),
                                "cut off: the last line has no line break and the file was still being written"));
            }
            String note = "changed while it was read (" + split.fileSize() + " bytes when listed, " + bytesConsumed
                    + " bytes read, " + now.getLen() + " bytes now): it was still being written, and lines written "
                    + "after the read are not read; write a file under a name starting with . or _ and rename it "
                    + "when complete";
            if (reportChangesOnConsole) {
                InputWarnings.warn("input file " + source + " " + note);
            }
            lines.add(SourceLine.fileNote(source, "input file " + note));
            return lines;
        }

        /** The current line, decoded, or refused with its reason. */
        private SourceLine toSourceLine() {
            int from = linesRead == 1 && startsWithByteOrderMark() ? 3 : 0;
            long length = lineLength - from - (lastByte == '\r' ? 1 : 0);
            if (length > maxLineBytes) {
                return refused(from, length, "line too long: " + length + " bytes"
                        + (lineTerminated ? "" : " up to the end of the file, with no line break")
                        + ", more than the limit of " + maxLineBytes + " bytes (--max-line-length)");
            }
            int end = from + (int) length;
            boolean ascii = true;
            for (int i = from; i < end; i++) {
                if (line[i] == 0) {
                    return refused(from, length, "binary data: a NUL byte at byte " + (i - from + 1) + " of the line");
                }
                ascii &= line[i] > 0;
            }
            if (ascii) {
                // Most lines: one copy into a compact string instead of a decoder pass and a char buffer (the
                // profile of docs/benchmark.md); ASCII reads the same in UTF-8 and Latin-1.
                return new SourceLine(source, linesRead, new String(line, from, end - from, StandardCharsets.ISO_8859_1));
            }
            utf8.reset();
            ByteBuffer in = ByteBuffer.wrap(line, from, end - from);
            CharBuffer out = CharBuffer.allocate(end - from);
            CoderResult result = utf8.decode(in, out, true);
            if (result.isError()) {
                int at = in.position() - from;
                StringBuilder bytes = new StringBuilder();
                for (int i = 0; i < result.length(); i++) {
                    bytes.append(i == 0 ? "0x" : " 0x").append(String.format("%02X", line[in.position() + i] & 0xFF));
                }
                return refused(from, length, "invalid UTF-8: " + bytes + " at byte " + (at + 1) + " of the line");
            }
            utf8.flush(out);
            return new SourceLine(source, linesRead, out.flip().toString());
        }

        /** The record shows at most {@link #shownBytes()} of the line's bytes, undecodable ones as U+FFFD. */
        private SourceLine refused(int from, long length, String reason) {
            int shown = (int) Math.min(length, shownBytes());
            String text = new String(line, from, shown, StandardCharsets.UTF_8);
            String cut = shown < length ? "; the record holds its first " + shown + " bytes" : "";
            return SourceLine.refused(source, linesRead, text, reason + cut);
        }

        private boolean startsWithByteOrderMark() {
            return lineStored >= 3 && line[0] == (byte) 0xEF && line[1] == (byte) 0xBB && line[2] == (byte) 0xBF;
        }

        /**
         * Reads the next line up to {@code \n}: keeps at most its first limit + 4 bytes (room for a byte order mark
         * and a {@code \r}), counts the rest. False at the end of the file with no bytes left.
         */
        private boolean nextLine() throws IOException {
            lineStored = 0;
            lineLength = 0;
            lastByte = 0;
            lineTerminated = false;
            while (true) {
                if (bufferStart == bufferEnd && !fill()) {
                    return lineLength > 0;
                }
                int newline = indexOfNewline();
                int end = newline < 0 ? bufferEnd : newline;
                keep(bufferStart, end);
                bytesConsumed += (newline < 0 ? bufferEnd : newline + 1) - bufferStart;
                bufferStart = newline < 0 ? bufferEnd : newline + 1;
                if (newline >= 0) {
                    lineTerminated = true;
                    return true;
                }
            }
        }

        private int indexOfNewline() {
            for (int i = bufferStart; i < bufferEnd; i++) {
                if (buffer[i] == '\n') {
                    return i;
                }
            }
            return -1;
        }

        private void keep(int start, int end) {
            int count = end - start;
            if (count == 0) {
                return;
            }
            lineLength += count;
            lastByte = buffer[end - 1];
            int room = (int) Math.min((long) maxLineBytes + 4, Integer.MAX_VALUE - 8) - lineStored;
            int stored = Math.min(count, room);
            if (stored <= 0) {
                return;
            }
            if (lineStored + stored > line.length) {
                line = Arrays.copyOf(line, (int) Math.min(Math.max((long) line.length * 2, lineStored + stored),
                        Integer.MAX_VALUE - 8));
            }
            System.arraycopy(buffer, start, line, lineStored, stored);
            lineStored += stored;
        }

        private boolean fill() throws IOException {
            int read = stream.read(buffer, 0, buffer.length);
            if (read <= 0) {
                return false;
            }
            bufferStart = 0;
            bufferEnd = read;
            return true;
        }

        @Override
        public void close() throws IOException {
            if (stream != null) {
                stream.close();
            }
        }
    }
}
