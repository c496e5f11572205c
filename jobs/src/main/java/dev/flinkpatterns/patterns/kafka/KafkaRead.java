package dev.flinkpatterns.patterns.kafka;

import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.KafkaRecord;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.parse.ParseOrDeadLetter;
import dev.flinkpatterns.parse.Timestamps;
import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.table.ResultTable;
import dev.flinkpatterns.table.SortKeys;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * {@code kafka-read}: the guide's {@code 03_kafka_streaming.py}, Spark's Kafka source as a table: key and value as
 * strings ({@code CAST(key AS STRING), CAST(value AS STRING)}), topic, partition, offset and timestamp. With
 * {@code --sink kafka --kafka-key key --kafka-value value} it copies one topic to another, exactly once.
 */
public final class KafkaRead {

    /** Spark's Kafka source columns (key and value cast to strings). */
    public static final RowSchema SCHEMA = RowSchema.of(
            RowSchema.Column.nullable("key", RowSchema.Type.STRING),
            RowSchema.Column.nullable("value", RowSchema.Type.STRING),
            RowSchema.Column.nullable("topic", RowSchema.Type.STRING),
            RowSchema.Column.nullable("partition", RowSchema.Type.INT),
            RowSchema.Column.nullable("offset", RowSchema.Type.LONG),
            RowSchema.Column.nullable("timestamp", RowSchema.Type.TIMESTAMP));

    private KafkaRead() {}

    public static ResultTable records(DataStream<KafkaRecord> records, OutputMode mode, Trigger trigger) {
        DataStream<Change> rows = records.map(new CountedRows())
                .returns(TypeInformation.of(Change.class))
                .setParallelism(records.getParallelism())
                .name("as table rows")
                .uid("kafka-rows");
        return new ResultTable(rows, SCHEMA, mode, trigger);
    }

    /** Each record as a row, counted in records read (metric, and the accumulator of the progress line). */
    private static final class CountedRows extends RichMapFunction<KafkaRecord, Change> {
        private transient Counter recordsReadMetric;
        private transient LongCounter recordsRead;

        @Override
        public void open(OpenContext openContext) {
            recordsReadMetric = getRuntimeContext().getMetricGroup().counter(ParseOrDeadLetter.RECORDS_READ);
            recordsRead = getRuntimeContext().getLongCounter(ParseOrDeadLetter.RECORDS_READ);
        }

        @Override
        public Change map(KafkaRecord record) {
            recordsReadMetric.inc();
            recordsRead.add(1);
            return row(record);
        }
    }

    /** Keyed by position, so a batch lists records by topic, partition and offset. */
    static Change row(KafkaRecord record) {
        String position = record.topic() + '\u0000' + SortKeys.zeroPadded(record.partition(), 6) + '\u0000'
                + SortKeys.zeroPadded(record.offset(), 19);
        return new Change(position, Arrays.asList(record.key(), record.value(), record.topic(),
                record.partition(), record.offset(), RowSchema.toTime(record.timestamp())));
    }
}
