package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.io.RowInput;
import dev.flinkpatterns.io.SourceLine;
import dev.flinkpatterns.time.WatermarkSettings;
import java.time.Duration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import picocli.CommandLine.Option;

/** Spark's {@code withWatermark(...)} and Flink's additions, for every event-time pattern. */
public final class EventTimeOptions {

    @Option(names = "--watermark", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "Spark's withWatermark delay, e.g. 10s or 10m: the watermark trails the newest event time by "
                    + "this much; older rows are late and dropped. Default: no watermark (state is never released).")
    Duration watermark;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "A source split quiet for this long stops holding the watermark back. Default: ${DEFAULT-VALUE}.")
    Duration idleTimeout = Duration.ofSeconds(5);

    @Option(names = "--allowed-lateness", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "Flink only: rows up to this much behind the watermark still update their window, which is "
                    + "emitted again (needs --output-mode update; complete mode keeps every window anyway). Default: 0s, as Spark.")
    Duration allowedLateness = Duration.ZERO;

    @Option(names = "--watermark-every-event",
            description = "Move the watermark after every row instead of every 200 ms: which rows are late no longer "
                    + "depends on timing (for tests and teaching; costs throughput).")
    boolean everyEvent;

    @Option(names = "--late-output", paramLabel = "DIR",
            description = "Write the rows dropped as late to DIR as JSON lines (event time, the watermark, the row). "
                    + "Default: late rows are only counted (metric numLateRowsDropped).")
    String lateOutput;

    /** Set by {@link WatermarkPolicyOptions} where a pattern has it. */
    WatermarkSettings.Policy policy = WatermarkSettings.Policy.PERIODIC;

    /**
     * With a watermark after every row, the files are read by one reader: with several, a reader that has no file
     * yet holds the watermark back (until --idle-timeout), and which rows are late would depend on timing again.
     */
    DataStream<SourceLine> readers(DataStream<SourceLine> lines) {
        return readers(lines, everyEvent);
    }

    /** As above, for the user's rows in any format. */
    RowInput readers(RowInput input) {
        return everyEvent ? input.onOneReader() : input;
    }

    /** As above, for a pattern with its own watermark options (one per input). */
    static DataStream<SourceLine> readers(DataStream<SourceLine> lines, boolean everyEvent) {
        if (everyEvent && lines instanceof SingleOutputStreamOperator<SourceLine> source) {
            return source.setParallelism(1);
        }
        return lines;
    }

    WatermarkSettings settings() {
        try {
            return new WatermarkSettings(watermark, idleTimeout, allowedLateness, everyEvent, policy);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /**
     * Complete mode keeps every window for good, as Spark's does (its watermark drops no state there): no row is ever
     * late, so options about late rows have nothing to do.
     */
    static void checkCompleteMode(OutputMode mode, String lateOutput, Duration allowedLateness) {
        if (mode != OutputMode.COMPLETE) {
            return;
        }
        if (lateOutput != null) {
            throw new UsageException("--late-output: complete mode keeps every window, so no row is late (as in "
                    + "Spark); use --output-mode append or update to drop late rows");
        }
        if (!allowedLateness.isZero()) {
            throw new UsageException("--allowed-lateness: complete mode keeps every window, so every row updates its "
                    + "window however late (as in Spark); drop --allowed-lateness");
        }
    }

    void validate() {
        settings();
        if (watermark == null && !allowedLateness.isZero()) {
            throw new UsageException("--allowed-lateness needs --watermark: without a watermark no row is ever late");
        }
        if (watermark == null && everyEvent) {
            throw new UsageException("--watermark-every-event needs --watermark");
        }
        if (watermark == null && lateOutput != null) {
            throw new UsageException("--late-output needs --watermark: without a watermark no row is ever late");
        }
        if (lateOutput != null) {
            lateOutput = Locations.resolve(lateOutput);
        }
    }
}
