package dev.flinkpatterns.patterns.socket;

import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.SourceLine;
import dev.flinkpatterns.table.ResultBatch;
import dev.flinkpatterns.table.ResultTable;
import dev.flinkpatterns.table.ResultTables;
import dev.flinkpatterns.udfs.SplitWords;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;

/** The guide's first example: {@code explode(split(value, " "))} then {@code groupBy("word").count()}. */
public final class SocketWordCount {

    public static final RowSchema SCHEMA = ResultTables.countSchema("word");

    private SocketWordCount() {}

    public static ResultTable wordCounts(DataStream<SourceLine> lines, OutputMode mode, Trigger trigger) {
        DataStream<String> words = lines.<String>flatMap((line, out) -> SplitWords.words(line.text()).forEach(out::collect))
                .returns(Types.STRING)
                .name("split words")
                .uid("split-words");
        return new ResultTable(ResultTables.countByKey(words, "word", trigger), SCHEMA, mode, trigger);
    }
}
