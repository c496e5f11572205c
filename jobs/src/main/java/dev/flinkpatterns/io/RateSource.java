package dev.flinkpatterns.io;

import java.math.BigInteger;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Spark's {@code readStream.format("rate").option("rowsPerSecond", N)}: rows {@code (timestamp, value)}
 * with value 0, 1, 2, ... at N rows a second (across all parallel readers), on Flink's
 * {@link DataGeneratorSource}.
 *
 * <p>Row {@code v} is stamped {@code startMillis + v × 1000 / rowsPerSecond} ({@link #dueMillis}): the time it is
 * due, not the time it was emitted, so the rows are the same on every run and tests can assert them exactly. The source
 * emits no watermarks; assign event time downstream from {@link RateRow#timestamp()}.
 */
public final class RateSource {

    public static final String UID = "rate-source";
    public static final String NAME = "rate source";

    private static final long MILLIS_PER_SECOND = 1000;

    /** One row of the rate source; a POJO for Flink (public canonical constructor), not a Kryo generic. */
    public record RateRow(long timestamp, long value) {}

    private RateSource() {}

    /** Endless rows from now (rounded down to the second), as Spark's rate source gives them. */
    public static DataStream<RateRow> rows(StreamExecutionEnvironment env, long rowsPerSecond) {
        return rows(env, rowsPerSecond, Instant.now().truncatedTo(ChronoUnit.SECONDS).toEpochMilli(), Long.MAX_VALUE);
    }

    /** {@code count} rows (values 0 to count - 1), stamped from {@code startMillis} (epoch millis) on. */
    public static DataStream<RateRow> rows(
            StreamExecutionEnvironment env, long rowsPerSecond, long startMillis, long count) {
        if (rowsPerSecond < 1) {
            throw new IllegalArgumentException("rows per second must be at least 1, got " + rowsPerSecond);
        }
        DataGeneratorSource<RateRow> source = new DataGeneratorSource<>(
                new RowAtValue(startMillis, rowsPerSecond),
                count,
                RateLimiterStrategy.perSecond(rowsPerSecond),
                TypeInformation.of(RateRow.class));
        // One reader: the generator splits its sequence among readers, so an endless sequence at parallelism 2
        // would give the second reader values from Long.MAX_VALUE / 2 on. Spark's values count up from 0, too.
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), NAME).setParallelism(1).uid(UID);
    }

    /** Value {@code v} and the time it is due. */
    static final class RowAtValue implements GeneratorFunction<Long, RateRow> {
        private final long startMillis;
        private final long rowsPerSecond;

        RowAtValue(long startMillis, long rowsPerSecond) {
            this.startMillis = startMillis;
            this.rowsPerSecond = rowsPerSecond;
        }

        @Override
        public RateRow map(Long value) {
            return new RateRow(dueMillis(startMillis, value, rowsPerSecond), value);
        }
    }

    /**
     * {@code startMillis + value × 1000 / rowsPerSecond}, rounded down, computed without overflow; a time past
     * {@link Long#MAX_VALUE} (millions of years away) is {@code Long.MAX_VALUE}, Flink's end of time.
     */
    static long dueMillis(long startMillis, long value, long rowsPerSecond) {
        long millis = value <= Long.MAX_VALUE / MILLIS_PER_SECOND
                ? value * MILLIS_PER_SECOND / rowsPerSecond
                : atMostMaxLong(BigInteger.valueOf(value).multiply(BigInteger.valueOf(MILLIS_PER_SECOND))
                        .divide(BigInteger.valueOf(rowsPerSecond)));
        long due = startMillis + millis;
        // millis >= 0: only a sum above Long.MAX_VALUE can wrap, and it wraps to a value below startMillis.
        return due < startMillis ? Long.MAX_VALUE : due;
    }

    private static long atMostMaxLong(BigInteger value) {
        return value.bitLength() < Long.SIZE ? value.longValue() : Long.MAX_VALUE;
    }
}
