package dev.flinkpatterns.io.filetable;

import dev.flinkpatterns.io.DeadLetter;
import dev.flinkpatterns.io.OneSplitSource;
import dev.flinkpatterns.io.ReaderOptions;
import dev.flinkpatterns.io.RowSchema;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Source V2 behind {@link FileTable}: one CSV file (with its header line) read whole at start and again every poll
 * interval; each content that differs from the last one read becomes a {@link FileRead}: a new version of the table,
 * or a refusal when the content cannot be a table (no header). A file that is missing or unreadable is logged and the
 * previous version stays. The version number and the hash of its content are checkpointed, so a restored job does not
 * send an unchanged file again. Bounded: the file is read once and the source ends (a missing file is then an empty
 * table). One split, one reader: run it with parallelism 1.
 */
final class FileTableSource extends OneSplitSource<FileTableSource.FileRead, FileTableSource.FileSplit> {

    private static final Logger LOG = LoggerFactory.getLogger(FileTableSource.class);

    private final String file;
    private final ReaderOptions options;
    private final String keyColumn;
    private final Duration pollInterval;
    private final boolean bounded;

    FileTableSource(String file, ReaderOptions options, String keyColumn, Duration pollInterval, boolean bounded) {
        this.file = file;
        this.options = options;
        this.keyColumn = keyColumn;
        this.pollInterval = pollInterval;
        this.bounded = bounded;
    }

    /**
     * What one read of a changed content gives: a new version (null when the content was refused as a whole, the
     * previous version staying) and the lines that are not rows. {@code hasTable}: downstream has a version now (this
     * one, or an earlier one, also one restored from a checkpoint); the first read of a restored reader says so even
     * when nothing changed.
     */
    record FileRead(TableSnapshot snapshot, List<DeadLetter> rejected, String contentHash, boolean hasTable) {
        FileRead {
            rejected = new ArrayList<>(rejected); // a plain list for Flink's serializers
        }
    }

    /** The one split: the file, and the version and content hash last sent (0 and "" before the first). */
    record FileSplit(String file, long version, String contentHash) implements SourceSplit {
        @Override
        public String splitId() {
            return file;
        }
    }

