package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.Kafka;
import dev.flinkpatterns.io.KafkaRecord;
import dev.flinkpatterns.io.KafkaSettings;
import dev.flinkpatterns.io.Throttle;
import dev.flinkpatterns.patterns.kafka.KafkaRead;
import dev.flinkpatterns.run.PatternOutputs;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "kafka-read", mixinStandardHelpOptions = true,
        description = {"Read Kafka topics as a table of records (append mode).",
                "Spark's readStream.format(\"kafka\"): key and value as strings, topic, partition, offset, timestamp. "
                        + "With --sink kafka --output-topic T --kafka-key key --kafka-value value it copies the records "
                        + "to T exactly once (the guide's 03_kafka_streaming.py)."})
class KafkaReadCommand extends PatternCommand {

    @Mixin
    KafkaSourceOptions source;

    @Override
    OutputMode.Query query() {
        return OutputMode.Query.NO_AGGREGATION;
    }

    @Override
    void validate() {
        source.validate();
        Kafka.startingOffsets(source.startingOffsets, source.failOnDataLoss); // refuses a bad value before starting
    }

    @Override
    PatternOutputs define(StreamExecutionEnvironment env, OutputMode mode, Trigger trigger) {
        KafkaConnectionOptions connection = streaming.kafkaConnection;
        KafkaSettings settings = new KafkaSettings(connection.bootstrapServers(), source.topics, source.topicPattern,
                source.startingOffsets, source.groupId == null ? patternName() : source.groupId, source.failOnDataLoss,
                source.maxRowsPerSecond, connection.clientProperties(), KafkaSettings.DEFAULT_TRANSACTION_TIMEOUT);
        Kafka.checkReachable(settings, trigger.isBounded());
        DataStream<KafkaRecord> records = env.fromSource(Kafka.source(settings, trigger.isBounded()),
                        WatermarkStrategy.noWatermarks(), "kafka " + settings)
                .uid("kafka-source");
        return PatternOutputs.withoutDeadLetters(
                KafkaRead.records(Throttle.perSecond(records, source.maxRowsPerSecond), mode, trigger));
    }
}
