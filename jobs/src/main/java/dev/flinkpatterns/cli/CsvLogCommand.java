package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.Api;
import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.io.ReaderOptions;
import dev.flinkpatterns.io.ReaderOptions.Format;
import dev.flinkpatterns.patterns.csv.CsvPatterns;
import dev.flinkpatterns.run.PatternOutputs;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "csv-log", mixinStandardHelpOptions = true,
        description = {"Print the rows of CSV files as they arrive (append mode).",
                "Prints the rows of a directory of CSV files as console tables, new rows only (Spark's "
                        + "append mode); long values are cut unless --truncate false. Malformed rows go to the "
                        + "dead-letter directory."})
class CsvLogCommand extends CsvCommand {

    @Mixin
    ReaderOptionsMixin reader;

    @Option(names = "--source", paramLabel = "SOURCE",
            description = "What to read: files (the files of --input) or paimon (the table --source-table of --warehouse, "
                    + "Delta's readStream.table). Default: ${DEFAULT-VALUE}.")
    String source = "files";

    @Mixin
    PaimonSourceOptions paimon;

    /** With --source paimon: the table, checked. */
    private PaimonSourceOptions.TableInput table;

    @Option(names = "--api", paramLabel = "API", converter = Converters.ApiConverter.class,
            description = "datastream or sql: the same rows from the DataStream API or from one SQL query. "
                    + "Default: datastream.")
    Api api = Api.DATASTREAM;

    /** The user's own files: how to read them, else null (the event files, as always). */
    private ReaderOptions readerOptions;

    @Override
    OutputMode.Query query() {
        return OutputMode.Query.NO_AGGREGATION;
    }

    @Override
    boolean readsPaimon() {
        return PaimonSourceOptions.PAIMON.equals(source);
    }

    @Override
    void validate() {
        if (PaimonSourceOptions.PAIMON.equals(source)) {
            table = paimon.check(spec, reader, streaming.trigger, null, streaming.warehouse);
            readerOptions = table.reader();
            return;
        }
        if (!"files".equals(source)) {
            throw new UsageException("--source '" + source + "' is not a source; available: files, paimon");
        }
        PaimonSourceOptions.refuseWithout(spec, "files");
        super.validate();
        if (reader.given()) {
            readerOptions = reader.resolve(csv.input, Format.CSV, ReaderOptionsMixin.EVENT_FILES, CliContext.of(spec).err());
        }
    }

    @Override
    PatternOutputs define(StreamExecutionEnvironment env, OutputMode mode, Trigger trigger) {
        if (readerOptions == null) {
            var lines = csv.lines(env, trigger);
            return switch (api) {
                case DATASTREAM -> CsvPatterns.rawRows(lines, mode, trigger);
                case SQL -> CsvPatterns.rawRowsSql(lines, mode, trigger);
            };
        }
        var rows = table != null ? table.rowInput(env, trigger, null)
                : csv.rowInput(env, trigger, readerOptions);
        return switch (api) {
            case DATASTREAM -> CsvPatterns.rawRows(rows, mode, trigger);
            case SQL -> CsvPatterns.rawRowsSql(rows, mode, trigger);
        };
    }
}
