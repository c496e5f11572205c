package dev.flinkpatterns.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The least that dedup's state can cost per new key when its keys are in RocksDB: Flink's RocksDB library (frocksdbjni)
 * called directly, with no Flink around it, on keys shaped like dedup's ({@code timestamp,user_id,event} behind a
 * key-group prefix). A new key is looked up, then written; with expiry, the key written {@link #LIVE_KEYS} keys earlier
 * is deleted, as the watermark forgets it. One call at a time (as keyed state does) and in batches of
 * {@link #BATCH} (multiGet and one write batch: the most that batching could save). Bloom filters on, no write-ahead
 * log and a 64 MB memtable, as Flink configures RocksDB. The figures bound dedup's rows/s from above: see docs/benchmark.md.
 */
@State(Scope.Thread)
public class RocksDbKeyBenchmark extends ShortRun {

    /** Keys remembered at a time: about a file's rows ahead of the watermark, as on the benchmark's data. */
    static final int LIVE_KEYS = 150_000;
    static final int BATCH = 1000;
    private static final byte[] EXPIRY = {0, 0, 1, -116, 0, 0, 0, 0};

    private Path directory;
    private Options options;
    private RocksDB db;
    private WriteOptions writeOptions;
    private ReadOptions readOptions;
    private long next;

    @Setup
    public void open() throws IOException, RocksDBException {
        RocksDB.loadLibrary();
        directory = Files.createTempDirectory("rocksdb-key-benchmark");
        options = new Options().setCreateIfMissing(true).setWriteBufferSize(64 << 20)
                .setTableFormatConfig(new BlockBasedTableConfig().setFilterPolicy(new BloomFilter(10, false)));
        db = RocksDB.open(options, directory.toString());
        writeOptions = new WriteOptions().setDisableWAL(true);
        readOptions = new ReadOptions();
    }

    @TearDown
    public void close() throws IOException {
        readOptions.close();
        writeOptions.close();
        db.close();
        options.close();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    @Benchmark
    public void lookUpAndWriteANewKey() throws RocksDBException {
        byte[] key = key(next++);
        if (db.get(readOptions, key) == null) {
            db.put(writeOptions, key, EXPIRY);
        }
    }

    @Benchmark
    public void lookUpWriteAndForgetAnOldKey() throws RocksDBException {
        lookUpAndWriteANewKey();
        if (next > LIVE_KEYS) {
            db.delete(writeOptions, key(next - 1 - LIVE_KEYS));
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void lookUpAndWriteNewKeysInBatches() throws RocksDBException {
        batch(false);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void lookUpWriteAndForgetOldKeysInBatches() throws RocksDBException {
        batch(true);
    }

    private void batch(boolean forget) throws RocksDBException {
        List<byte[]> keys = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            keys.add(key(next + i));
        }
        List<byte[]> found = db.multiGetAsList(readOptions, keys);
        try (WriteBatch writes = new WriteBatch()) {
            for (int i = 0; i < BATCH; i++) {
                if (found.get(i) == null) {
                    writes.put(keys.get(i), EXPIRY);
                }
                if (forget && next + i >= LIVE_KEYS) {
                    writes.delete(key(next + i - LIVE_KEYS));
                }
            }
            db.write(writeOptions, writes);
        }
        next += BATCH;
    }

    /** A key group (2 bytes), then {@code timestamp,user_id,event} as dedup's key has them. */
    private static byte[] key(long n) {
        String key = "2024-01-15T" + n / 3_600_000 + ":" + n / 60_000 % 60 + ":" + n / 1000 % 60 + "." + n % 1000
                + "\u001f" + n % 1000 + "\u001fpurchase";
        byte[] text = key.getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[text.length + 2];
        bytes[0] = (byte) (n % 128 >> 8);
        bytes[1] = (byte) (n % 128);
        System.arraycopy(text, 0, bytes, 2, text.length);
        return bytes;
    }
}
