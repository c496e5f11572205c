package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.ProcessingClock;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.patterns.kafka.KafkaEtl;
import dev.flinkpatterns.run.PatternOutputs;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "kafka-etl", mixinStandardHelpOptions = true,
        description = {"ETL from Kafka JSON: parse, keep active records, add processed_time (the guide's Pattern 1).",
                "from_json with an explicit schema (timestamp, id, user_id, status, amount; generate kafka --kind status "
                        + "writes such records); a record that does not fit goes to the dead letters with its topic, "
                        + "partition, offset and text. With --sink parquet --partition-by timestamp: the guide's Parquet "
                        + "load, partitioned by date, exactly once."})
class KafkaEtlCommand extends PatternCommand {

    @Mixin
    KafkaSourceOptions source;

    @Override
    OutputMode.Query query() {
        return OutputMode.Query.NO_AGGREGATION;
    }

    @Override
    void validate() {
        source.validate();
    }

    @Override
    PatternOutputs define(StreamExecutionEnvironment env, OutputMode mode, Trigger trigger) {
        return KafkaEtl.etl(source.records(env, streaming.kafkaConnection, patternName(), trigger), ProcessingClock.SYSTEM,
                mode, trigger);
    }
}
