package dev.flinkpatterns.patterns.sql;

import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.DeadLetter;
import dev.flinkpatterns.io.RowInput;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.time.EndOfInputWatermark;
import dev.flinkpatterns.run.PatternOutputs;
import dev.flinkpatterns.sql.SqlEnvironments;
import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.table.ResultTable;
import dev.flinkpatterns.time.EventTime;
import dev.flinkpatterns.time.WatermarkSettings;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.ExplainDetail;
import org.apache.flink.table.api.SqlParserException;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;

/**
 * {@code sql}: the user's own Flink SQL over the user's own inputs. Each source is a view of its typed rows (bad
 * lines are dead letters), with its event-time column as the view's rowtime and the source's watermark
 * ({@code SOURCE_WATERMARK()}); the script's {@code CREATE} statements run first, its last statement is the query.
 * The query's rows become the result table: an insert-only query's rows are appended, an updating query's changes
 * (retractions) replace or delete the rows they retract ({@link ResultRows}).
 */
public final class UserSql {

    private UserSql() {}

    /**
     * An input of the query: the view {@code name} over {@code input}'s rows; {@code eventTime} (a TIMESTAMP column, or
     * null) is its rowtime, with the watermark of {@code watermark}.
     */
    public record Source(String name, RowInput input, String eventTime, WatermarkSettings watermark) {}

    /** The planned query: its table environment, its result and the sources' dead letters (null: none). */
    public record Planned(StreamTableEnvironment tables, Table result, DataStream<DeadLetter> deadLetters) {

        /** Whether the query only ever adds rows (Flink's changelog mode [I]); else it updates or deletes rows. */
        public boolean insertOnly() {
            return UserSql.insertOnly(result);
        }

        /** Whether the plan holds an aggregation (windowed or not). */
        public boolean aggregates() {
            return physicalPlan(result).contains("Aggregate(");
        }

        /** The result's columns as a typed schema. */
        public RowSchema schema() {
            return ResultRows.schema(result.getResolvedSchema());
        }
    }

    /**
     * Plans {@code script} over {@code sources} (on their environment). A statement Flink cannot parse or validate is
     * an {@link IllegalArgumentException} whose message is one line: where (line and column) and why.
     */
    public static Planned plan(StreamExecutionEnvironment env, List<Source> sources, SqlScript script) {
        StreamTableEnvironment tables = SqlEnvironments.on(env);
        DataStream<DeadLetter> deadLetters = null;
        for (Source source : sources) {
            var parsed = source.input().rows(source.eventTime() == null ? List.of() : List.of(source.eventTime()),
                    source.name());
            DataStream<Row> rows = parsed.records();
            if (source.eventTime() != null) {
                int time = source.input().schema().indexOf(source.eventTime());
                rows = EventTime.assign(rows, (row, previous) -> RowSchema.millis((LocalDateTime) row.getField(time)),
                        source.watermark(), source.name());
            }
            tables.createTemporaryView(source.name(),
                    SqlEnvironments.typedView(tables, rows, source.input().schema(), source.eventTime()));
            deadLetters = deadLetters == null ? parsed.deadLetters() : deadLetters.union(parsed.deadLetters());
        }
        try {
            for (String statement : script.definitions()) {
                tables.executeSql(statement);
            }
            return new Planned(tables, tables.sqlQuery(script.query()), deadLetters);
        } catch (SqlParserException | ValidationException e) {
            throw new IllegalArgumentException(oneLine(e), e);
        }
    }

    /** The query's result table, in {@code mode}: {@link #plan}, then its rows as changes of the result table. */
    public static PatternOutputs query(StreamExecutionEnvironment env, List<Source> sources, SqlScript script,
            OutputMode mode, Trigger trigger) {
        Planned planned = plan(env, sources, script);
        RowSchema schema = planned.schema();
        DataStream<Row> changelog = planned.tables().toChangelogStream(planned.result());
        DataStream<Change> changes = planned.insertOnly()
                ? changelog.map(new ResultRows.Appended(schema)).returns(TypeInformation.of(Change.class))
                        .name("query rows").uid("sql-rows")
                : changelog.keyBy(new ResultRows.ValuesKey(schema)).process(new ResultRows.Retracted(schema))
                        .returns(TypeInformation.of(Change.class)).name("query changes").uid("sql-changes");
        // An interval join in the query holds its watermark back: the last batch still needs the final one.
        changes = changes.transform("final watermark at end of input", TypeInformation.of(Change.class),
                new EndOfInputWatermark<>()).uid("sql-end-of-input");
        return new PatternOutputs(new ResultTable(changes, schema, mode, trigger), planned.deadLetters());
    }

    static boolean insertOnly(Table result) {
        String plan = physicalPlan(result);
        String root = plan.lines().filter(line -> !line.isBlank()).findFirst().orElse("");
        Matcher mode = CHANGELOG_MODE.matcher(root);
        if (!mode.find()) {
            throw new IllegalStateException("no changelog mode in the plan's root: " + root);
        }
        return mode.group(1).equals("I");
    }

    private static final Pattern CHANGELOG_MODE = Pattern.compile("changelogMode=\\[([A-Z,]+)]");

    /** The optimized physical plan of {@code result}, with each node's changelog mode. */
    private static String physicalPlan(Table result) {
        String explained = result.explain(ExplainDetail.CHANGELOG_MODE);
        int start = explained.indexOf("== Optimized Physical Plan ==");
        int end = explained.indexOf("== Optimized Execution Plan ==");
        return explained.substring(start + "== Optimized Physical Plan ==".length(), end < 0 ? explained.length() : end);
    }

    /**
     * Calcite's "From line 1, column 8 to line 1, column 12: ...", "At line 1, column 8: ..." and the parser's "... at
     * line 1, column 10."
     */
    private static final Pattern RANGE = Pattern.compile(
            "(?:From line (\\d+), column (\\d+) to line \\d+, column \\d+|At line (\\d+), column (\\d+)): ");
    private static final Pattern AT = Pattern.compile(" at line (\\d+), column (\\d+)\\.?");

    /**
     * Flink's error as one line: {@code line L, column C: reason} (the parser's expected-token list left out), from the
     * deepest cause that has a position.
     */
    static String oneLine(RuntimeException error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            String message = cause.getMessage() == null ? "" : cause.getMessage();
            Matcher range = RANGE.matcher(message);
            if (range.find()) {
                return position(range) + firstLine(message.substring(range.end()));
            }
        }
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            String message = firstLine(cause.getMessage() == null ? "" : cause.getMessage());
            Matcher at = AT.matcher(message);
            if (at.find()) {
                String reason = (message.substring(0, at.start()) + message.substring(at.end())).strip();
                return position(at) + reason.replaceFirst("^SQL parse failed\\. ", "");
            }
        }
        String message = firstLine(error.getMessage() == null ? error.toString() : error.getMessage())
                .replaceFirst("^SQL validation failed\\. ", "");
        // e.g. "Unable to create a source for reading table 't'." says what failed; its deepest cause says why.
        Throwable root = error;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String reason = root == error || root.getMessage() == null ? "" : firstLine(root.getMessage());
        return reason.isEmpty() || message.contains(reason) ? message : message + " " + reason;
    }

    private static String position(Matcher matcher) {
        int first = matcher.group(1) != null ? 1 : 3; // RANGE's second form
        return "line " + matcher.group(first) + ", column " + matcher.group(first + 1) + ": ";
    }

    private static String firstLine(String text) {
        String stripped = text.strip();
        int newline = stripped.indexOf('\n');
        return (newline < 0 ? stripped : stripped.substring(0, newline)).strip();
    }
}
