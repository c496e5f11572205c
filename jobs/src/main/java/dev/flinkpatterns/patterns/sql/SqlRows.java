package dev.flinkpatterns.patterns.sql;

import dev.flinkpatterns.io.FileSources;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.table.KeyCells;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.Collector;

/**
 * The SQL variant of a pattern ({@code --api sql}) as the same result table as its DataStream variant: the query's
 * rows become changes with the keys the DataStream variant gives them, so both variants' batches are equal.
 */
public final class SqlRows {

    private SqlRows() {}

    /**
     * An insert-only query whose last column is {@value FileSources#ORDER_KEY} (where its row was read): each row
     * keyed by it, so a batch lists the rows in the files' order, as {@code ResultTables.positionedRow} does.
     */
    public static DataStream<Change> positioned(StreamTableEnvironment tables, Table result, RowSchema schema,
            String uid) {
        int orderKey = schema.size();
        return tables.toDataStream(result)
                .map(row -> new Change((String) row.getField(orderKey), ResultRows.cells(row, schema)),
                        TypeInformation.of(Change.class))
                .name("as table rows").uid(uid);
    }

    /**
     * An updating query (a GROUP BY) whose first {@code keyColumns} columns are its group key: each added or updated
     * row replaces the row of its key (keyed as {@link KeyCells#join}, as the DataStream counts key their rows), a
     * deleted row deletes it. Flink's retraction of the old value ({@code -U}) is left out: its {@code +U} replaces it.
     */
    public static DataStream<Change> upserts(StreamTableEnvironment tables, Table result, RowSchema schema,
            int keyColumns, String uid) {
        return tables.toChangelogStream(result)
                .flatMap((Row row, Collector<Change> out) -> {
                    List<Object> cells = ResultRows.cells(row, schema);
                    String key = KeyCells.join(cells.subList(0, keyColumns));
                    if (row.getKind() == RowKind.INSERT || row.getKind() == RowKind.UPDATE_AFTER) {
                        out.collect(new Change(key, cells));
                    } else if (row.getKind() == RowKind.DELETE) {
                        out.collect(Change.delete(key));
                    }
                }, TypeInformation.of(Change.class))
                .name("as table rows").uid(uid);
    }

    /** The query's columns as a typed schema (every column nullable, as Spark's result columns). */
    public static RowSchema schema(Table result) {
        return ResultRows.schema(result.getResolvedSchema());
    }
}
