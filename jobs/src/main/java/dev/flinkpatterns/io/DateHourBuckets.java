package dev.flinkpatterns.io;

import dev.flinkpatterns.parse.MalformedRecordException;
import dev.flinkpatterns.parse.Timestamps;
import java.time.LocalDateTime;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;
import org.apache.flink.types.Row;

/**
 * Spark's {@code partitionBy("date", "hour")}: a row goes to {@code date=YYYY-MM-DD/hour=HH} of its own time (a
 * timestamp column, or a string column holding timestamps such as a result table's {@code window_start}), in UTC.
 * The row's time, not the wall clock, so a replay after a failure writes every row to the same directory again.
 * A null or unreadable time goes to Spark's {@code __HIVE_DEFAULT_PARTITION__}.
 */
final class DateHourBuckets implements BucketAssigner<Row, String> {

    private final int timeColumn;

    DateHourBuckets(int timeColumn) {
        this.timeColumn = timeColumn;
    }

    @Override
    public String getBucketId(Row row, Context context) {
        return bucketOf(row.getField(timeColumn));
    }

    static String bucketOf(Object time) {
        LocalDateTime at;
        if (time instanceof LocalDateTime local) {
            at = local;
        } else if (time instanceof String text) {
            try {
                at = RowSchema.toTime(Timestamps.parseMillis(text));
            } catch (MalformedRecordException e) {
                at = null;
            }
        } else {
            at = null;
        }
        if (at == null) {
            return "date=" + RowSchema.DEFAULT_PARTITION + "/hour=" + RowSchema.DEFAULT_PARTITION;
        }
        return "date=" + at.toLocalDate() + "/hour=" + (at.getHour() < 10 ? "0" : "") + at.getHour();
    }

    @Override
    public SimpleVersionedSerializer<String> getSerializer() {
        return SimpleVersionedStringSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "DateHourBuckets(column " + timeColumn + ")";
    }
}
