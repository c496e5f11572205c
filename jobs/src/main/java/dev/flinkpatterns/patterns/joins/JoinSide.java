package dev.flinkpatterns.patterns.joins;

import dev.flinkpatterns.io.RowSchema;
import java.io.Serializable;
import java.time.Duration;
import java.time.LocalDateTime;
import org.apache.flink.types.Row;

/**
 * One input of a stream-stream join, as data: its table name and SQL alias, the CSV schema of its files, its
 * event-time, id and join-key columns, where its files are and the watermark delay of the guide.
 *
 * @param table the name of the input (and of its SQL view), e.g. {@code clicks}
 * @param alias the table's alias in the SQL, e.g. {@code c}
 * @param idColumn the column that tells rows apart at the same time (orders a result batch)
 */
public record JoinSide(String table, String alias, RowSchema schema, String timeColumn, String idColumn,
        String keyColumn, String defaultInput, Duration defaultWatermark) implements Serializable {

    public JoinSide {
        for (String column : new String[] {timeColumn, idColumn, keyColumn}) {
            if (schema.indexOf(column) < 0) {
                throw new IllegalArgumentException(column + " is not a column of " + table);
            }
        }
        if (schema.column(schema.indexOf(timeColumn)).type() != RowSchema.Type.TIMESTAMP) {
            throw new IllegalArgumentException(timeColumn + " of " + table + " is not a timestamp");
        }
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
