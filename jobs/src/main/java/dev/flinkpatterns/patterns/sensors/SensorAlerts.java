package dev.flinkpatterns.patterns.sensors;

import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.ProcessingClock;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.SourceLine;
import dev.flinkpatterns.parse.ParseOrDeadLetter;
import dev.flinkpatterns.run.PatternOutputs;
import dev.flinkpatterns.sql.SqlEnvironments;
import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.table.ResultTable;
import dev.flinkpatterns.table.ResultTables;
import dev.flinkpatterns.udfs.ClassifySeverity;
import java.time.Instant;
import java.util.function.Function;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;

/**
 * The workshop's module 3: {@code from_json}, {@code filter(temperature > 75)}, {@code temp_fahrenheit}, the
 * {@code classify_severity} UDF, {@code current_timestamp()} and {@code explode_outer(tags)}, in the DataStream
 * API and in SQL. Both give the same rows; only the middle step differs.
 */
public final class SensorAlerts {

    /**
     * The SQL version of the middle step. {@code LEFT JOIN ... ON TRUE} keeps a reading without tags, with tag
     * null (Spark's {@code explode_outer}). The ordinal keeps rows of one reading apart (tags may repeat); its
     * COALESCE is needed: Flink 2.2's planner types it NOT NULL even in a LEFT JOIN and fails on a bare use.
     * {@code processed_at} is taken before the unnest, so the rows of one reading share it, as in the DataStream job.
     */
    static final String QUERY = """
            SELECT origin, COALESCE(tag_ordinal, 0) AS tag_ordinal,
                   sensorId AS sensor_id, deviceId AS device_id, building, `timestamp`, temperature,
                   ROUND(temperature * 9 / 5 + 32, 2) AS temp_fahrenheit,
                   classify_severity(temperature) AS severity,
                   tag, processed_at
            FROM (SELECT *, CURRENT_TIMESTAMP AS processed_at FROM readings WHERE temperature > 75)
            LEFT JOIN UNNEST(tags) WITH ORDINALITY AS t(tag, tag_ordinal) ON TRUE
            """;

    private SensorAlerts() {}

    /** The DataStream API; {@code clock} gives {@code processed_at}. */
    public static PatternOutputs dataStream(DataStream<SourceLine> lines, OutputMode mode, Trigger trigger,
            ProcessingClock clock) {
        return alerts(lines, mode, trigger, readings -> readings
                .filter(reading -> reading.temperature() > 75)
                .name("temperature > 75")
                .uid("hot-readings")
                .<SensorAlert>flatMap((reading, out) -> {
                    long now = clock.currentTimeMillis();
                    if (reading.tags().isEmpty()) {
                        out.collect(alert(reading, 0, null, now));
                    }
                    for (int i = 0; i < reading.tags().size(); i++) {
                        out.collect(alert(reading, i + 1, reading.tags().get(i), now));
                    }
                })
                .returns(TypeInformation.of(SensorAlert.class))
                .name("enrich, explode_outer(tags)")
                .uid("alerts"));
    }

    /** SQL: the parsed readings as a table, {@link #QUERY}, and back to a stream. */
    public static PatternOutputs sql(DataStream<SourceLine> lines, OutputMode mode, Trigger trigger) {
        return alerts(lines, mode, trigger, readings -> {
            StreamTableEnvironment tables = SqlEnvironments.on(readings.getExecutionEnvironment());
            tables.createTemporarySystemFunction(ClassifySeverity.SQL_NAME, ClassifySeverity.class);
            tables.createTemporaryView("readings", readings);
            return tables.toDataStream(tables.sqlQuery(QUERY))
                    .map(SensorAlerts::fromRow)
                    .returns(TypeInformation.of(SensorAlert.class))
                    .name("as alerts")
                    .uid("sql-alerts");
        });
    }

    /** What both APIs share: parsing (bad lines to dead letters) and the result table. */
    private static PatternOutputs alerts(DataStream<SourceLine> lines, OutputMode mode, Trigger trigger,
            Function<DataStream<SensorReading>, DataStream<SensorAlert>> enrich) {
        var parsed = ParseOrDeadLetter.parse(lines, new SensorJsonParser(), TypeInformation.of(SensorReading.class));
        DataStream<Change> rows = enrich.apply(parsed.records())
                .map(SensorAlert::toChange)
                .returns(TypeInformation.of(Change.class))
                .name("as table rows")
                .uid("alert-rows");
        return new PatternOutputs(new ResultTable(rows, SensorAlert.SCHEMA, mode, trigger), parsed.deadLetters());
    }

    private static SensorAlert alert(SensorReading reading, int tagOrdinal, String tag, long processedAt) {
        double temperature = reading.temperature();
        return new SensorAlert(SensorAlert.key(reading.origin(), tagOrdinal), reading.sensorId(), reading.deviceId(),
                reading.building(), reading.timestamp(), temperature, SensorAlert.fahrenheit(temperature),
                ClassifySeverity.classify(temperature), tag, processedAt);
    }

    private static SensorAlert fromRow(Row row) {
        Instant processedAt = row.getFieldAs("processed_at");
        return new SensorAlert(SensorAlert.key(row.getFieldAs("origin"), row.<Integer>getFieldAs("tag_ordinal")),
                row.getFieldAs("sensor_id"), row.getFieldAs("device_id"), row.getFieldAs("building"),
                row.getFieldAs("timestamp"), row.<Double>getFieldAs("temperature"),
                row.<Double>getFieldAs("temp_fahrenheit"), row.getFieldAs("severity"), row.getFieldAs("tag"),
                processedAt.toEpochMilli());
    }
}
