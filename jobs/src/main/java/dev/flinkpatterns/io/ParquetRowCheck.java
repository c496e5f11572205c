package dev.flinkpatterns.io;

import dev.flinkpatterns.parse.ParseOrDeadLetter;
import java.util.List;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;

/**
 * What {@link ParseOrDeadLetter} is for lines, for Parquet rows (typed by the reader, so only required columns
 * can fail): counts every row read, and sends a row with a null in a required column to the dead letters, as JSON
 * with the input directory and line 0 (a Parquet row has no line). With {@code positioned}, each row kept gets a
 * last field, its order key ({@link FileSources#ORDER_KEY}).
 */
final class ParquetRowCheck extends ProcessFunction<Row, Row> {

    private final RowSchema schema;
    private final int[] requiredIndexes;
    private final String source;
    private final boolean positioned;
    private transient long rowNumber;
    private transient Counter deadLetterMetric;
    private transient LongCounter deadLetterTotal;
    private transient Counter recordsReadMetric;
    private transient LongCounter recordsRead;

    ParquetRowCheck(RowSchema schema, List<String> required, String source, boolean positioned) {
        this.schema = schema;
        this.requiredIndexes = required.stream().mapToInt(schema::indexOf).toArray();
        this.source = source;
        this.positioned = positioned;
    }

    @Override
    public void open(OpenContext openContext) {
        deadLetterMetric = getRuntimeContext().getMetricGroup().counter(ParseOrDeadLetter.DEAD_LETTERS);
        deadLetterTotal = getRuntimeContext().getLongCounter(ParseOrDeadLetter.DEAD_LETTERS);
        recordsReadMetric = getRuntimeContext().getMetricGroup().counter(ParseOrDeadLetter.RECORDS_READ);
        recordsRead = getRuntimeContext().getLongCounter(ParseOrDeadLetter.RECORDS_READ);
    }

    @Override
    public void processElement(Row row, Context ctx, Collector<Row> out) {
        recordsReadMetric.inc();
        recordsRead.add(1);
        for (int index : requiredIndexes) {
            if (row.getField(index) == null) {
                deadLetterMetric.inc();
                deadLetterTotal.add(1);
                ctx.output(ParseOrDeadLetter.DEAD_LETTER_TAG, new DeadLetter(source, 0, schema.toJson(row),
                        "column " + schema.column(index).name() + " is null"));
                return;
            }
        }
        if (!positioned) {
            out.collect(row);
            return;
        }
        String orderKey = String.format("%05d/%019d", getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(), rowNumber++);
        out.collect(Row.join(row, Row.of(orderKey)));
    }
}
