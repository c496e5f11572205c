package dev.flinkpatterns.table;

import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.RowSchema;
import java.util.ArrayList;
import java.util.List;
import dev.flinkpatterns.combine.CountPerKey;
import dev.flinkpatterns.combine.LocalCombine;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.types.Row;

/** Shared building blocks of result tables: Spark's {@code groupBy(x).count()} and the micro-batching of any table. */
public final class ResultTables {

    private ResultTables() {}

    /**
     * {@code groupBy(key).count()}: a running count per key, as changes of the rows {@code (key, count)}. Under
     * the continuous trigger every input element changes its row at once; under the others rows are first
     * counted in memory where they are read (see {@link LocalCombine}), so a row changes once per flush.
     */
    public static DataStream<Change> countByKey(DataStream<String> keys, String name, Trigger trigger) {
        TypeInformation<Tuple2<String, Long>> pairType = Types.TUPLE(Types.STRING, Types.LONG);
        DataStream<Tuple2<String, Long>> pairs = trigger.kind() == Trigger.Kind.CONTINUOUS
                ? keys.map(key -> Tuple2.of(key, 1L)).returns(pairType).name("to " + name + " pairs").uid(name + "-pairs")
                : LocalCombine.combine(keys, new CountPerKey(), pairType, "count " + name + " locally", name + "-local-count");
        return pairs.keyBy(pair -> pair.f0, Types.STRING)
                .sum(1)
                .name("count by " + name)
                .uid(name + "-count")
                .map(count -> Change.of(count.f0, count.f0, count.f1))
                .name("as table rows")
                .uid(name + "-rows");
    }

    /**
     * A row of {@code schema} with a last field, its order key ({@code FileSources.positionedRows}), as a table row
     * under that key with the schema's columns.
     */
    public static MapFunction<Row, Change> positionedRow(RowSchema schema) {
        int orderKey = schema.size();
        return row -> {
            List<Object> cells = new ArrayList<>(orderKey);
            for (int i = 0; i < orderKey; i++) {
                cells.add(row.getField(i));
            }
            return new Change((String) row.getField(orderKey), cells);
        };
    }

    /** The columns of {@link #countByKey}: the key as a string, the count as Spark's bigint. */
    public static RowSchema countSchema(String name) {
        return RowSchema.of(RowSchema.Column.nullable(name, RowSchema.Type.STRING),
                RowSchema.Column.nullable("count", RowSchema.Type.LONG));
    }

    /**
     * The result table's micro-batches for an output mode and trigger (see {@link MicroBatcher}); in append mode
     * each batch keeps its first {@code rowLimit} rows only.
     */
    public static DataStream<ResultBatch> microBatches(
            DataStream<Change> changes, List<String> columns, OutputMode mode, Trigger trigger, int rowLimit) {
        return changes.keyBy(change -> MicroBatcher.KEY, Types.INT)
                .process(new MicroBatcher(mode, columns, trigger, rowLimit))
                .setParallelism(1)
                .name("micro-batches (" + mode.cliName() + ", trigger " + trigger + ")")
                .uid("micro-batches");
    }
}
