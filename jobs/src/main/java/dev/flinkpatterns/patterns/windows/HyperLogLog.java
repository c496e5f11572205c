package dev.flinkpatterns.patterns.windows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The sketch behind {@code approx_count_distinct}: HyperLogLog with HyperLogLog++'s 64-bit hash and its linear
 * counting for small cardinalities, at Spark's default relative standard deviation of 0.05 (2^9 = 512 registers,
 * 1.106 / sqrt(512) = 0.049). Small sets (up to a few dozen values) are counted exactly unless two values share a
 * register; above HyperLogLog++'s threshold of 400 the raw estimate is used, within about 5% (one standard
 * deviation). Spark's HLL++ also corrects the raw estimate's bias with measured tables and hashes with xxHash64, so
 * on large sets the numbers may differ from Spark's. Sketches merge (a window's panes, a merged session) by
 * taking each register's maximum.
 */
public final class HyperLogLog {

    static final int PRECISION = 9;
    static final int REGISTERS = 1 << PRECISION;
    /** HyperLogLog++'s empirical threshold below which linear counting is used, for precision 9. */
    static final double LINEAR_COUNTING_THRESHOLD = 400;

    /** Per register, the longest run of leading zeros + 1 seen. Public for Flink's serializer. */
    public byte[] registers = new byte[REGISTERS];

    public HyperLogLog() {}

    public void add(String value) {
        long hash = hash(value);
        int register = (int) (hash >>> (64 - PRECISION));
        // The rest of the bits, with a sentinel 1 so that the rank is at most 64 - PRECISION + 1.
        long rest = (hash << PRECISION) | (1L << (PRECISION - 1));
        byte rank = (byte) (Long.numberOfLeadingZeros(rest) + 1);
        if (rank > registers[register]) {
            registers[register] = rank;
        }
    }

    public void merge(HyperLogLog other) {
        for (int i = 0; i < REGISTERS; i++) {
            registers[i] = (byte) Math.max(registers[i], other.registers[i]);
        }
    }

    /** The estimated number of distinct values, rounded as Spark rounds it. */
    public long estimate() {
        double sum = 0;
        int zeros = 0;
        for (byte register : registers) {
            sum += Math.scalb(1.0, -register);
            if (register == 0) {
                zeros++;
            }
        }
        double alpha = 0.7213 / (1 + 1.079 / REGISTERS);
        double raw = alpha * REGISTERS * REGISTERS / sum;
        if (zeros > 0) {
            double linear = REGISTERS * Math.log((double) REGISTERS / zeros);
            if (linear <= LINEAR_COUNTING_THRESHOLD) {
                return Math.round(linear);
            }
        }
        return Math.round(raw);
    }

    /** A 64-bit hash of the value's UTF-8 bytes: FNV-1a, then MurmurHash3's finalizer to spread the bits. */
    static long hash(String value) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        hash *= 0xc4ceb9fe1a85ec53L;
        hash ^= hash >>> 33;
        return hash;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HyperLogLog sketch && Arrays.equals(registers, sketch.registers);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(registers);
    }
}
