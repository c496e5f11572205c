package dev.flinkpatterns.udfs;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.FunctionHint;
import org.apache.flink.table.functions.TableFunction;

/**
 * Spark's {@code explode(split(value, " "))} for word counts: one row per word of a line.
 *
 * <p>Unlike Spark's split on a single space, runs of whitespace separate words and no empty word is
 * produced (Spark counts {@code ""} for every double space). The DataStream socket job calls
 * {@link #words(String)}; SQL calls it as {@code LATERAL TABLE(split_words(line))}.
 */
@FunctionHint(output = @DataTypeHint("ROW<word STRING>"))
public class SplitWords extends TableFunction<org.apache.flink.types.Row> {

    public static final String SQL_NAME = "split_words";

    /** The words of a line, in order; none for a null or blank line. */
    public static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        if (line == null) {
            return words;
        }
        for (String token : line.trim().split("\\s+")) {
            if (!token.isEmpty()) {
                words.add(token);
            }
        }
        return words;
    }

    public void eval(String line) {
        for (String word : words(line)) {
            collect(org.apache.flink.types.Row.of(word));
        }
    }
}
