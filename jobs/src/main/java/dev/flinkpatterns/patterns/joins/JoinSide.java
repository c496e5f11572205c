package dev.flinkpatterns.patterns.joins;

import dev.flinkpatterns.io.ReaderOptions;
import dev.flinkpatterns.io.RowSchema;
import java.io.Serializable;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import org.apache.flink.types.Row;

/**
 * One input of a stream-stream join, as data: its table name and SQL alias, the schema of its files and how they are
 * read, its event-time, id and join-key columns, where its files are and the watermark delay of the guide.
 *
 * @param table the name of the input (and of its SQL view), e.g. {@code clicks}
 * @param alias the table's alias in the SQL, e.g. {@code c}
 * @param idColumn the column that tells rows apart at the same time (orders a result batch)
 */
public record JoinSide(String table, String alias, RowSchema schema, String timeColumn, String idColumn,
        String keyColumn, String defaultInput, Duration defaultWatermark, ReaderOptions reader) implements Serializable {

    /** A side of CSV files of {@code schema}, read with Spark's defaults. */
    public JoinSide(String table, String alias, RowSchema schema, String timeColumn, String idColumn, String keyColumn,
            String defaultInput, Duration defaultWatermark) {
        this(table, alias, schema, timeColumn, idColumn, keyColumn, defaultInput, defaultWatermark,
                ReaderOptions.of(ReaderOptions.Format.CSV, schema));
    }

    public JoinSide {
        if (!reader.rowSchema().equals(schema)) {
            throw new IllegalArgumentException("the reader's schema is not the schema of " + table);
        }
        for (String column : new String[] {timeColumn, idColumn, keyColumn}) {
            if (schema.indexOf(column) < 0) {
                throw new IllegalArgumentException(column + " is not a column of " + table);
            }
        }
        if (schema.column(schema.indexOf(timeColumn)).type() != RowSchema.Type.TIMESTAMP) {
            throw new IllegalArgumentException(timeColumn + " of " + table + " is not a timestamp");
        }
    }

    /**
     * The user's own files as this side, named {@code newTable} (its SQL view, the prefix of a right column named as
     * a left one) with SQL alias {@code newAlias}: read as {@code files} say, its time and key any columns of their
     * schema (the time a TIMESTAMP one); rows at the same time are ordered by the key.
     */
    public JoinSide reading(String newTable, String newAlias, ReaderOptions files, String time, String key) {
        return new JoinSide(newTable, newAlias, files.rowSchema(), time, key, key, defaultInput, defaultWatermark, files);
    }

    /** The columns a row needs: one without a time or a key is a dead letter. */
    public List<String> required() {
        return List.of(timeColumn, keyColumn);
    }

    public int timeIndex() {
        return schema.indexOf(timeColumn);
    }

    /** The row's event time in epoch milliseconds (the time column is required, never null). */
    public long millis(Row row) {
        return RowSchema.millis((LocalDateTime) row.getField(timeIndex()));
    }

    public String key(Row row) {
        return String.valueOf(row.getField(schema.indexOf(keyColumn)));
    }

    public String id(Row row) {
        return String.valueOf(row.getField(schema.indexOf(idColumn)));
    }
}
