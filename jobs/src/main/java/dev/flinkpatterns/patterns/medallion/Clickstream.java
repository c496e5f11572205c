package dev.flinkpatterns.patterns.medallion;

import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.io.RowSchema.Column;
import dev.flinkpatterns.io.RowSchema.Type;
import dev.flinkpatterns.io.SourceLine;
import dev.flinkpatterns.io.filetable.FileTable;
import dev.flinkpatterns.parse.LineParser;
import dev.flinkpatterns.parse.MalformedRecordException;
import dev.flinkpatterns.parse.RowJsonParser;
import dev.flinkpatterns.patterns.windows.Dataset;
import dev.flinkpatterns.patterns.windows.WindowQuery;
import dev.flinkpatterns.patterns.windows.WindowQuery.Aggregate;
import dev.flinkpatterns.patterns.windows.WindowQuery.Output;
import dev.flinkpatterns.patterns.windows.WindowSpec;
import dev.flinkpatterns.time.WatermarkSettings;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.types.Row;

/** The clickstream's tables, bronze to gold, with their explicit schemas (the workshop's module 8). */
public final class Clickstream {

    private Clickstream() {}

    /**
     * Bronze: every line of the raw files as it was, unparsed, so nothing is lost (Spark's {@code value} of the text
     * source), with where it came from (Auto Loader's {@code _metadata.file_path}) and when it was ingested.
     */
    public static final RowSchema BRONZE = RowSchema.of(
            Column.required("value", Type.STRING),
            Column.required("source_file", Type.STRING),
            Column.required("line", Type.LONG),
            Column.required("ingest_time", Type.TIMESTAMP));

    /** A raw clickstream event: {@code event_type} may be null or missing (silver drops such rows). */
    public static final RowSchema EVENT = RowSchema.of(
            Column.required("event_id", Type.STRING),
            Column.required("user_id", Type.LONG),
            Column.nullable("session_id", Type.STRING),
            Column.nullable("event_type", Type.STRING),
            Column.nullable("page_url", Type.STRING),
            Column.nullable("page_category", Type.STRING),
            Column.required("timestamp", Type.STRING),
            Column.required("time_on_page", Type.DOUBLE));

    /** An event after {@code withColumn("parsed_timestamp", to_timestamp(col("timestamp")))}. */
    public static final RowSchema PARSED_EVENT = new RowSchema(java.util.stream.Stream.concat(EVENT.columns().stream(),
            java.util.stream.Stream.of(Column.required("parsed_timestamp", Type.TIMESTAMP))).toList());

    /** The user dimension, one CSV file: {@code user_id,user_segment,country,signup_date}. */
    public static final RowSchema USER_DIM = RowSchema.of(
            Column.required("user_id", Type.LONG),
            Column.nullable("user_segment", Type.STRING),
            Column.nullable("country", Type.STRING),
            Column.nullable("signup_date", Type.STRING));

    /** The user dimension file as a table that follows the file's changes (the join's right side). */
    public static FileTable userDim(String file) {
        return FileTable.csv("user-dim", file, USER_DIM, "user_id");
    }

    /**
     * Silver: an event with {@code parsed_timestamp}, joined with its user ({@code join(user_dim, "user_id")}: the
     * join column first, then the event's columns, then the user's).
     */
    public static final RowSchema SILVER = RowSchema.of(
            Column.required("user_id", Type.LONG),
            Column.required("event_id", Type.STRING),
            Column.nullable("session_id", Type.STRING),
            Column.required("event_type", Type.STRING),
            Column.nullable("page_url", Type.STRING),
            Column.nullable("page_category", Type.STRING),
            Column.required("timestamp", Type.STRING),
            Column.required("time_on_page", Type.DOUBLE),
            Column.required("parsed_timestamp", Type.TIMESTAMP),
            Column.nullable("user_segment", Type.STRING),
            Column.nullable("country", Type.STRING),
            Column.nullable("signup_date", Type.STRING));

