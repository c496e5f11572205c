package dev.flinkpatterns.patterns.medallion;

import dev.flinkpatterns.core.Api;
import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.ProcessingClock;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.DeadLetter;
import dev.flinkpatterns.io.FileFormat;
import dev.flinkpatterns.io.FileSources;
import dev.flinkpatterns.io.RowInput;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.io.RowSchema.Column;
import dev.flinkpatterns.io.RowSchema.Type;
import dev.flinkpatterns.io.Sinks;
import dev.flinkpatterns.io.SourceLine;
import dev.flinkpatterns.io.filetable.FileTable;
import dev.flinkpatterns.parse.ParseOrDeadLetter;
import dev.flinkpatterns.patterns.windows.WindowAggregation;
import dev.flinkpatterns.patterns.windows.WindowQuery;
import dev.flinkpatterns.run.PatternOutputs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Row;

/**
 * {@code medallion}: the workshop's bronze, silver and gold clickstream tables, each stage a pipeline of its own
 * that reads the previous stage's Parquet directory as it grows and writes its own exactly once. A stage sees only
 * the files the previous one has committed (a part file is renamed from its hidden in-progress name when the
 * checkpoint covering it completes; readers skip hidden files), so a row reaches the next stage once, and only
 * after the stage that wrote it can no longer take it back.
 */
public final class Medallion {

    private Medallion() {}

    /** What bronze produces: its rows, and the lines its reader refused. */
    public record Bronze(DataStream<Row> rows, DataStream<DeadLetter> deadLetters) {}

    /**
     * Bronze: every raw line as it was, with its file, line number and the time it was ingested. A line the reader
     * refused (not UTF-8, binary, longer than the limit, cut off; a note about a file) is not the line as it was: it
     * is a dead letter with its reason, never a bronze row.
     */
    public static Bronze bronze(DataStream<SourceLine> raw, ProcessingClock clock) {
        var kept = ParseOrDeadLetter.keepUsable(raw,
                line -> Optional.of(Row.of(line.text(), line.source(), line.line(), RowSchema.toTime(clock.currentTimeMillis()))),
                Clickstream.BRONZE.rowType(), "bronze: raw line, source_file, ingest_time", "bronze-rows");
        return new Bronze(kept.records(), kept.deadLetters());
    }

    /** The columns bronze adds to the user's own rows: where each was read and when (as the raw bronze has them). */
    public static final List<String> LINEAGE = List.of("source_file", "line", "ingest_time");

    /**
     * Bronze of the user's own files (Auto Loader's bronze): the columns of {@code input}'s schema, then
     * {@code source_file}, {@code line} (null for Parquet, whose rows have no line) and {@code ingest_time}.
     */
    public static RowSchema ownBronzeSchema(RowSchema userColumns) {
        List<Column> columns = new ArrayList<>(userColumns.columns());
        columns.add(Column.required(LINEAGE.get(0), Type.STRING));
        columns.add(Column.nullable(LINEAGE.get(1), Type.LONG));
        columns.add(Column.required(LINEAGE.get(2), Type.TIMESTAMP));
        return new RowSchema(columns);
    }

    /**
     * Bronze of the user's own files: each row typed by the reader's schema, with the file and line it was read from
     * and the time it was ingested ({@link #ownBronzeSchema}); a line that does not fit the schema is a dead letter
     * with its reason.
     */
    public static Bronze bronze(RowInput input, ProcessingClock clock) {
        RowSchema schema = ownBronzeSchema(input.schema());
        RowSchema located = new RowSchema(schema.columns().subList(0, schema.size() - 1));
        var parsed = input.located(List.of(), null, located);
        DataStream<Row> rows = parsed.records()
                .map(row -> Row.join(row, Row.of(RowSchema.toTime(clock.currentTimeMillis()))))
                .returns(schema.rowType())
                .setParallelism(parsed.records().getParallelism())
                .name("bronze: rows, source_file, line, ingest_time")
                .uid("bronze-own-rows");
        return new Bronze(rows, parsed.deadLetters());
    }

    /** What silver produces: its rows, and the bronze lines that are not events and the user_dim lines that are not users. */
    public record Silver(DataStream<Row> rows, DataStream<DeadLetter> deadLetters) {}

    /**
     * Silver: each bronze line parsed as an event (malformed: a dead letter), rows without {@code event_type}
     * dropped ({@code filter(col("event_type").isNotNull())}), {@code parsed_timestamp} added, then the INNER join
     * with the user dimension on {@code user_id} (an event of a user missing there is dropped, as Spark's inner
     * join drops it).
     */
    public static Silver silver(DataStream<Row> bronze, FileTable users) {
        // Dead letters name the raw file and line bronze kept, not bronze's part file.
        DataStream<SourceLine> lines = bronze.map(row -> new SourceLine((String) row.getField(Clickstream.BRONZE_SOURCE_FILE),
                        (Long) row.getField(Clickstream.BRONZE_LINE), (String) row.getField(Clickstream.BRONZE_VALUE)))
                .returns(SourceLine.class)
                .setParallelism(bronze.getParallelism())
                .name("bronze rows as lines")
                .uid("bronze-lines");
        var parsed = ParseOrDeadLetter.parse(lines, new Clickstream.EventParser(), Clickstream.PARSED_EVENT.rowType());
        DataStream<Row> withType = parsed.records()
                .filter(event -> event.getField(Clickstream.EVENT_TYPE) != null)
                .setParallelism(bronze.getParallelism())
                .name("filter event_type is not null")
                .uid("event-type-not-null");
        FileTable.Joined<Row> joined = users.join(withType, event -> String.valueOf(event.getField(Clickstream.EVENT_USER_ID)),
                FileTable.JoinType.INNER, Clickstream::silverRow, Clickstream.SILVER.rowType());
        return new Silver(joined.rows(), parsed.deadLetters().union(joined.deadLetters()));
    }

    /** Gold: the window aggregation of silver, as any event-time query of the project (result table, late rows). */
    public static PatternOutputs gold(DataStream<Row> silver, WindowQuery query, Api api, OutputMode mode, Trigger trigger) {
        return WindowAggregation.fromRecords(silver, Clickstream.SILVER_ROWS, query, api, mode, trigger, null);
    }

    /**
     * The committed Parquet files of a stage's table as a stream of rows: with a bounded trigger the files there now,
     * else every file as it is committed.
     */
    public static SingleOutputStreamOperator<Row> read(StreamExecutionEnvironment env, String directory, RowSchema schema,
            Trigger trigger, Duration discoveryInterval, String name) {
        return env.fromSource(FileSources.parquet(directory, schema, trigger, discoveryInterval, FileSources.UNLIMITED),
                        WatermarkStrategy.noWatermarks(), name + " files")
                .uid(name + "-files");
    }

    /** A stage's table as Parquet part files in {@code directory}, committed on each checkpoint, exactly once. */
    public static void write(DataStream<Row> rows, String directory, RowSchema schema, String name) {
        rows.sinkTo(Sinks.files(FileFormat.PARQUET, directory, schema, null))
                .name(name + " parquet")
                .uid(name + "-parquet");
    }
}
