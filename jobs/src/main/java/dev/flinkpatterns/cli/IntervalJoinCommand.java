package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.Api;
import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.io.FileSources;
import dev.flinkpatterns.io.SourceLine;
import dev.flinkpatterns.patterns.joins.IntervalJoin;
import dev.flinkpatterns.patterns.joins.JoinDataset;
import dev.flinkpatterns.patterns.joins.JoinDatasets;
import dev.flinkpatterns.patterns.joins.JoinSide;
import dev.flinkpatterns.patterns.joins.JoinType;
import dev.flinkpatterns.run.PatternOutputs;
import dev.flinkpatterns.time.WatermarkSettings;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "interval-join", mixinStandardHelpOptions = true,
        description = {"Join two streams of CSV files on a key and a time interval, with a watermark on each side.",
                "Spark's left.withWatermark(...).join(right.withWatermark(...), \"key = key AND right_time BETWEEN "
                        + "left_time AND left_time + interval 1 hour\", type): clicks with purchases (the guide) or "
                        + "orders with shipments (the workshop); inner, left, right or full outer; in the DataStream API "
                        + "or SQL, with the same rows. An outer row (nulls for the other side) is emitted once the "
                        + "watermark passes the last time a match could arrive. Rows behind their own side's watermark, "
                        + "or behind the join's (a side that idled and woke behind the other), are dropped, counted "
                        + "and, with --late-output, written out. Append output mode only."})
class IntervalJoinCommand extends PatternCommand {

    @Option(names = "--dataset", paramLabel = "NAME",
            description = "clicks-purchases (clicks joined with the user's purchases within an hour) or orders-shipments "
                    + "(orders joined with their shipment within an hour). Default: ${DEFAULT-VALUE}.")
    String datasetName = JoinDatasets.CLICKS_PURCHASES.name();

    @Option(names = "--join", paramLabel = "TYPE", converter = Converters.JoinTypeConverter.class,
            description = "inner, left, right or full (outer). Default: inner.")
    JoinType join = JoinType.INNER;

    @Option(names = "--api", paramLabel = "API", converter = Converters.ApiConverter.class,
            description = "datastream or sql (an interval join in Flink SQL). Default: datastream.")
    Api api = Api.DATASTREAM;

    @Option(names = "--left-input", paramLabel = "DIR",
            description = "Directory of the left side's CSV files (clicks or orders). Default: data/input/clicks or "
                    + "data/input/orders.")
    String leftInput;

    @Option(names = "--right-input", paramLabel = "DIR",
            description = "Directory of the right side's CSV files (purchases or shipments). Default: "
                    + "data/input/purchases or data/input/shipments.")
    String rightInput;

    @Option(names = "--left-watermark", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "The left side's withWatermark delay. Default: 10m (the guides).")
    Duration leftWatermark;

    @Option(names = "--right-watermark", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "The right side's withWatermark delay. Default: 10m for purchases, 15m for shipments.")
    Duration rightWatermark;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "A source split quiet for this long stops holding its side's watermark back. Default: 5s.")
    Duration idleTimeout = Duration.ofSeconds(5);

    @Option(names = "--watermark-every-event",
            description = "Move each side's watermark after every row instead of every 200 ms, each side read by one "
                    + "reader: which rows are late no longer depends on timing (for tests and teaching).")
    boolean everyEvent;

    @Option(names = "--late-output", paramLabel = "DIR",
            description = "Write the rows dropped as late (of either side) to DIR as JSON lines (event time, the "
                    + "watermark, the row). Default: late rows are only counted (metric numLateRowsDropped).")
    String lateOutput;

    private JoinDataset dataset;
    private IntervalJoin.Watermarks watermarks;

    @Override
    OutputMode.Query query() {
        return OutputMode.Query.STREAM_STREAM_JOIN;
    }

    @Override
    void validate() {
        try {
            dataset = JoinDatasets.named(datasetName);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--dataset " + e.getMessage());
        }
        leftInput = existingInput("--left-input", leftInput, dataset.left());
        rightInput = existingInput("--right-input", rightInput, dataset.right());
        watermarks = new IntervalJoin.Watermarks(
                watermark(leftWatermark, dataset.left()),
                watermark(rightWatermark, dataset.right()));
        if (lateOutput != null) {
            lateOutput = Locations.resolve(lateOutput);
        }
    }

    private String existingInput(String option, String given, JoinSide side) {
        return Locations.existingDirectory(option, given == null ? side.defaultInput() : given,
                "write " + dataset.left().table() + " and " + dataset.right().table() + " files with: "
                        + dataset.generateCommand());
    }

    private WatermarkSettings watermark(Duration given, JoinSide side) {
        Duration delay = given == null ? side.defaultWatermark() : given;
        try {
            return new WatermarkSettings(delay, idleTimeout, Duration.ZERO, everyEvent);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    @Override
    PatternOutputs define(StreamExecutionEnvironment env, OutputMode mode, Trigger trigger) {
        return IntervalJoin.join(lines(env, trigger, leftInput, dataset.left()),
                lines(env, trigger, rightInput, dataset.right()), dataset, join, api, watermarks, trigger);
    }

    /** A side's files, read by one reader when its watermark moves after every row (see EventTimeOptions). */
    private DataStream<SourceLine> lines(StreamExecutionEnvironment env, Trigger trigger, String dir, JoinSide side) {
        DataStream<SourceLine> lines = env.fromSource(FileSources.lines(dir, trigger, FileSources.DEFAULT_DISCOVERY_INTERVAL),
                        WatermarkStrategy.noWatermarks(), side.table() + " files")
                .uid(side.table() + "-files");
        return EventTimeOptions.readers(lines, everyEvent);
    }

    @Override
    String lateOutputDir() {
        return lateOutput;
    }
}