    @Override
    public Boundedness getBoundedness() {
        return bounded ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    protected FileSplit initialSplit() {
        return new FileSplit(file, 0, "");
    }

    @Override
    public SimpleVersionedSerializer<FileSplit> getSplitSerializer() {
        return new SplitSerializer();
    }

    @Override
    public SourceReader<FileRead, FileSplit> createReader(SourceReaderContext context) {
        return new Reader(() -> new FilePoller(options, keyColumn, pollInterval, bounded), context);
    }

    private static final class SplitSerializer implements SimpleVersionedSerializer<FileSplit> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(FileSplit split) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeUTF(split.file());
                out.writeLong(split.version());
                out.writeUTF(split.contentHash());
            }
            return bytes.toByteArray();
        }

        @Override
        public FileSplit deserialize(int version, byte[] serialized) throws IOException {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
                return new FileSplit(in.readUTF(), in.readLong(), in.readUTF());
            }
        }
    }

    /** Hands the file to the first reader, then tells every reader there is nothing more. */

    /** The split's state between checkpoints: the version and content last sent downstream. */
    private static final class SentVersion {
        private final String file;
        private long version;
        private String contentHash;

        SentVersion(FileSplit split) {
            this.file = split.file();
            this.version = split.version();
            this.contentHash = split.contentHash();
        }
    }

    private static final class Reader
            extends SingleThreadMultiplexSourceReaderBase<FileRead, FileRead, FileSplit, SentVersion> {
        Reader(java.util.function.Supplier<SplitReader<FileRead, FileSplit>> poller, SourceReaderContext context) {
            super(poller, (read, output, sent) -> {
                output.collect(read);
                if (read.snapshot() != null) {
                    sent.version = read.snapshot().version();
                    sent.contentHash = read.contentHash();
                }
            }, context.getConfiguration(), context);
        }

        @Override
        protected void onSplitFinished(Map<String, SentVersion> finishedSplitIds) {}

        @Override
        protected SentVersion initializedState(FileSplit split) {
            return new SentVersion(split);
        }

        @Override
        protected FileSplit toSplitType(String splitId, SentVersion state) {
            return new FileSplit(state.file, state.version, state.contentHash);
        }
    }

    /** Reads the file at once, then every poll interval, in the source's fetcher thread. */
    static final class FilePoller implements SplitReader<FileRead, FileSplit> {
        private final CsvTableFile table;
        private final Duration pollInterval;
        private final boolean bounded;

        private FileSplit split;
        /** The last version read (sent, or restored from a checkpoint) and the last content looked at. */
        private long version;
        private String sentHash;
        private String seenHash;
        private String lastProblem;
        private long nextPollMillis;
        /** Whether the first read since the reader started went downstream. */
        private boolean announced;
        private boolean wokenUp;

        FilePoller(RowSchema schema, String keyColumn, Duration pollInterval, boolean bounded) {
            this(ReaderOptions.of(ReaderOptions.Format.CSV, schema), keyColumn, pollInterval, bounded);
        }

        FilePoller(ReaderOptions options, String keyColumn, Duration pollInterval, boolean bounded) {
            this.table = new CsvTableFile(options, keyColumn);
            this.pollInterval = pollInterval;
            this.bounded = bounded;
        }

        @Override
        public RecordsWithSplitIds<FileRead> fetch() {
            RecordsBySplits.Builder<FileRead> records = new RecordsBySplits.Builder<>();
            if (split == null || !waitForPoll()) {
                return records.build();
            }
            nextPollMillis = System.currentTimeMillis() + pollInterval.toMillis();
            FileRead read = poll();
            if (read == null && !announced && version > 0) {
                read = new FileRead(null, List.of(), sentHash, true); // restored: the version downstream stays
            }
            announced = true;
            if (read != null) {
                records.add(split.splitId(), read);
            }
            if (bounded) {
                records.addFinishedSplit(split.splitId());
                split = null;
            }
            return records.build();
        }

        /** Waits for the next poll; false when woken up before (the fetcher has other work first). */
        private synchronized boolean waitForPoll() {
            try {
                long wait;
                while (!wokenUp && (wait = nextPollMillis - System.currentTimeMillis()) > 0) {
                    wait(wait);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            boolean woken = wokenUp;
            wokenUp = false;
            return !woken;
        }

        /** The file's content as a new version or a refusal; null when nothing changed or it cannot be read. */
        FileRead poll() {
            String file = split.file();
            byte[] content;
            try {
                content = CsvTableFile.read(file);
            } catch (IOException e) {
                warnOnce("cannot read " + file + " (" + e + "); " + keeping());
                return bounded && version == 0
                        ? new FileRead(new TableSnapshot(++version, file, Map.of()), List.of(), "", true) : null;
            }
            String hash = hash(content);
            if (hash.equals(seenHash) || hash.equals(sentHash)) {
                seenHash = hash;
                return null;
            }
            seenHash = hash;
            lastProblem = null;
            return parse(file, content, hash);
        }

        private FileRead parse(String file, byte[] content, String hash) {
            CsvTableFile.Content parsed = table.parse(file, new String(content, StandardCharsets.UTF_8));
            if (parsed.isRefused()) {
                LOG.warn("{}: {}; {}", file, parsed.refusal(), keeping());
                if (bounded && version == 0) {
                    return new FileRead(new TableSnapshot(++version, file, Map.of()), parsed.rejected(), hash, true);
                }
                return new FileRead(null, parsed.rejected(), hash, version > 0);
            }
            version++;
            sentHash = hash;
            LOG.info("{}: version {} with {} row(s), {} line(s) refused", file, version, parsed.rows().size(),
                    parsed.rejected().size());
            return new FileRead(new TableSnapshot(version, file, parsed.rows()), parsed.rejected(), hash, true);
        }

        private String keeping() {
            return version == 0 ? (bounded ? "the table is empty" : "rows wait for a first version")
                    : "version " + version + " stays";
        }

        /** A problem that persists is logged once, not every poll. */
        private void warnOnce(String problem) {
            if (!problem.equals(lastProblem)) {
                LOG.warn(problem);
                lastProblem = problem;
            }
            seenHash = null;
        }

        private static String hash(byte[] content) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java has SHA-256", e);
            }
        }

        @Override
        public void handleSplitsChanges(SplitsChange<FileSplit> change) {
            if (change instanceof SplitsAddition<FileSplit> addition && !addition.splits().isEmpty()) {
                split = addition.splits().get(0);
                version = split.version();
                sentHash = split.contentHash();
            }
        }

        @Override
        public synchronized void wakeUp() {
            wokenUp = true;
            notifyAll();
        }

        @Override
        public void close() {}
    }
}
