package dev.flinkpatterns.patterns.windows;

import dev.flinkpatterns.patterns.windows.WindowQuery.Aggregate;
import dev.flinkpatterns.patterns.windows.WindowQuery.Output;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --agg}: aggregates as Spark SQL writes them, each with an optional alias:
 * {@code count(*) AS event_count, sum(amount) AS total_revenue, avg(amount), count(DISTINCT user_id),
 * approx_count_distinct(user_id) AS users}.
 */
public final class NamedAggregates {

    static final String FUNCTIONS = "count(*), count(col), sum, avg, min, max, count(DISTINCT col), approx_count_distinct";

    private static final Pattern AGGREGATE = Pattern.compile(
            "(?i)\\s*(\\w+)\\s*\\(\\s*(DISTINCT\\s+)?(\\*|[\\w.]+)\\s*\\)\\s*(?:AS\\s+(\\w+|`[^`]+`))?\\s*");

    private NamedAggregates() {}

    /** The outputs the text names, over the dataset's columns; a mistake is an IllegalArgumentException of one line. */
    public static List<Output> parse(String text, Dataset<?> dataset) {
        List<Output> outputs = new ArrayList<>();
        for (String item : text.split(",", -1)) {
            Matcher m = AGGREGATE.matcher(item);
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + item.trim() + "' is not FUNCTION(COLUMN) [AS name], e.g. "
                        + "sum(amount) AS total; functions: " + FUNCTIONS);
            }
            String function = m.group(1).toLowerCase(Locale.ROOT);
            boolean distinct = m.group(2) != null;
            String column = m.group(3);
            String alias = m.group(4) == null ? null : m.group(4).replace("`", "");
            Aggregate aggregate = switch (function) {
                case "count" -> distinct ? Aggregate.COUNT_DISTINCT : Aggregate.COUNT;
                case "sum" -> Aggregate.SUM;
                case "avg", "mean" -> Aggregate.AVG;
                case "min" -> Aggregate.MIN;
                case "max" -> Aggregate.MAX;
                case "approx_count_distinct" -> Aggregate.APPROX_COUNT_DISTINCT;
                default -> throw new IllegalArgumentException("unknown function " + m.group(1) + "; functions: " + FUNCTIONS);
            };
            if (distinct && aggregate != Aggregate.COUNT_DISTINCT) {
                throw new IllegalArgumentException("DISTINCT goes with count only: count(DISTINCT " + column + ")");
            }
            String item0 = item.trim();
            if (column.equals("*")) {
                if (aggregate != Aggregate.COUNT) {
                    throw new IllegalArgumentException(item0 + ": * goes with count only; give a column of "
                            + dataset.name() + ": " + String.join(", ", dataset.columnNames()));
                }
                column = null;
            } else if (!dataset.columns().containsKey(column)) {
                throw new IllegalArgumentException(item0 + ": " + column + " is not a column of " + dataset.name()
                        + "; columns: " + String.join(", ", dataset.columnNames()));
            } else if (aggregate.needsNumber() && !dataset.columns().get(column).numeric()) {
                List<String> numeric = dataset.numericColumns();
                throw new IllegalArgumentException(item0 + ": " + column + " is not a numeric column of " + dataset.name()
                        + "; " + (numeric.isEmpty() ? "it has none" : "numeric columns: " + String.join(", ", numeric)));
            }
            boolean integral = column != null && dataset.columns().get(column).integral();
            Output output = Output.unnamed(aggregate, column, integral);
            outputs.add(alias == null ? output : output.as(alias));
        }
        return outputs;
    }
}
