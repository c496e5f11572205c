package dev.flinkpatterns.testing;

import dev.flinkpatterns.io.SourceLine;
import java.util.stream.IntStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Hand-written event files for the event-time patterns, with what each row should do noted beside it. Watermarks
 * move after every row (a 10 minute delay makes the watermark trail the newest row by 10 minutes and 1 ms).
 */
public final class EventTimeInputs {

    private EventTimeInputs() {}

    /** For {@code dedup --key user_id,event --watermark 10m}. */
    public static final String[] DEDUP = {
        "timestamp,user_id,event",
        "2025-07-15T10:00:00,1,login",    // kept
        "2025-07-15T10:01:00,2,view",     // kept
        "2025-07-15T10:02:00,1,login",    // duplicate
        "2025-07-15T09:55:00,3,view",     // out of order but on time (watermark 09:51:59.999): kept
        "2025-07-15T10:15:00,2,view",     // duplicate: 2|view is remembered until the watermark passes 10:11
        "2025-07-15T09:58:00,1,logout",   // late (watermark 10:04:59.999)
        "2025-07-15T10:04:59,4,view",     // late: at or behind the watermark
        "2025-07-15T10:05:00,4,purchase", // on time by 1 ms: kept
        "2025-07-15T10:30:00,5,login",    // kept; the watermark goes to 10:19:59.999, 1|login (10:00 + 10m) is forgotten
        "2025-07-15T10:25:00,1,login",    // kept: more than a watermark delay after the first 1|login
        "2025-07-15T10:26:00,1,login",    // duplicate of the row before
        "2025-07-15T10:10:00,2,view",     // late
        "2025-07-15T10:30:00,5,login",    // duplicate
    };

    /** For {@code user-sessions --timeout 5m --watermark 1m}. */
    public static final String[] SESSIONS = {
        "timestamp,user_id,event",
        "2025-07-15T10:00:00,1,login",
        "2025-07-15T10:01:00,2,login",
        "2025-07-15T10:02:00,1,view",
        "2025-07-15T10:01:30,1,view",     // out of order, on time (watermark 10:00:59.999)
        "2025-07-15T10:04:00,2,purchase",
        "2025-07-15T10:09:00,1,purchase", // user 1's timeout (10:07) not reached yet (watermark 10:02:59.999): goes on
        "2025-07-15T10:02:30,3,view",     // late (watermark 10:07:59.999)
        "2025-07-15T10:16:00,3,login",    // the watermark goes to 10:14:59.999: users 1 (10:14) and 2 (10:09) time out
        "2025-07-15T10:16:30,2,view",     // user 2 again: a new session
    };

    /** The lines of one file, as a parallelism-1 bounded input: the order, and so the watermarks, are fixed. */
    public static DataStream<SourceLine> asFile(StreamExecutionEnvironment env, String... lines) {
        SourceLine[] sourceLines = IntStream.range(0, lines.length)
                .mapToObj(i -> new SourceLine("file:/input/events.csv", i + 1, lines[i]))
                .toArray(SourceLine[]::new);
        return env.fromData(sourceLines).setParallelism(1);
    }
}
