package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.patterns.csv.CsvPatterns;
import dev.flinkpatterns.run.PatternOutputs;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The tutorial's count of events by type over the event files: csv-agg's default, and the whole of the demo. */
abstract class EventCountsCommand extends CsvCommand {

    @Override
    OutputMode.Query query() {
        return OutputMode.Query.AGGREGATION_WITHOUT_WATERMARK;
    }

    @Override
    PatternOutputs define(StreamExecutionEnvironment env, OutputMode mode, Trigger trigger) {
        return CsvPatterns.eventCounts(csv.lines(env, trigger), mode, trigger);
    }
}
