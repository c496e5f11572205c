package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.ProcessingClock;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.patterns.kafka.KafkaEtl;
import dev.flinkpatterns.run.PatternOutputs;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;

@Command(name = "kafka-etl", mixinStandardHelpOptions = true,
        description = {"ETL from Kafka JSON: parse, keep active records, add processed_time (the guide's Pattern 1).",
                "from_json with an explicit schema (timestamp, id, user_id, status, amount; generate kafka --kind status "
                        + "writes such records); a record that does not fit goes to the dead letters with its topic, "
                        + "partition, offset and text. With --sink parquet --partition-by timestamp: the guide's Parquet "
                        + "load, partitioned by date, exactly once."})
class KafkaEtlCommand extends KafkaPatternCommand {

    @Override
    PatternOutputs define(StreamExecutionEnvironment env, OutputMode mode, Trigger trigger) {
        return KafkaEtl.etl(records(env, trigger), ProcessingClock.SYSTEM, mode, trigger);
    }
}
