package dev.flinkpatterns.patterns.kafka;

import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.FileSources;
import dev.flinkpatterns.io.KafkaRecord;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.parse.ParseOrDeadLetter;
import dev.flinkpatterns.parse.Timestamps;
import dev.flinkpatterns.patterns.sql.SqlRows;
import dev.flinkpatterns.sql.SqlEnvironments;
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
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.function.SerializableFunction;

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
        DataStream<Change> rows = records.map(new Counted<>(KafkaRead::row))
                .returns(TypeInformation.of(Change.class))
                .setParallelism(records.getParallelism())
                .name("as table rows")
                .uid("kafka-rows");
        return new ResultTable(rows, SCHEMA, mode, trigger);
    }

    /** The view {@code records} of {@link #sql}: Spark's Kafka source columns and each record's position. */
    static final RowSchema RECORDS_VIEW = FileSources.withOrderKey(SCHEMA);

    /**
     * Spark's {@code selectExpr("CAST(key AS STRING)", "CAST(value AS STRING)", "topic", "partition", "offset",
     * "timestamp")} as Flink SQL over the view {@code records}, and the position, which keys the rows.
     */
    static final String QUERY = """
            SELECT CAST(`key` AS STRING) AS `key`, CAST(`value` AS STRING) AS `value`, `topic`, `partition`, `offset`,
                   `timestamp`, _order_key
            FROM records""";

    /** The same rows, with the same keys, from {@link #QUERY}: the records as a view, the query, and back. */
    public static ResultTable sql(DataStream<KafkaRecord> records, OutputMode mode, Trigger trigger) {
        DataStream<Row> rows = records.map(new Counted<>(KafkaRead::viewRow))
                .returns(RECORDS_VIEW.rowType())
                .setParallelism(records.getParallelism())
                .name("as rows")
                .uid("kafka-records");
        StreamTableEnvironment tables = SqlEnvironments.on(records.getExecutionEnvironment());
        tables.createTemporaryView("records", SqlEnvironments.typedView(tables, rows, RECORDS_VIEW));
        return new ResultTable(SqlRows.positioned(tables, tables.sqlQuery(QUERY), SCHEMA, "kafka-rows"), SCHEMA,
                mode, trigger);
    }

    /** Each record as {@code as}, counted in records read (metric, and the accumulator of the progress line). */
    private static final class Counted<T> extends RichMapFunction<KafkaRecord, T> {
        private final SerializableFunction<KafkaRecord, T> as;
        private transient Counter recordsReadMetric;
        private transient LongCounter recordsRead;

        Counted(SerializableFunction<KafkaRecord, T> as) {
            this.as = as;
        }

        @Override
        public void open(OpenContext openContext) {
            recordsReadMetric = getRuntimeContext().getMetricGroup().counter(ParseOrDeadLetter.RECORDS_READ);
            recordsRead = getRuntimeContext().getLongCounter(ParseOrDeadLetter.RECORDS_READ);
        }

        @Override
        public T map(KafkaRecord record) {
            recordsReadMetric.inc();
            recordsRead.add(1);
            return as.apply(record);
        }
    }

    /** Keyed by position, so a batch lists records by topic, partition and offset. */
    static Change row(KafkaRecord record) {
        return new Change(position(record), Arrays.asList(record.key(), record.value(), record.topic(),
                record.partition(), record.offset(), RowSchema.toTime(record.timestamp())));
    }

    /** A row of the view {@link #RECORDS_VIEW}: the columns of {@link #row}, then its key. */
    private static Row viewRow(KafkaRecord record) {
        return Row.of(record.key(), record.value(), record.topic(), record.partition(), record.offset(),
                RowSchema.toTime(record.timestamp()), position(record));
    }

    private static String position(KafkaRecord record) {
        return record.topic() + '\u0000' + SortKeys.zeroPadded(record.partition(), 6) + '\u0000'
                + SortKeys.zeroPadded(record.offset(), 19);
    }
}
