package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.Api;
import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.io.ReaderOptions;
import dev.flinkpatterns.io.ReaderOptions.Format;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.io.SchemaDdl;
import dev.flinkpatterns.patterns.dedup.DedupKey;
import dev.flinkpatterns.patterns.dedup.Deduplication;
import dev.flinkpatterns.run.PatternOutputs;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "dedup", mixinStandardHelpOptions = true,
        description = {"Drop duplicate rows of CSV files (Spark's dropDuplicates, append mode).",
                "Prints the first row of each --key once. With --watermark, rows behind the watermark are dropped "
                        + "as late and a key is forgotten once the watermark passes its first row (plus the watermark "
                        + "delay when the key has no timestamp, as Spark's dropDuplicatesWithinWatermark): bounded "
                        + "state. Without --watermark every key is remembered forever, as in Spark."})
class DedupCommand extends EventTimeCsvCommand {

    @Option(names = "--key", paramLabel = "COLUMNS",
            description = "The columns that make rows duplicates, comma-separated: any columns of the input's schema "
                    + "(the event files: timestamp, user_id, event). Default: ${DEFAULT-VALUE}.")
    String key = "user_id,event";

    @Option(names = "--api", paramLabel = "API", converter = Converters.ApiConverter.class,
            description = "datastream or sql: the same rows from the DataStream API or from Flink SQL's deduplication "
                    + "query (ROW_NUMBER() ... = 1); sql forgets a key by state TTL, in processing time, not by the "
                    + "watermark. Default: datastream.")
    Api api = Api.DATASTREAM;

    @Mixin
    ReaderOptionsMixin reader;

    @Mixin
    WatermarkPolicyOptions watermarkPolicy;

    @Option(names = "--event-time", paramLabel = "COLUMN",
            description = "The TIMESTAMP column that --watermark follows (with --schema). Default: timestamp.")
    String eventTimeColumn;

    private DedupKey dedupKey;
    /** The user's own files: how to read them, else null (the event files, as always). */
    private ReaderOptions readerOptions;
    private String timeColumn;

    @Override
    OutputMode.Query query() {
        return OutputMode.Query.NO_AGGREGATION;
    }

    @Override
    void validate() {
        super.validate();
        watermarkPolicy.apply(eventTime, csv, streaming.trigger);
        watermarkPolicy.refuseWithSqlApi(api);
        if (reader.given() || eventTimeColumn != null) {
            readerOptions = reader.resolve(csv.input, Format.CSV, ReaderOptionsMixin.EVENT_FILES, CliContext.of(spec).err());
            RowSchema schema = readerOptions.rowSchema();
            List<String> keyColumns = SchemaColumns.list("--key", key, schema);
            timeColumn = eventTimeColumn != null ? SchemaColumns.eventTime("--event-time", eventTimeColumn, schema)
                    : SchemaColumns.defaultEventTime(schema);
            if (timeColumn == null && eventTime.watermark != null) {
                throw new UsageException("--watermark needs --event-time COLUMN, a TIMESTAMP column of: "
                        + SchemaDdl.print(schema));
            }
            key = String.join(",", keyColumns);
            if (api == Api.SQL) {
                for (String added : List.of("proc_time", "row_num")) {
                    if (schema.indexOf(added) >= 0) {
                        throw new UsageException("the input has a column " + added + ", a name the --api sql query "
                                + "adds; rename it in --schema or use --api datastream");
                    }
                }
            }
            return;
        }
        try {
            dedupKey = DedupKey.parse(key);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--key " + key + ": " + e.getMessage());
        }
    }

    @Override
    PatternOutputs define(StreamExecutionEnvironment env, OutputMode mode, Trigger trigger) {
        if (readerOptions != null) {
            return Deduplication.dropDuplicates(rowInput(env, trigger, readerOptions), List.of(key.split(",")),
                    timeColumn, eventTime.settings(), api, mode, trigger);
        }
        return Deduplication.dropDuplicates(lines(env, trigger), dedupKey, eventTime.settings(), api, mode, trigger);
    }
}
