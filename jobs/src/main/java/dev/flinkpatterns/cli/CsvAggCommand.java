package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.Api;
import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.io.ReaderOptions;
import dev.flinkpatterns.io.ReaderOptions.Format;
import dev.flinkpatterns.patterns.csv.CsvPatterns;
import dev.flinkpatterns.run.PatternOutputs;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "csv-agg", mixinStandardHelpOptions = true,
        description = {"Count events by type over CSV files, as a complete-mode table.",
                "Reads a directory of CSV files, picking up new files as they appear, and prints the "
                        + "whole result table (Spark's complete mode) whenever it changed. Malformed rows go to the "
                        + "dead-letter directory; the counts cover the valid rows exactly."})
class CsvAggCommand extends EventCountsCommand {

    @Mixin
    ReaderOptionsMixin reader;

    @Option(names = "--group-by", paramLabel = "COLUMNS",
            description = "The columns to count by (Spark's groupBy(...).count()), comma-separated: any columns of the "
                    + "input's schema (the event files: timestamp, user_id, event). Default: event.")
    String groupBy;

    @Option(names = "--api", paramLabel = "API", converter = Converters.ApiConverter.class,
            description = "datastream or sql: the same rows from the DataStream API or from one SQL query. "
                    + "Default: datastream.")
    Api api = Api.DATASTREAM;

    /** The user's own files: how to read them, else null (the event files, as always). */
    private ReaderOptions readerOptions;
    private List<String> columns;

    @Override
    void validate() {
        super.validate();
        if (reader.given() || groupBy != null) {
            readerOptions = reader.resolve(csv.input, Format.CSV, ReaderOptionsMixin.EVENT_FILES, CliContext.of(spec).err());
            columns = SchemaColumns.list("--group-by", groupBy == null ? "event" : groupBy, readerOptions.rowSchema());
            if (api == Api.SQL) {
                refuseNestedKeys(readerOptions.rowSchema());
            }
        }
    }

    /** The DataStream counts key a STRUCT or ARRAY value by its text; SQL would group the values themselves. */
    private void refuseNestedKeys(RowSchema schema) {
        for (String column : columns) {
            RowSchema.Type type = schema.column(schema.indexOf(column)).type();
            if (type == RowSchema.Type.STRUCT || type == RowSchema.Type.ARRAY) {
                throw new UsageException("--group-by " + column + ": --api sql groups by values, not by "
                        + type.name() + "s; use --api datastream");
            }
        }
    }

    @Override
    PatternOutputs define(StreamExecutionEnvironment env, OutputMode mode, Trigger trigger) {
        if (readerOptions == null) {
            return api == Api.SQL ? CsvPatterns.eventCountsSql(csv.lines(env, trigger), mode, trigger)
                    : super.define(env, mode, trigger);
        }
        var parsed = csv.rowInput(env, trigger, readerOptions).rows(List.of(), null);
        return switch (api) {
            case DATASTREAM -> CsvPatterns.counts(parsed.records(), parsed.deadLetters(), readerOptions.rowSchema(),
                    columns, mode, trigger);
            case SQL -> CsvPatterns.countsSql(parsed.records(), parsed.deadLetters(), readerOptions.rowSchema(),
                    columns, mode, trigger);
        };
    }
}
