package dev.flinkpatterns.patterns.joins;

import dev.flinkpatterns.core.Api;
import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.DeadLetter;
import dev.flinkpatterns.io.FileSources;
import dev.flinkpatterns.io.SourceLine;
import dev.flinkpatterns.parse.LineParser;
import dev.flinkpatterns.parse.ParseOrDeadLetter;
import dev.flinkpatterns.time.SparkMicroBatches;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.io.RowInput;
import dev.flinkpatterns.run.PatternOutputs;
import dev.flinkpatterns.sql.SqlEnvironments;
import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.table.ResultTable;
import dev.flinkpatterns.time.EndOfInputWatermark;
import dev.flinkpatterns.time.EventTime;
import dev.flinkpatterns.time.LateRows;
import dev.flinkpatterns.time.LatenessRule;
import dev.flinkpatterns.time.WatermarkSettings;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.api.java.typeutils.RowTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.functions.co.ProcessJoinFunction;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Either;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;

/**
 * {@code interval-join}: Spark's stream-stream join with watermarks on both sides,
 * {@code left.withWatermark(...).join(right.withWatermark(...), "key = key AND rt BETWEEN lt AND lt + interval",
 * type)}, in the DataStream API (an interval join, or for outer joins {@link OuterIntervalJoin}) and in SQL (an
 * interval join over views of the same streams). Each side is parsed, timed and split into on-time and late rows
 * where it is read, by its own watermark; then rows behind the join's watermark (a side that was idle and wakes
 * behind the other) are split off as late too ({@link JoinLateness}). The join sees on-time rows only, so both APIs
 * join the same rows and no pair comes out as two null-padded rows.
 */
public final class IntervalJoin {

    private IntervalJoin() {}

    /** The watermark delay of each side (Spark's two {@code withWatermark}s) and how watermarks are emitted. */
    public record Watermarks(WatermarkSettings left, WatermarkSettings right) implements java.io.Serializable {}

    /**
     * Both inputs in (each side's files in any format, read as its {@link JoinSide#reader()}): the joined rows, both
     * sides' dead letters and late rows out.
     */
    public static PatternOutputs join(RowInput leftInput, RowInput rightInput,
            JoinDataset dataset, JoinType type, Api api, Watermarks watermarks, Trigger trigger) {
        Side left = read(leftInput, dataset.left(), watermarks.left());
        Side right = read(rightInput, dataset.right(), watermarks.right());
        return joinOnTime(left.onTime(), right.onTime(), dataset, type, api, watermarks, trigger,
                left.deadLetters().union(right.deadLetters()), left.late().union(right.late()));
    }

    /**
     * Spark's micro-batches ({@code --watermark-policy spark}): {@code lines} are both sides' files read by one reader,
     * batch by batch (batch N: left file N, right file N), each line tagged with its batch ({@link SparkMicroBatches}).
     * One operator parses them, tracks each side's max event time and emits the query's watermark, the minimum of
     * both sides', of batch N-2 when batch N starts; the rows at or behind it are late there, before the sides part.
     * So neither side runs ahead of the other, and the join evicts its state by the watermark Spark evicts by.
     */
    public static PatternOutputs joinInMicroBatches(DataStream<SourceLine> lines, SparkMicroBatches batches,
            JoinDataset dataset, JoinType type, Watermarks watermarks, Trigger trigger) {
        JoinSide l = dataset.left();
        JoinSide r = dataset.right();
        LineParser<Row> leftRows = FileSources.requiring(l.reader(), l.required());
        LineParser<Row> rightRows = FileSources.requiring(r.reader(), r.required());
        LineParser<Either<Row, Row>> bothRows = line -> batches.inputOf(line) == 0
                ? leftRows.parse(line).map(Either::<Row, Row>Left) : rightRows.parse(line).map(Either::<Row, Row>Right);
        String both = l.table() + "-" + r.table();
        var parsed = ParseOrDeadLetter.parse(lines, bothRows,
                new EitherTypeInfo<>(l.schema().rowType(), r.schema().rowType()), both);
        DataStream<Either<Row, Row>> timed = EventTime.assignInMicroBatches(parsed.records(),
                (row, batch) -> row.isLeft() ? l.millis(row.left()) : r.millis(row.right()), row -> row.isLeft() ? 0 : 1,
                List.of(watermarks.left(), watermarks.right()), both);
        LateRows.Split<Either<Row, Row>> split = LateRows.split(timed, LatenessRule.ROW_AT_WATERMARK, Duration.ZERO,
                row -> row.isLeft() ? l.schema().toJson(row.left()) : r.schema().toJson(row.right()), both);
        DataStream<Row> left = split.onTime().filter(Either::isLeft).setParallelism(1).name(l.table() + " rows")
                .uid(l.table() + "-rows").map(Either::left).returns(l.schema().rowType()).setParallelism(1)
                .name(l.table() + " rows of the micro-batches").uid(l.table() + "-micro-batch-rows");
        DataStream<Row> right = split.onTime().filter(Either::isRight).setParallelism(1).name(r.table() + " rows")
                .uid(r.table() + "-rows").map(Either::right).returns(r.schema().rowType()).setParallelism(1)
                .name(r.table() + " rows of the micro-batches").uid(r.table() + "-micro-batch-rows");
        return joinOnTime(left, right, dataset, type, Api.DATASTREAM, watermarks, trigger, parsed.deadLetters(),
                split.late());
    }

