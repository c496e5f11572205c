package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.ProcessingClock;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.io.ReaderOptions;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.io.SchemaDdl;
import dev.flinkpatterns.table.RowFilter;
import dev.flinkpatterns.patterns.kafka.KafkaEtl;
import dev.flinkpatterns.run.PatternOutputs;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "kafka-etl", mixinStandardHelpOptions = true,
        description = {"ETL from Kafka JSON: parse, keep active records, add processed_time (the guide's Pattern 1).",
                "from_json with an explicit schema (timestamp, id, user_id, status, amount; generate kafka --kind status "
                        + "writes such records); a record that does not fit goes to the dead letters with its topic, "
                        + "partition, offset and text. With --sink parquet --partition-by timestamp: the guide's Parquet "
                        + "load, partitioned by date, exactly once. --format and --schema read the user's own record "
                        + "values (Spark's from_json(value, schema)); --where picks the records kept."})
class KafkaEtlCommand extends KafkaPatternCommand {

    private static final String ACTIVE = "status=active";

    @Option(names = "--where", paramLabel = "COLUMN=VALUE|none",
            description = "Keep the records whose column has this value (Spark's filter(col(\"status\") == \"active\")); "
                    + "COLUMN=V1|V2 keeps either value, COLUMN!=V the others; a text, whole-number or boolean column. "
                    + "none: keep every record. Default: " + ACTIVE + ".")
    String where = ACTIVE;

    private RowFilter filter;

    @Override
    void validate() {
        super.validate();
        if (valueReader == null && !where.equals(ACTIVE)) {
            valueReader = ReaderOptions.of(ReaderOptions.Format.JSON, KafkaEtl.SCHEMA);
        }
        if (valueReader != null) {
            filter = where(valueReader.rowSchema());
        }
    }

    private RowFilter where(RowSchema schema) {
        if (where.equals("none")) {
            return RowFilter.ALL;
        }
        String column = where.split("!?=", 2)[0].trim();
        if (where.contains("=") && !column.isEmpty() && schema.indexOf(column) < 0) {
            throw new UsageException("--where " + where + ": no such column " + column
                    + (where.equals(ACTIVE) ? " (the default; --where none keeps every record)" : "")
                    + "; columns: " + SchemaDdl.print(schema));
        }
        try {
            return RowFilter.parse(where, schema);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--where " + e.getMessage() + ", or none");
        }
    }

    @Override
    PatternOutputs define(StreamExecutionEnvironment env, OutputMode mode, Trigger trigger) {
        if (valueReader != null) {
            return KafkaEtl.etl(records(env, trigger), valueReader, filter, api, ProcessingClock.SYSTEM, mode, trigger);
        }
        return KafkaEtl.etl(records(env, trigger), api, ProcessingClock.SYSTEM, mode, trigger);
    }
}
