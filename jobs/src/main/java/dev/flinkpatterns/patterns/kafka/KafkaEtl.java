package dev.flinkpatterns.patterns.kafka;

import dev.flinkpatterns.core.Api;
import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.ProcessingClock;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.FileSources;
import dev.flinkpatterns.io.KafkaRecord;
import dev.flinkpatterns.io.ReaderOptions;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.io.SourceLine;
import dev.flinkpatterns.parse.ParseOrDeadLetter;
import dev.flinkpatterns.table.RowFilter;
import dev.flinkpatterns.parse.RowJsonParser;
import dev.flinkpatterns.patterns.sql.SqlRows;
import dev.flinkpatterns.run.PatternOutputs;
import dev.flinkpatterns.sql.SqlEnvironments;
import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.table.ResultTable;
import dev.flinkpatterns.table.SortKeys;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.functions.ScalarFunction;
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

    public static final RowSchema RESULT_SCHEMA = withProcessedTime(SCHEMA);

    private KafkaEtl() {}

    public static PatternOutputs etl(DataStream<KafkaRecord> records, Api api, ProcessingClock clock, OutputMode mode,
            Trigger trigger) {
        DataStream<SourceLine> values = KafkaRecord.lines(records);
        var parsed = ParseOrDeadLetter.parse(values, new RowJsonParser(SCHEMA), SCHEMA.rowType());
        int id = SCHEMA.indexOf("id");
        RowFilter active = RowFilter.parse("status=active", SCHEMA);
        RowKey byId = row -> SortKeys.zeroPadded((Long) row.getField(id), 19);
        if (api == Api.SQL) {
            DataStream<Row> keyed = parsed.records().map(row -> Row.join(row, Row.of(byId.of(row))))
                    .returns(FileSources.withOrderKey(SCHEMA).rowType())
                    .setParallelism(values.getParallelism()).name("keyed by id").uid("etl-keyed-rows");
            return sql(keyed, SCHEMA, active, clock, mode, trigger, parsed.deadLetters());
        }
        DataStream<Row> kept = parsed.records().filter(row -> active.passes(row, SCHEMA))
                .setParallelism(values.getParallelism()).name("status == active").uid("active");
        return processed(kept, SCHEMA, byId, clock, mode, trigger, parsed.deadLetters());
    }

    /**
     * The same over the user's record values: {@code from_json(value, schema)} (or CSV) as {@code reader} says, then
     * {@code filter(...)} as {@code where} says ({@link RowFilter#ALL}: every record), then {@code processed_time}; a batch lists
     * the records in the topics' order.
     */
    public static PatternOutputs etl(DataStream<KafkaRecord> records, ReaderOptions reader, RowFilter where, Api api,
            ProcessingClock clock, OutputMode mode, Trigger trigger) {
        DataStream<SourceLine> values = KafkaRecord.lines(records);
        RowSchema schema = reader.rowSchema();
        var parsed = FileSources.positionedRows(values, reader, List.of());
        if (api == Api.SQL) {
            return sql(parsed.records(), schema, where, clock, mode, trigger, parsed.deadLetters());
        }
        DataStream<Row> kept = parsed.records();
        if (where != RowFilter.ALL) {
            kept = kept.filter(row -> where.passes(row, schema)).setParallelism(values.getParallelism())
                    .name("where " + where).uid("active");
        }
        int orderKey = schema.size();
        return processed(kept, schema, row -> (String) row.getField(orderKey), clock, mode, trigger, parsed.deadLetters());
    }

    /** The SQL name of {@link ProcessedTime}: Spark's {@code current_timestamp()} from the job's clock. */
    static final String PROCESSED_TIME_FUNCTION = "processing_clock";

    /**
     * {@code SELECT *, processing_clock() AS processed_time FROM records WHERE ...}: the filter and the added column
     * as one query over {@code schema}'s columns; the order key stays last, as {@link SqlRows#positioned} reads it.
     */
    static String sqlQuery(RowSchema schema, RowFilter where) {
        String columns = schema.names().stream().map(column -> "`" + column.replace("`", "``") + "`")
                .collect(Collectors.joining(", "));
        return "SELECT " + columns + ", " + PROCESSED_TIME_FUNCTION + "() AS processed_time, " + FileSources.ORDER_KEY
                + "\nFROM records" + (where == RowFilter.ALL ? "" : "\nWHERE " + where.sql(schema));
    }

    /** {@code positioned} (rows of {@code schema}, each with its key last) as the view {@code records}, and {@link #sqlQuery}. */
    private static PatternOutputs sql(DataStream<Row> positioned, RowSchema schema, RowFilter where,
            ProcessingClock clock, OutputMode mode, Trigger trigger, DataStream<dev.flinkpatterns.io.DeadLetter> deadLetters) {
        StreamTableEnvironment tables = SqlEnvironments.on(positioned.getExecutionEnvironment());
        tables.createTemporarySystemFunction(PROCESSED_TIME_FUNCTION, new ProcessedTime(clock));
        tables.createTemporaryView("records", SqlEnvironments.typedView(tables, positioned,
                FileSources.withOrderKey(schema)));
        RowSchema result = withProcessedTime(schema);
        DataStream<Change> changes = SqlRows.positioned(tables, tables.sqlQuery(sqlQuery(schema, where)), result,
                "etl-rows");
        return new PatternOutputs(new ResultTable(changes, result, mode, trigger), deadLetters);
    }

    /**
     * The processing time as a SQL function, from the clock the DataStream variant reads: TIMESTAMP(3), as that
     * variant's {@code processed_time}. Not deterministic, so the planner calls it for every row.
     */
    public static final class ProcessedTime extends ScalarFunction {
        private final ProcessingClock clock;

        public ProcessedTime(ProcessingClock clock) {
            this.clock = clock;
        }

        public @DataTypeHint("TIMESTAMP(3)") LocalDateTime eval() {
            return RowSchema.toTime(clock.currentTimeMillis());
        }

        @Override
        public boolean isDeterministic() {
            return false;
        }
    }

    @FunctionalInterface
    private interface RowKey extends java.io.Serializable {
        String of(Row row);
    }

    private static PatternOutputs processed(DataStream<Row> rows, RowSchema schema, RowKey key, ProcessingClock clock,
            OutputMode mode, Trigger trigger, DataStream<dev.flinkpatterns.io.DeadLetter> deadLetters) {
        RowSchema result = withProcessedTime(schema);
        int columns = schema.size();
        DataStream<Change> changes = rows.map(row -> {
                    List<Object> cells = new ArrayList<>(columns + 1);
                    for (int i = 0; i < columns; i++) {
                        cells.add(row.getField(i));
                    }
                    cells.add(RowSchema.toTime(clock.currentTimeMillis()));
                    return new Change(key.of(row), cells);
                })
                .returns(TypeInformation.of(Change.class))
                .setParallelism(rows.getParallelism())
                .name("processed_time")
                .uid("etl-rows");
        return new PatternOutputs(new ResultTable(changes, result, mode, trigger), deadLetters);
    }

    /** The columns, then {@code processed_time} (Spark's {@code withColumn("processed_time", current_timestamp())}). */
    public static RowSchema withProcessedTime(RowSchema schema) {
        return new RowSchema(java.util.stream.Stream.concat(schema.columns().stream(),
                java.util.stream.Stream.of(RowSchema.Column.nullable("processed_time", RowSchema.Type.TIMESTAMP))).toList());
    }
}
