package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.Api;
import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.io.ReaderOptions;
import dev.flinkpatterns.io.ReaderOptions.Format;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.io.SchemaDdl;
import dev.flinkpatterns.patterns.fanout.FanOut;
import dev.flinkpatterns.patterns.fanout.Route;
import dev.flinkpatterns.run.PatternOutputs;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "fan-out", mixinStandardHelpOptions = true,
        description = {"One source read once, several filtered outputs, each to its own sink.",
                "The workshop's source.filter(type == A).writeStream.table(table_a) for several tables: the CSV event "
                        + "files are read and parsed once; every --route writes the rows that pass its filter as "
                        + "parquet, json or csv files under --output/NAME, exactly once. A row lands in every route "
                        + "whose filter it passes. DataStream: side outputs; SQL: one statement set of INSERT INTOs."})
class FanOutCommand extends CsvCommand {

    @Option(names = "--route", paramLabel = "NAME:FORMAT:FILTER",
            description = "An output: its name (its directory under --output), its format (parquet, json, csv) and its "
                    + "filter: * (every row), column=v1|v2 or column!=v1|v2 over a STRING, INT or BIGINT column of the "
                    + "input (timestamp, user_id, event; with --schema, its columns). "
                    + "Repeat for more. Default: " + "purchases:parquet:event=purchase, views:json:event=view, "
                    + "sessions:csv:event=login|logout.")
    List<String> routeTexts;

    @Option(names = "--api", paramLabel = "API", converter = Converters.ApiConverter.class,
            description = "datastream (side outputs) or sql (a statement set). Default: ${DEFAULT-VALUE}.")
    Api api = Api.DATASTREAM;

    /** Spark's reader options for the user's own files: --format, --schema, --header, ... */
    @Mixin
    ReaderOptionsMixin reader;

    private final List<Route> routes = new ArrayList<>();

    /** The user's own files as the reader options say; null: the event files, as always. */
    private ReaderOptions readerOptions;

    @Override
    OutputMode.Query query() {
        return OutputMode.Query.NO_AGGREGATION;
    }

    @Override
    boolean writesOwnOutputs() {
        return true;
    }

    @Override
    void validate() {
        super.validate();
        RowSchema schema = FanOut.EVENTS;
        if (reader.given()) {
            readerOptions = reader.resolve(csv.input, Format.CSV, ReaderOptionsMixin.EVENT_FILES, CliContext.of(spec).err());
            schema = readerOptions.rowSchema();
        }
        Set<String> names = new HashSet<>();
        for (String text : routeTexts == null ? FanOut.DEFAULT_ROUTES : routeTexts) {
            Route route;
            try {
                route = Route.parse(text, schema);
            } catch (IllegalArgumentException e) {
                if (routeTexts == null) {
                    throw new UsageException("the default routes filter on event: give --route NAME:FORMAT:FILTER over "
                            + "the columns: " + SchemaDdl.print(schema));
                }
                throw new UsageException("--route " + e.getMessage());
            }
            if (!names.add(route.name()) || route.name().equals("dead_letter")) {
                throw new UsageException("--route " + route.name() + ": the name is taken; give each route its own");
            }
            routes.add(route);
        }
    }

    @Override
    PatternOutputs define(StreamExecutionEnvironment env, OutputMode mode, Trigger trigger) {
        return readerOptions != null ? FanOut.fanOut(csv.rowInput(env, trigger, readerOptions), routes, runOutputDir, api)
                : FanOut.fanOut(csv.lines(env, trigger), FanOut.EVENTS, routes, runOutputDir, api);
    }
}
