package dev.flinkpatterns.patterns.kafka;

import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.ProcessingClock;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.KafkaRecord;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.io.SourceLine;
import dev.flinkpatterns.parse.ParseOrDeadLetter;
import dev.flinkpatterns.parse.RowJsonParser;
import dev.flinkpatterns.parse.Timestamps;
import dev.flinkpatterns.run.PatternOutputs;
import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.table.ResultTable;
import dev.flinkpatterns.table.SortKeys;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.types.Row;

/**
 * {@code kafka-etl}: the guide's Pattern 1, ETL from Kafka. {@code from_json(value, schema)} with an explicit schema
 * (a record that does not fit is a dead letter with its topic, partition, offset, text and reason), then
 * {@code filter(status == "active")} and {@code withColumn("processed_time", current_timestamp())}. Written with
 * {@code --sink parquet --partition-by timestamp} it is the guide's Parquet load partitioned by date (and hour).
 */
public final class KafkaEtl {

    public static final RowSchema SCHEMA = RowSchema.of(
            RowSchema.Column.required("timestamp", RowSchema.Type.TIMESTAMP),
            RowSchema.Column.required("id", RowSchema.Type.LONG),
            RowSchema.Column.required("user_id", RowSchema.Type.INT),
            RowSchema.Column.required("status", RowSchema.Type.STRING),
            RowSchema.Column.required("amount", RowSchema.Type.DOUBLE));

    public static final RowSchema RESULT_SCHEMA = new RowSchema(java.util.stream.Stream.concat(SCHEMA.columns().stream(),
            java.util.stream.Stream.of(RowSchema.Column.nullable("processed_time", RowSchema.Type.TIMESTAMP))).toList());

    private static final int STATUS = SCHEMA.indexOf("status");

    private KafkaEtl() {}

    public static PatternOutputs etl(DataStream<KafkaRecord> records, ProcessingClock clock, OutputMode mode,
            Trigger trigger) {
        DataStream<SourceLine> values = KafkaRecord.lines(records);
        var parsed = ParseOrDeadLetter.parse(values, new RowJsonParser(SCHEMA), SCHEMA.rowType());
        DataStream<Change> active = parsed.records()
                .filter(row -> "active".equals(row.getField(STATUS)))
                .setParallelism(values.getParallelism())
                .name("status == active")
                .uid("active")
                .map(row -> toChange(row, clock.currentTimeMillis()))
                .returns(TypeInformation.of(Change.class))
                .setParallelism(values.getParallelism())
                .name("processed_time")
                .uid("etl-rows");
        return new PatternOutputs(new ResultTable(active, RESULT_SCHEMA, mode, trigger), parsed.deadLetters());
    }

    /** Keyed by id: a batch lists the records in id order. */
    private static Change toChange(Row row, long processedAt) {
        List<Object> cells = new ArrayList<>(RESULT_SCHEMA.size());
        for (int i = 0; i < SCHEMA.size(); i++) {
            cells.add(row.getField(i));
        }
        cells.add(RowSchema.toTime(processedAt));
        return new Change(SortKeys.zeroPadded((Long) row.getField(SCHEMA.indexOf("id")), 19), cells);
    }
}
