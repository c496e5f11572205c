package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.Api;
import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.io.KafkaRecord;
import dev.flinkpatterns.io.ReaderOptions;
import dev.flinkpatterns.io.ReaderOptions.Format;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A pattern over the records of Kafka topics, row by row (no aggregation): Spark's Kafka source options, and the
 * record values read as rows of a schema (Spark's {@code from_json(value, schema)}) with the reader options.
 */
abstract class KafkaPatternCommand extends PatternCommand {

    @Mixin
    KafkaSourceOptions source;

    @Mixin
    ReaderOptionsMixin value;

    @Option(names = "--api", paramLabel = "API", converter = Converters.ApiConverter.class,
            description = "datastream or sql: the same rows from the DataStream API or from one Flink SQL query over "
                    + "the records. Default: datastream.")
    Api api = Api.DATASTREAM;

    /** How the record values are read when the reader options are given; null: the pattern's own way. */
    ReaderOptions valueReader;

    @Override
    OutputMode.Query query() {
        return OutputMode.Query.NO_AGGREGATION;
    }

    @Override
    void validate() {
        source.validate();
        if (value.given()) {
            valueReader = valueReader(value, CliContext.of(spec));
        }
    }

    /** The refusal of Parquet for Kafka record values. */
    static final String PARQUET_VALUES = "--format parquet: a record value is one line of json, csv or text";

    /** The reader options of record values: a line format (json by default); a schema that samples files is refused. */
    static ReaderOptions valueReader(ReaderOptionsMixin value, CliContext context) {
        if ("infer".equalsIgnoreCase(value.schema)) {
            throw new UsageException("--schema infer samples files; give the schema of the record values");
        }
        ReaderOptions options = value.resolve(null, Format.JSON, null, context.err());
        if (options.format() == Format.PARQUET) {
            throw new UsageException(PARQUET_VALUES);
        }
        return options;
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
