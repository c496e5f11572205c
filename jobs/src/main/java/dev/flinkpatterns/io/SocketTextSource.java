package dev.flinkpatterns.io;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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

/**
 * Spark's {@code format("socket")} on the Source V2 API: lines of UTF-8 text from one TCP server. When the
 * server closes the connection the source ends, so a job over a finite stream finishes by itself.
 *
 * <p>Like Spark's socket source it cannot replay: lines sent while the job is restarting are lost. Use it
 * for demos and tests, Kafka for anything that must not lose data. Run it with parallelism 1.
 */
public final class SocketTextSource extends OneSplitSource<SourceLine, SocketTextSource.Endpoint> {

    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int READ_WAIT_MS = 100;

    private final String host;
    private final int port;

    public SocketTextSource(String host, int port) {
        this.host = host;
        this.port = port;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    protected Endpoint initialSplit() {
        return new Endpoint(host, port);
    }

    @Override
    public SimpleVersionedSerializer<Endpoint> getSplitSerializer() {
        return new EndpointSerializer();
    }

    @Override
    public SourceReader<SourceLine, Endpoint> createReader(SourceReaderContext context) {
        return new SocketReader(context);
    }

    /** The one split: the server to read. */
    public record Endpoint(String host, int port) implements SourceSplit {
        @Override
        public String splitId() {
            return host + ":" + port;
        }
    }

    private static final class EndpointSerializer implements SimpleVersionedSerializer<Endpoint> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(Endpoint endpoint) throws IOException {
            var bytes = new java.io.ByteArrayOutputStream();
            try (var out = new DataOutputStream(bytes)) {
                out.writeUTF(endpoint.host());
                out.writeInt(endpoint.port());
            }
            return bytes.toByteArray();
        }

        @Override
        public Endpoint deserialize(int version, byte[] serialized) throws IOException {
            try (var in = new DataInputStream(new java.io.ByteArrayInputStream(serialized))) {
                return new Endpoint(in.readUTF(), in.readInt());
            }
        }
    }

    /** Hands the endpoint to the first reader, then tells every reader there is nothing more. */

    private static final class SocketReader
            extends SingleThreadMultiplexSourceReaderBase<SourceLine, SourceLine, Endpoint, Endpoint> {
        SocketReader(SourceReaderContext context) {
            super(SocketLineReader::new, (line, output, split) -> output.collect(line), context.getConfiguration(), context);
        }

        @Override
        protected void onSplitFinished(Map<String, Endpoint> finishedSplitIds) {}

        @Override
        protected Endpoint initializedState(Endpoint split) {
            return split;
        }

        @Override
        protected Endpoint toSplitType(String splitId, Endpoint state) {
            return state;
        }
    }

    /** Reads whole lines; a partial line waits in a buffer across reads, so a slow sender loses nothing. */
    private static final class SocketLineReader implements SplitReader<SourceLine, Endpoint> {
        private final byte[] buffer = new byte[8192];
        private final ByteArrayOutputStream partialLine = new ByteArrayOutputStream();
        private Endpoint endpoint;
        private Socket socket;
        private InputStream in;
        private long linesRead;

        @Override
        public RecordsWithSplitIds<SourceLine> fetch() throws IOException {
            RecordsBySplits.Builder<SourceLine> records = new RecordsBySplits.Builder<>();
            if (endpoint == null) {
                return records.build();
            }
            if (socket == null) {
                connect();
            }
            List<SourceLine> lines = new ArrayList<>();
            int read;
            try {
                read = in.read(buffer);
            } catch (SocketTimeoutException e) {
                return records.build(); // nothing sent for a while: let the fetcher check for wake-ups
            }
            if (read < 0) {
                if (partialLine.size() > 0) {
                    lines.add(nextLine(partialLine.toByteArray(), partialLine.size()));
                    partialLine.reset();
                }
                records.addAll(endpoint, lines);
                records.addFinishedSplit(endpoint.splitId());
                endpoint = null; // the server closed the connection: this source is done
                close();
                return records.build();
            }
            for (int i = 0; i < read; i++) {
                if (buffer[i] == '\n') {
                    byte[] bytes = partialLine.toByteArray();
                    int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    lines.add(nextLine(bytes, length));
                    partialLine.reset();
                } else {
                    partialLine.write(buffer[i]);
                }
            }
            records.addAll(endpoint, lines);
            return records.build();
        }

        private SourceLine nextLine(byte[] bytes, int length) {
            return new SourceLine(endpoint.splitId(), ++linesRead, new String(bytes, 0, length, StandardCharsets.UTF_8));
        }

        private void connect() throws IOException {
            Socket candidate = new Socket();
            try {
                candidate.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), CONNECT_TIMEOUT_MS);
                candidate.setSoTimeout(READ_WAIT_MS);
            } catch (IOException e) {
                candidate.close();
                throw new IOException("cannot connect to " + endpoint.splitId() + ": " + e.getMessage(), e);
            }
            socket = candidate;
            in = socket.getInputStream();
        }

        @Override
        public void handleSplitsChanges(SplitsChange<Endpoint> change) {
            if (change instanceof SplitsAddition<Endpoint> addition && !addition.splits().isEmpty()) {
                endpoint = addition.splits().get(0);
            }
        }

        @Override
        public void wakeUp() {
            // fetch() returns within READ_WAIT_MS by itself
        }

        @Override
        public void close() throws IOException {
            if (socket != null) {
                socket.close();
            }
        }
    }
}
