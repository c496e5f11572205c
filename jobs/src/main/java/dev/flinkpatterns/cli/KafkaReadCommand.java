package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.Api;
import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.io.KafkaRecord;
import dev.flinkpatterns.io.RowInput;
import dev.flinkpatterns.patterns.csv.CsvPatterns;
import dev.flinkpatterns.patterns.kafka.KafkaRead;
import dev.flinkpatterns.run.PatternOutputs;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;

@Command(name = "kafka-read", mixinStandardHelpOptions = true,
        description = {"Read Kafka topics as a table of records (append mode).",
                "Spark's readStream.format(\"kafka\"): key and value as strings, topic, partition, offset, timestamp. "
                        + "With --sink kafka --output-topic T --kafka-key key --kafka-value value it copies the records "
                        + "to T exactly once (the guide's 03_kafka_streaming.py). With --format and --schema, the "
                        + "values as rows of the schema: Spark's select(from_json(col(\"value\"), schema).alias(\"data\"))"
                        + ".select(\"data.*\"); a value that does not fit is a dead letter."})
class KafkaReadCommand extends KafkaPatternCommand {

    @Override
    void validate() {
        super.validate();
        if (valueReader != null && api == Api.SQL) {
            throw new UsageException("--api sql reads the records as Spark's Kafka source columns; for the values as rows "
                    + "of --schema in SQL use: patterns sql --source NAME=kafka:TOPIC --schema ...");
        }
    }

    @Override
    PatternOutputs define(StreamExecutionEnvironment env, OutputMode mode, Trigger trigger) {
        if (valueReader != null) {
            return CsvPatterns.rawRows(RowInput.ofLines(KafkaRecord.lines(records(env, trigger)), valueReader), mode,
                    trigger);
        }
        return PatternOutputs.withoutDeadLetters(switch (api) {
            case DATASTREAM -> KafkaRead.records(records(env, trigger), mode, trigger);
            case SQL -> KafkaRead.sql(records(env, trigger), mode, trigger);
        });
    }
}