    private static PatternOutputs joinOnTime(DataStream<Row> left, DataStream<Row> right, JoinDataset dataset,
            JoinType type, Api api, Watermarks watermarks, Trigger trigger, DataStream<DeadLetter> deadLetters,
            DataStream<LateRows.LateRow> late) {
        JoinLateness.Checked checked = JoinLateness.check(left, right, dataset);
        DataStream<Change> joined;
        if (api == Api.SQL) {
            joined = sql(checked.left(), checked.right(), dataset, type);
        } else if (type == JoinType.INNER) {
            joined = inner(checked.left(), checked.right(), dataset);
        } else {
            joined = outer(checked.left(), checked.right(), dataset, type);
        }
        // The spark policy: the end of the input closed no state; the console's last batch needs the end of time.
        joined = EventTime.afterState(joined, watermarks.left());
        return new PatternOutputs(new ResultTable(joined, dataset.resultSchema(), OutputMode.APPEND, trigger),
                deadLetters, late.union(checked.late()));
    }

    private record Side(DataStream<Row> onTime, DataStream<DeadLetter> deadLetters, DataStream<LateRows.LateRow> late) {}

    /**
     * Parsed, timed and split where it is read: a row behind its own side's watermark is late. While both sides
     * are active the join's watermark (the minimum of both) is never ahead of a side's own, so such a row is on time
     * at the join too; only a side that idled can fall behind it, which {@link JoinLateness} catches.
     */
    private static Side read(RowInput input, JoinSide side, WatermarkSettings watermark) {
        RowSchema schema = side.schema();
        var parsed = input.rows(side.required(), side.table());
        DataStream<Row> timed = EventTime.assign(parsed.records(), (row, previous) -> side.millis(row), watermark,
                side.table());
        LateRows.Split<Row> split = LateRows.split(timed, LatenessRule.ROW, Duration.ZERO, schema::toJson, side.table());
        return new Side(split.onTime(), parsed.deadLetters(), split.late());
    }

    /** Flink's interval join: the bounds are inclusive, as BETWEEN. */
    static DataStream<Change> inner(KeyedStream<Row, String> left, KeyedStream<Row, String> right, JoinDataset dataset) {
        JoinSide l = dataset.left();
        JoinSide r = dataset.right();
        return left.intervalJoin(right)
                .between(dataset.lowerBound(), dataset.upperBound())
                .process(new JoinedRows(dataset), TypeInformation.of(Change.class))
                .name("interval join " + l.table() + " " + r.table())
                .uid("interval-join");
    }

    private static final class JoinedRows extends ProcessJoinFunction<Row, Row, Change> {
        private final JoinDataset dataset;

        JoinedRows(JoinDataset dataset) {
            this.dataset = dataset;
        }

        @Override
        public void processElement(Row left, Row right, Context ctx, Collector<Change> out) {
            out.collect(dataset.toChange(left, right));
        }
    }

