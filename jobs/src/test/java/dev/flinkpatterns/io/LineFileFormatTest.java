package dev.flinkpatterns.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.RecordAndPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineFileFormatTest {

    @TempDir
    Path tmp;

    private static List<RecordAndPosition<SourceLine>> readAll(BulkFormat.Reader<SourceLine> reader) throws Exception {
        List<RecordAndPosition<SourceLine>> records = new ArrayList<>();
        BulkFormat.RecordIterator<SourceLine> batch;
        while ((batch = reader.readBatch()) != null) {
            RecordAndPosition<SourceLine> record;
            while ((record = batch.next()) != null) {
                records.add(new RecordAndPosition<>(record.getRecord(), record.getOffset(), record.getRecordSkipCount()));
            }
            batch.releaseBatch();
        }
        reader.close();
        return records;
    }

    /** The split the enumerator makes of a file: its size and modification time when it was listed. */
    private static FileSourceSplit split(Path file, CheckpointedPosition position) throws Exception {
        return new FileSourceSplit("0", new org.apache.flink.core.fs.Path(file.toUri()), 0, Files.size(file),
                Files.getLastModifiedTime(file).toMillis(), Files.size(file), new String[0], position);
    }

    @Test
    void readsEveryLineWithItsFileAndNumberIncludingBlankAndCrLfLines() throws Exception {
        Path file = Files.writeString(tmp.resolve("a.csv"), "header\r\nfirst\n\nlast");
        var records = readAll(new LineFileFormat().createReader(new Configuration(), split(file, null)));

        String source = "file:" + file;
        assertThat(records).extracting(RecordAndPosition::getRecord).containsExactly(
                new SourceLine(source, 1, "header"),
                new SourceLine(source, 2, "first"),
                new SourceLine(source, 3, ""),
                new SourceLine(source, 4, "last"));
        // The checkpointed position after a record is the number of lines read, which a restore skips.
        assertThat(records).extracting(RecordAndPosition::getRecordSkipCount).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void aRestoredReaderSkipsTheLinesAlreadyReadAndKeepsTheirNumbers() throws Exception {
        Path file = Files.writeString(tmp.resolve("b.csv"), "one\ntwo\nthree\nfour\n");
        var restored = new LineFileFormat().restoreReader(
                new Configuration(), split(file, new CheckpointedPosition(CheckpointedPosition.NO_OFFSET, 2)));

        assertThat(readAll(restored)).extracting(RecordAndPosition::getRecord)
                .extracting(SourceLine::line, SourceLine::text)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(3L, "three"), org.assertj.core.groups.Tuple.tuple(4L, "four"));
    }
}
