package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.FileSources;
import dev.flinkpatterns.io.SourceLine;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Option;

/** Spark's {@code readStream.schema(...).csv(dir)}: the directory to read and how often to look for new files. */
public final class CsvInputOptions {

    static final String DEFAULT_INPUT = "data/input";

    @Option(names = "--input", paramLabel = "DIR",
            description = "Directory of CSV files (header timestamp,user_id,event). Default: ${DEFAULT-VALUE}.")
    String input = DEFAULT_INPUT;

    @Option(names = "--discovery-interval", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "How often the directory is listed for new files. Default: 1s.")
    Duration discoveryInterval = FileSources.DEFAULT_DISCOVERY_INTERVAL;

    void validate() {
        input = Locations.existingDirectory("--input", input);
    }

    DataStream<SourceLine> lines(StreamExecutionEnvironment env, Trigger trigger) {
        return env.fromSource(FileSources.lines(input, trigger, discoveryInterval), WatermarkStrategy.noWatermarks(), "csv files")
                .uid("csv-files");
    }
}
