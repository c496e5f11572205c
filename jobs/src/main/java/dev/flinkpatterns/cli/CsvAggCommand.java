package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.patterns.csv.CsvPatterns;
import dev.flinkpatterns.run.PatternOutputs;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;

@Command(name = "csv-agg", mixinStandardHelpOptions = true,
        description = {"Count events by type over CSV files, as a complete-mode table.",
                "Reads a directory of CSV files, picking up new files as they appear, and prints the "
                        + "whole result table (Spark's complete mode) whenever it changed. Malformed rows go to the "
                        + "dead-letter directory; the counts cover the valid rows exactly."})
class CsvAggCommand extends CsvCommand {

    @Override
    OutputMode.Query query() {
        return OutputMode.Query.AGGREGATION_WITHOUT_WATERMARK;
    }

    @Override
    PatternOutputs define(StreamExecutionEnvironment env, OutputMode mode, Trigger trigger) {
        return CsvPatterns.eventCounts(csv.lines(env, trigger), mode, trigger);
    }
}
