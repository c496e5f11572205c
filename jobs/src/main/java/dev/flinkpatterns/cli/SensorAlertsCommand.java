package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.Api;
import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.ProcessingClock;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.patterns.sensors.SensorAlerts;
import dev.flinkpatterns.run.PatternOutputs;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
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

    @Override
    OutputMode.Query query() {
        return OutputMode.Query.NO_AGGREGATION;
    }

    @Override
    void validate() {
        json.validate(streaming.trigger);
    }

    @Override
    PatternOutputs define(StreamExecutionEnvironment env, OutputMode mode, Trigger trigger) {
        var lines = json.lines(env, trigger);
        return switch (api) {
            case DATASTREAM -> SensorAlerts.dataStream(lines, mode, trigger, ProcessingClock.SYSTEM);
            case SQL -> SensorAlerts.sql(lines, mode, trigger);
        };
    }
}
