package dev.flinkpatterns.patterns.sensors;

import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.ProcessingClock;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.FileSources;
import dev.flinkpatterns.io.ReaderOptions;
import dev.flinkpatterns.io.RowInput;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.io.SourceLine;
import dev.flinkpatterns.parse.ParseOrDeadLetter;
import dev.flinkpatterns.run.PatternOutputs;
import dev.flinkpatterns.sql.SqlEnvironments;
import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.table.ResultTable;
import dev.flinkpatterns.table.ResultTables;
import dev.flinkpatterns.udfs.ClassifySeverity;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

    /**
     * The user's own files ({@code --format}, {@code --schema}, ... and the column flags): how they are read, the
     * sensor's id column ({@code key}), the measured {@code value} (a number) the rule and the UDF look at, the
     * reading's time ({@code eventTime}, may be null) and the array column exploded into {@code tag} (may be null).
     */
    public record OwnData(ReaderOptions reader, String key, String value, String eventTime, String explode)
            implements Serializable {

        /** The columns a row needs: a null in one of them makes the line a dead letter. */
        List<String> required() {
            List<String> required = new ArrayList<>(List.of(key, value));
            if (eventTime != null && !required.contains(eventTime)) {
                required.add(eventTime);
            }
            return required;
        }

        /**
         * {@link #QUERY} over the view {@code readings} of the user's rows (with their order key): the order key, the
         * tag's ordinal, the result's columns. {@code value} is compared and converted as a DOUBLE, as in the
         * DataStream job.
         */
        String sql() {
            RowSchema input = reader.rowSchema();
            List<String> select = new ArrayList<>(List.of("r." + quoted(FileSources.ORDER_KEY),
                    explode == null ? "0 AS tag_ordinal" : "COALESCE(t.tag_ordinal, 0) AS tag_ordinal"));
            for (String column : input.names()) {
                if (!column.equals(explode)) {
                    select.add("r." + quoted(column));
                }
            }
            String number = "CAST(r." + quoted(value) + " AS DOUBLE)";
            select.add("ROUND(" + number + " * 9 / 5 + 32, 2) AS temp_fahrenheit");
            select.add(ClassifySeverity.SQL_NAME + "(" + number + ") AS severity");
            if (explode != null) {
                select.add("t.tag");
            }
            select.add("r.processed_at");
            return "SELECT " + String.join(", ", select)
                    + "\nFROM (SELECT *, CURRENT_TIMESTAMP AS processed_at FROM readings r WHERE " + number + " > 75) r"
                    + (explode == null ? "" : "\nLEFT JOIN UNNEST(r." + quoted(explode)
                            + ") WITH ORDINALITY AS t(tag, tag_ordinal) ON TRUE");
        }

        private static String quoted(String column) {
            return "`" + column.replace("`", "``") + "`";
        }

        /**
         * The input's columns (but the exploded array), then temp_fahrenheit, severity, tag (the array's element,
         * with {@code explode}) and processed_at, as the preset's result.
         */
        public RowSchema resultSchema() {
            List<RowSchema.Column> columns = new ArrayList<>();
            RowSchema input = reader.rowSchema();
            for (RowSchema.Column column : input.columns()) {
                if (!column.name().equals(explode)) {
                    columns.add(column);
                }
            }
            columns.add(RowSchema.Column.nullable("temp_fahrenheit", RowSchema.Type.DOUBLE));
            columns.add(RowSchema.Column.nullable("severity", RowSchema.Type.STRING));
            if (explode != null) {
                columns.add(input.column(input.indexOf(explode)).args().element().withName("tag").withNullable(true));
            }
            columns.add(RowSchema.Column.nullable("processed_at", RowSchema.Type.TIMESTAMP));
            return new RowSchema(columns);
        }
    }

    /**
     * The DataStream job over the user's own files: rows whose {@code value} is above 75, with temp_fahrenheit,
     * severity and processed_at, one row per element of {@code explode} (explode_outer); in the files' order.
     */
    public static PatternOutputs ownData(RowInput input, OwnData data, OutputMode mode, Trigger trigger,
            ProcessingClock clock) {
        var parsed = input.positioned(data.required(), null);
        RowSchema schema = input.schema();
        int value = schema.indexOf(data.value());
        int explode = data.explode() == null ? -1 : schema.indexOf(data.explode());
        int orderKey = schema.size();
        DataStream<Change> rows = parsed.records()
                .filter(row -> number(row.getField(value)) > 75)
                .name(data.value() + " > 75")
                .uid("hot-readings")
                .<Change>flatMap((row, out) -> {
                    long now = clock.currentTimeMillis();
                    Object array = explode < 0 ? null : row.getField(explode);
                    List<?> elements = array == null ? List.of() : RowSchema.elements(array);
                    String origin = (String) row.getField(orderKey);
                    if (elements.isEmpty()) {
                        out.collect(ownAlert(row, orderKey, explode, origin, 0, null, value, now));
                    }
                    for (int i = 0; i < elements.size(); i++) {
                        out.collect(ownAlert(row, orderKey, explode, origin, i + 1, elements.get(i), value, now));
                    }
                })
                .returns(TypeInformation.of(Change.class))
                .name("enrich, explode_outer(" + data.explode() + ")")
                .uid("alerts");
        return new PatternOutputs(new ResultTable(rows, data.resultSchema(), mode, trigger), parsed.deadLetters());
    }

    /**
     * SQL over the user's own files: their typed rows as the view {@code readings} and {@link OwnData#sql()}; the
     * same rows as {@link #ownData}.
     */
    public static PatternOutputs ownDataSql(RowInput input, OwnData data, OutputMode mode, Trigger trigger) {
        var parsed = input.positioned(data.required(), null);
        StreamTableEnvironment tables = SqlEnvironments.on(parsed.records().getExecutionEnvironment());
        tables.createTemporarySystemFunction(ClassifySeverity.SQL_NAME, ClassifySeverity.class);
        tables.createTemporaryView("readings",
                SqlEnvironments.typedView(tables, parsed.records(), FileSources.withOrderKey(input.schema())));
        int columns = data.resultSchema().size();
        DataStream<Change> alerts = tables.toDataStream(tables.sqlQuery(data.sql()))
                .map(row -> {
                    // origin, tag_ordinal, then the result's columns, processed_at (an instant) last
                    List<Object> cells = new ArrayList<>(columns);
                    for (int i = 2; i < columns + 1; i++) {
                        cells.add(row.getField(i));
                    }
                    cells.add(RowSchema.toTime(((Instant) row.getField(columns + 1)).toEpochMilli()));
                    return new Change(SensorAlert.key((String) row.getField(0), (Integer) row.getField(1)), cells);
                })
                .returns(TypeInformation.of(Change.class))
                .name("as table rows")
                .uid("sql-alerts");
        return new PatternOutputs(new ResultTable(alerts, data.resultSchema(), mode, trigger), parsed.deadLetters());
    }

    private static Change ownAlert(Row row, int orderKey, int explode, String origin, int ordinal, Object element,
            int value, long processedAt) {
        List<Object> cells = new ArrayList<>(orderKey + 3);
        for (int i = 0; i < orderKey; i++) {
            if (i != explode) {
                cells.add(row.getField(i));
            }
        }
        double temperature = number(row.getField(value));
        cells.add(SensorAlert.fahrenheit(temperature));
        cells.add(ClassifySeverity.classify(temperature));
        if (explode >= 0) {
            cells.add(element);
        }
        cells.add(RowSchema.toTime(processedAt));
        return new Change(SensorAlert.key(origin, ordinal), cells);
    }

    /** A numeric column's value (INT, BIGINT, DOUBLE or DECIMAL) as the double the rule and the UDF take. */
    private static double number(Object value) {
        return value instanceof BigDecimal decimal ? decimal.doubleValue() : ((Number) value).doubleValue();
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
