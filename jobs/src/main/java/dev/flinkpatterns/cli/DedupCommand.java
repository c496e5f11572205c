package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.patterns.dedup.DedupKey;
import dev.flinkpatterns.patterns.dedup.Deduplication;
import dev.flinkpatterns.run.PatternOutputs;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "dedup", mixinStandardHelpOptions = true,
        description = {"Drop duplicate rows of CSV files (Spark's dropDuplicates, append mode).",
                "Prints the first row of each --key once. With --watermark, rows behind the watermark are dropped "
                        + "as late and a key is forgotten once the watermark passes its first row (plus the watermark "
                        + "delay when the key has no timestamp, as Spark's dropDuplicatesWithinWatermark): bounded "
                        + "state. Without --watermark every key is remembered forever, as in Spark."})
class DedupCommand extends EventTimeCsvCommand {

    @Option(names = "--key", paramLabel = "COLUMNS",
            description = "The columns that make rows duplicates, comma-separated, among timestamp, user_id, event. "
                    + "Default: ${DEFAULT-VALUE}.")
    String key = "user_id,event";

    private DedupKey dedupKey;

    @Override
    OutputMode.Query query() {
        return OutputMode.Query.NO_AGGREGATION;
    }

    @Override
    void validate() {
        super.validate();
        try {
            dedupKey = DedupKey.parse(key);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--key " + key + ": " + e.getMessage());
        }
    }

    @Override
    PatternOutputs define(StreamExecutionEnvironment env, OutputMode mode, Trigger trigger) {
        return Deduplication.dropDuplicates(lines(env, trigger), dedupKey, eventTime.settings(), mode, trigger);
    }
}