    static DataStream<Change> outer(KeyedStream<Row, String> left, KeyedStream<Row, String> right, JoinDataset dataset,
            JoinType type) {
        JoinSide l = dataset.left();
        JoinSide r = dataset.right();
        return left.connect(right)
                .process(new OuterIntervalJoin(dataset, type), TypeInformation.of(Change.class))
                .name(type.cliName() + " outer interval join " + l.table() + " " + r.table())
                .uid("outer-interval-join");
    }

    /** The SQL the variant runs (see {@link JoinDataset#sqlText}). */
    public static String sqlText(JoinDataset dataset, JoinType type) {
        return dataset.sqlText(type);
    }

    static DataStream<Change> sql(DataStream<Row> left, DataStream<Row> right, JoinDataset dataset, JoinType type) {
        StreamTableEnvironment tables = SqlEnvironments.on(left.getExecutionEnvironment());
        createView(tables, left, dataset.left());
        createView(tables, right, dataset.right());
        return tables.toDataStream(tables.sqlQuery(dataset.sqlText(type)))
                .map(row -> fromSqlRow(dataset, row))
                .returns(TypeInformation.of(Change.class))
                .name("SQL rows as table rows")
                .uid("sql-results")
                .transform("final watermark at end of input", TypeInformation.of(Change.class), new EndOfInputWatermark<>())
                .uid("sql-end-of-input");
    }

    /** The side as a view: its columns, with the time column as the rowtime of the stream and its watermark. */
    private static void createView(StreamTableEnvironment tables, DataStream<Row> rows, JoinSide side) {
        RowTypeInfo rowType = (RowTypeInfo) side.schema().rowType();
        int timeIndex = side.timeIndex();
        List<String> names = new ArrayList<>();
        List<TypeInformation<?>> types = new ArrayList<>();
        for (int i = 0; i < rowType.getArity(); i++) {
            if (i != timeIndex) {
                names.add(rowType.getFieldNames()[i]);
                types.add(rowType.getTypeAt(i));
            }
        }
        DataStream<Row> withoutTime = rows.map(row -> withoutField(row, timeIndex))
                .returns(Types.ROW_NAMED(names.toArray(String[]::new), types.toArray(TypeInformation[]::new)))
                .setParallelism(rows.getParallelism())
                .name(side.table() + " as SQL rows")
                .uid(side.table() + "-sql-rows");
        tables.createTemporaryView(side.table(), tables.fromDataStream(withoutTime, Schema.newBuilder()
                .columnByMetadata(side.timeColumn(), DataTypes.TIMESTAMP_LTZ(3), "rowtime")
                .watermark(side.timeColumn(), "SOURCE_WATERMARK()")
                .build()));
    }

    private static Row withoutField(Row row, int index) {
        Row copy = new Row(row.getArity() - 1);
        for (int i = 0, j = 0; i < row.getArity(); i++) {
            if (i != index) {
                copy.setField(j++, row.getField(i));
            }
        }
        return copy;
    }

    /**
     * The SQL row split back into the two sides' rows (null for a side the outer row lacks), rendered as DataStream's:
     * a DECIMAL leaves SQL as DECIMAL(38, 18) (the type of a BigDecimal in a DataStream) and gets its column's scale back.
     */
    private static Change fromSqlRow(JoinDataset dataset, Row row) {
        int leftSize = dataset.left().schema().size();
        return dataset.toChange(sideRow(dataset.left(), row, 0), sideRow(dataset.right(), row, leftSize));
    }

    private static Row sideRow(JoinSide side, Row joined, int offset) {
        if (joined.getField(offset + side.timeIndex()) == null) {
            return null;
        }
        RowSchema schema = side.schema();
        Row row = new Row(schema.size());
        for (int i = 0; i < schema.size(); i++) {
            Object value = joined.getField(offset + i);
            row.setField(i, switch (schema.column(i).type()) {
                case TIMESTAMP -> localTime(value);
                case DECIMAL -> value == null ? null : ((BigDecimal) value).setScale(schema.column(i).args().scale(),
                        RoundingMode.HALF_UP);
                default -> value;
            });
        }
        return row;
    }

    private static LocalDateTime localTime(Object time) {
        if (time instanceof Instant instant) {
            return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
        }
        return (LocalDateTime) time;
    }
}
