package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.patterns.csv.CsvPatterns;
import dev.flinkpatterns.run.PatternOutputs;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;

@Command(name = "csv-log", mixinStandardHelpOptions = true,
        description = {"Print the rows of CSV files as they arrive (append mode).",
                "Prints the rows of a directory of CSV files as console tables, new rows only (Spark's "
                        + "append mode); long values are cut unless --truncate false. Malformed rows go to the "
                        + "dead-letter directory."})
class CsvLogCommand extends CsvCommand {

    @Override
    OutputMode.Query query() {
        return OutputMode.Query.NO_AGGREGATION;
    }

    @Override
    PatternOutputs define(StreamExecutionEnvironment env, OutputMode mode, Trigger trigger) {
        return CsvPatterns.rawRows(csv.lines(env, trigger), mode, trigger);
    }
}
