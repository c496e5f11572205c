package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.patterns.kafka.KafkaRead;
import dev.flinkpatterns.run.PatternOutputs;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;

@Command(name = "kafka-read", mixinStandardHelpOptions = true,
        description = {"Read Kafka topics as a table of records (append mode).",
                "Spark's readStream.format(\"kafka\"): key and value as strings, topic, partition, offset, timestamp. "
                        + "With --sink kafka --output-topic T --kafka-key key --kafka-value value it copies the records "
                        + "to T exactly once (the guide's 03_kafka_streaming.py)."})
class KafkaReadCommand extends KafkaPatternCommand {

    @Override
    PatternOutputs define(StreamExecutionEnvironment env, OutputMode mode, Trigger trigger) {
        return PatternOutputs.withoutDeadLetters(
                KafkaRead.records(records(env, trigger), mode, trigger));
    }
}