    static final int BRONZE_VALUE = BRONZE.indexOf("value");
    static final int BRONZE_SOURCE_FILE = BRONZE.indexOf("source_file");
    static final int BRONZE_LINE = BRONZE.indexOf("line");
    static final int EVENT_TYPE = EVENT.indexOf("event_type");
    static final int EVENT_USER_ID = EVENT.indexOf("user_id");
    /** The event's columns, then {@code parsed_timestamp}: what silver has before the join. */
    static final int PARSED_TIMESTAMP = EVENT.size();

    private static final int SILVER_USER_ID = SILVER.indexOf("user_id");
    private static final int SILVER_PAGE_CATEGORY = SILVER.indexOf("page_category");
    private static final int SILVER_TIME_ON_PAGE = SILVER.indexOf("time_on_page");
    private static final int SILVER_PARSED_TIMESTAMP = SILVER.indexOf("parsed_timestamp");
    private static final int SILVER_USER_SEGMENT = SILVER.indexOf("user_segment");

    /** Silver as the window aggregation reads it: gold's columns. */
    public static final Dataset<Row> SILVER_ROWS = new Dataset<>("silver", null, null, SILVER.rowType(),
            row -> RowSchema.millis((LocalDateTime) row.getField(SILVER_PARSED_TIMESTAMP)),
            Map.of("page_category", Dataset.Column.text(row -> row.getField(SILVER_PAGE_CATEGORY)),
                    "user_segment", Dataset.Column.text(row -> row.getField(SILVER_USER_SEGMENT)),
                    "user_id", Dataset.Column.text(row -> row.getField(SILVER_USER_ID)),
                    "time_on_page", Dataset.Column.decimal(row -> row.getField(SILVER_TIME_ON_PAGE))),
            List.of("page_category", "user_segment"), "time_on_page", "user_id");

    /**
     * Gold: {@code withWatermark("parsed_timestamp", watermark).groupBy(window("parsed_timestamp", window),
     * "page_category", "user_segment").agg(count("*").alias("page_views"), countDistinct("user_id")
     * .alias("unique_users"), avg("time_on_page").alias("avg_time_on_page"))}.
     */
    public static WindowQuery goldQuery(Duration window, WatermarkSettings watermark) {
        return new WindowQuery(WindowSpec.tumbling(window), SILVER_ROWS.defaultKeys(), watermark, List.of(
                Output.unnamed(Aggregate.COUNT, null, false).as("page_views"),
                Output.unnamed(Aggregate.COUNT_DISTINCT, "user_id", false).as("unique_users"),
                Output.unnamed(Aggregate.AVG, "time_on_page", false).as("avg_time_on_page")));
    }

    /**
     * A bronze line as an event: the JSON object by {@link #EVENT} (malformed: a dead letter), then
     * {@code to_timestamp(timestamp)} as {@code parsed_timestamp}, strictly: a timestamp that is not one is a dead
     * letter too, not Spark's null.
     */
    static final class EventParser implements LineParser<Row> {
        private final RowJsonParser json = new RowJsonParser(EVENT);

        @Override
        public Optional<Row> parse(SourceLine line) throws MalformedRecordException {
            Optional<Row> event = json.parse(line);
            if (event.isEmpty()) {
                return Optional.empty(); // a blank line
            }
            Row parsed = new Row(PARSED_EVENT.size());
            for (int i = 0; i < EVENT.size(); i++) {
                parsed.setField(i, event.get().getField(i));
            }
            parsed.setField(PARSED_TIMESTAMP, RowSchema.time("timestamp", (String) event.get().getField(EVENT.indexOf("timestamp"))));
            return Optional.of(parsed);
        }
    }

    /** Silver's row: the user's key, the event's other columns and parsed time, then the user's columns. */
    static Row silverRow(Row event, Row user) {
        Row row = new Row(SILVER.size());
        int field = 0;
        row.setField(field++, event.getField(EVENT_USER_ID));
        for (int i = 0; i <= PARSED_TIMESTAMP; i++) {
            if (i != EVENT_USER_ID) {
                row.setField(field++, event.getField(i));
            }
        }
        for (int i = 0; i < USER_DIM.size(); i++) {
            if (i != USER_DIM.indexOf("user_id")) {
                row.setField(field++, user.getField(i));
            }
        }
        return row;
    }
}
