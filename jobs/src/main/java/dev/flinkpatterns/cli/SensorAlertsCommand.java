package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.Api;
import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.ProcessingClock;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.io.ReaderOptions;
import dev.flinkpatterns.io.ReaderOptions.Format;
import dev.flinkpatterns.io.RowInput;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.io.SchemaDdl;
import dev.flinkpatterns.patterns.sensors.SensorAlerts;
import dev.flinkpatterns.run.PatternOutputs;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "sensor-alerts", mixinStandardHelpOptions = true,
        description = {"Hot sensor readings from JSON files, with severity and one row per tag (append mode).",
                "Parses JSON-lines files (sensor_batch_N.json), keeps readings above 75 degrees, adds "
                        + "temp_fahrenheit, severity (the classify_severity UDF) and processed_at, and gives one row "
                        + "per tag (explode_outer). Malformed lines go to the dead-letter directory."})
class SensorAlertsCommand extends PatternCommand {

    @Mixin
    FileInputOptions json = FileInputOptions.sensorJson();

    @Option(names = "--api", paramLabel = "API", converter = Converters.ApiConverter.class,
            description = "datastream or sql: the same rows from the DataStream API or from one SQL query. "
                    + "Default: datastream.")
    Api api = Api.DATASTREAM;

    /** Spark's reader options for the user's own files: --format, --schema, --header, ... */
    @Mixin
    ReaderOptionsMixin reader;

    @Option(names = "--key", paramLabel = "COLUMN",
            description = "The sensor's id column, any column of the schema (with --schema); a row without it is a "
                    + "dead letter. Default: sensor_id.")
    String key;

    @Option(names = "--value", paramLabel = "COLUMN",
            description = "The measured column (a number) that the filter (> 75), temp_fahrenheit and "
                    + "classify_severity use; a row without it is a dead letter. Default: temperature.")
    String value;

    @Option(names = "--event-time", paramLabel = "COLUMN",
            description = "The reading's time, a TIMESTAMP column; a row without it is a dead letter. Default: "
                    + "timestamp, or the schema's only TIMESTAMP column.")
    String eventTimeColumn;

    @Option(names = "--explode", paramLabel = "COLUMN",
            description = "The ARRAY column given one row per element, as tag (explode_outer). Default: tags when the "
                    + "schema has it; none: no explode.")
    String explode;

    /** The sensor files as a schema, for reader options without --schema (location and tags stay nested). */
    static final RowSchema SENSOR_FILES = SchemaDdl.parse("sensor_id STRING, device_id STRING, "
            + "location STRUCT<building: STRING, floor: INT>, timestamp TIMESTAMP, temperature DOUBLE, humidity DOUBLE, "
            + "tags ARRAY<STRING>");

    /** The user's own files and their columns; null: the sensor files, as always. */
    private SensorAlerts.OwnData ownData;

    @Override
    OutputMode.Query query() {
        return OutputMode.Query.NO_AGGREGATION;
    }

    @Override
    void validate() {
        json.validate(streaming.trigger);
        if (reader.given() || key != null || value != null || eventTimeColumn != null || explode != null) {
            ownData = ownData();
        }
    }

    /** The user's files as the reader options say, and the columns the column flags name (or today's, by default). */
    private SensorAlerts.OwnData ownData() {
        ReaderOptions options = reader.resolve(json.input, Format.JSON, SENSOR_FILES, CliContext.of(spec).err());
        RowSchema schema = options.rowSchema();
        String keyColumn = SchemaColumns.column("--key", key == null ? "sensor_id" : key.strip(), schema);
        String valueColumn = SchemaColumns.number("--value", value == null ? "temperature" : value.strip(), schema);
        String timeColumn = eventTimeColumn != null
                ? SchemaColumns.eventTime("--event-time", eventTimeColumn.strip(), schema)
                : SchemaColumns.defaultEventTime(schema) != null ? SchemaColumns.defaultEventTime(schema)
                : SchemaColumns.soleTimestamp(schema);
        String explodeColumn = null;
        if (explode != null && !explode.strip().equalsIgnoreCase("none")) {
            explodeColumn = SchemaColumns.array("--explode", explode.strip(), schema);
        } else if (explode == null) {
            int tags = schema.indexOf("tags");
            explodeColumn = tags >= 0 && schema.column(tags).type() == RowSchema.Type.ARRAY ? "tags" : null;
        }
        if (api == Api.SQL && explodeColumn != null
                && schema.column(schema.indexOf(explodeColumn)).args().element().type() == RowSchema.Type.STRUCT) {
            // SQL's UNNEST spreads a row's fields over columns: no single tag column.
            throw new UsageException("--explode " + explodeColumn + ": --api sql explodes arrays of values, not of "
                    + "STRUCTs; use --api datastream");
        }
        for (String added : List.of("temp_fahrenheit", "severity", "tag", "processed_at")) {
            if (schema.indexOf(added) >= 0 && !added.equals(explodeColumn)) {
                throw new UsageException("the input has a column " + added + ", a name sensor-alerts adds; rename it in "
                        + "--schema");
            }
        }
        return new SensorAlerts.OwnData(options, keyColumn, valueColumn, timeColumn, explodeColumn);
    }

    @Override
    PatternOutputs define(StreamExecutionEnvironment env, OutputMode mode, Trigger trigger) {
        if (ownData != null) {
            RowInput rows = json.rowInput(env, trigger, ownData.reader());
            return switch (api) {
                case DATASTREAM -> SensorAlerts.ownData(rows, ownData, mode, trigger, ProcessingClock.SYSTEM);
                case SQL -> SensorAlerts.ownDataSql(rows, ownData, mode, trigger);
            };
        }
        var lines = json.lines(env, trigger);
        return switch (api) {
            case DATASTREAM -> SensorAlerts.dataStream(lines, mode, trigger, ProcessingClock.SYSTEM);
            case SQL -> SensorAlerts.sql(lines, mode, trigger);
        };
    }
}
