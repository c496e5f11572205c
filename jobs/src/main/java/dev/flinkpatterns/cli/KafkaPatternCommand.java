package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.KafkaRecord;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Mixin;

/** A pattern over the records of Kafka topics, row by row (no aggregation): Spark's Kafka source options. */
abstract class KafkaPatternCommand extends PatternCommand {

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
    void checkServices() {
        source.checkReachable(streaming.kafkaConnection, patternName(), streaming.trigger);
    }

    /** The records of the subscribed topics (see {@link KafkaSourceOptions#records}). */
    DataStream<KafkaRecord> records(StreamExecutionEnvironment env, Trigger trigger) {
        return source.records(env, streaming.kafkaConnection, patternName(), trigger);
    }
}
