package dev.flinkpatterns.patterns.socket;

import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.io.SourceLine;
import dev.flinkpatterns.patterns.sql.SqlRows;
import dev.flinkpatterns.sql.SqlEnvironments;
import dev.flinkpatterns.table.ResultTable;
import dev.flinkpatterns.table.ResultTables;
import dev.flinkpatterns.udfs.SplitWords;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;

/** The guide's first example: {@code explode(split(value, " "))} then {@code groupBy("word").count()}. */
public final class SocketWordCount {

    public static final RowSchema SCHEMA = ResultTables.countSchema("word");

    /** The socket's lines as Spark's socket source gives them: one column, {@code value}. */
    static final RowSchema LINES = RowSchema.of(RowSchema.Column.nullable("value", RowSchema.Type.STRING));

    /** The SQL variant: {@code explode(split(value, " "))} is a lateral join with the table function. */
    public static final String QUERY = """
            SELECT word, COUNT(*) AS `count`
            FROM lines, LATERAL TABLE(split_words(`value`)) AS t(word)
            GROUP BY word""";

    private SocketWordCount() {}

    public static ResultTable wordCounts(DataStream<SourceLine> lines, OutputMode mode, Trigger trigger) {
        DataStream<String> words = lines.<String>flatMap((line, out) -> SplitWords.words(line.text()).forEach(out::collect))
                .returns(Types.STRING)
                .name("split words")
                .uid("split-words");
        return new ResultTable(ResultTables.countByKey(words, "word", trigger), SCHEMA, mode, trigger);
    }

    /** {@code --api sql}: the lines as the view {@code lines} and {@link #QUERY}; the same rows as {@link #wordCounts}. */
    public static ResultTable wordCountsSql(DataStream<SourceLine> lines, OutputMode mode, Trigger trigger) {
        StreamTableEnvironment tables = SqlEnvironments.on(lines.getExecutionEnvironment());
        tables.createTemporarySystemFunction(SplitWords.SQL_NAME, SplitWords.class);
        DataStream<Row> values = lines.map(line -> Row.of(line.text()), LINES.rowType()).name("as value rows")
                .uid("socket-values");
        tables.createTemporaryView("lines", SqlEnvironments.typedView(tables, values, LINES));
        return new ResultTable(SqlRows.upserts(tables, tables.sqlQuery(QUERY), SCHEMA, 1, "sql-word-counts"), SCHEMA,
                mode, trigger);
    }
}
