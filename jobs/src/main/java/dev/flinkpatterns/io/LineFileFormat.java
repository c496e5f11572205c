package dev.flinkpatterns.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.ArrayResultIterator;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.Path;

/**
 * Reads files as lines that keep their file and line number, so a bad record can be reported with its
 * exact position. Flink's {@code TextLineInputFormat} does not know the file it reads; this format does.
 *
 * <p>A file is one split; the checkpointed position is the number of lines already emitted, so a restored
 * reader skips exactly those lines (no line is lost or read twice).
 */
public final class LineFileFormat implements BulkFormat<SourceLine, FileSourceSplit> {

    private static final int LINES_PER_BATCH = 1024;

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

    private static final class LineReader implements Reader<SourceLine> {
        private final String source;
        private final FSDataInputStream stream;
        private final BufferedReader reader;
        private long linesRead;

        LineReader(FileSourceSplit split, long skipLines) throws IOException {
            Path path = split.path();
            this.source = path.toString();
            this.stream = path.getFileSystem().open(path);
            this.reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
            for (; linesRead < skipLines; linesRead++) {
                if (reader.readLine() == null) {
                    break;
                }
            }
        }

        @Override
        public RecordIterator<SourceLine> readBatch() throws IOException {
            SourceLine[] batch = new SourceLine[LINES_PER_BATCH];
            long firstLine = linesRead;
            int count = 0;
            String text;
            while (count < LINES_PER_BATCH && (text = reader.readLine()) != null) {
                linesRead++;
                batch[count++] = new SourceLine(source, linesRead, text);
            }
            if (count == 0) {
                return null;
            }
            ArrayResultIterator<SourceLine> records = new ArrayResultIterator<>();
            records.set(batch, count, CheckpointedPosition.NO_OFFSET, firstLine);
            return records;
        }

        @Override
        public void close() throws IOException {
            reader.close();
            stream.close();
        }
    }
}
