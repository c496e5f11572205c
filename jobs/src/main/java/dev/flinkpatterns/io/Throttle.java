package dev.flinkpatterns.io;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.connector.source.util.ratelimit.GuavaRateLimiter;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiter;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * At most N rows per second through a stream, shared by its subtasks (each takes N / parallelism): Spark's
 * {@code maxOffsetsPerTrigger} as a rate. Waiting here backpressures the source, which then reads no further.
 */
public final class Throttle<T> extends RichMapFunction<T, T> {

    private final long rowsPerSecond;
    private transient RateLimiter limiter;

    private Throttle(long rowsPerSecond) {
        this.rowsPerSecond = rowsPerSecond;
    }

    /** {@code rows} limited to {@code rowsPerSecond}; 0: unlimited (returned as is). */
    public static <T> DataStream<T> perSecond(DataStream<T> rows, long rowsPerSecond) {
        return perSecond(rows, rowsPerSecond, null);
    }

    /** As above, for one of several inputs of a job: {@code input} (or null) prefixes the uid. */
    public static <T> DataStream<T> perSecond(DataStream<T> rows, long rowsPerSecond, String input) {
        if (rowsPerSecond == 0) {
            return rows;
        }
        return rows.map(new Throttle<T>(rowsPerSecond))
                .returns(rows.getType())
                .setParallelism(rows.getParallelism())
                .name("at most " + rowsPerSecond + " rows/s")
                .uid(input == null ? "throttle" : input + "-throttle");
    }

    @Override
    public void open(OpenContext openContext) {
        int parallelism = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        limiter = new GuavaRateLimiter(Math.max(1.0, (double) rowsPerSecond / parallelism));
    }

    @Override
    public T map(T row) throws Exception {
        limiter.acquire().toCompletableFuture().get();
        return row;
    }
}
