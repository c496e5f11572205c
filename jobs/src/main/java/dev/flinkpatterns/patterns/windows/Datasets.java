package dev.flinkpatterns.patterns.windows;

import dev.flinkpatterns.io.RateSource;
import dev.flinkpatterns.io.ReaderOptions;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.patterns.csv.Event;
import dev.flinkpatterns.patterns.sensors.SensorJsonParser;
import dev.flinkpatterns.patterns.sensors.SensorReading;
import dev.flinkpatterns.patterns.csv.EventCsvParser;
import dev.flinkpatterns.patterns.transactions.Transaction;
import dev.flinkpatterns.patterns.transactions.TransactionCsvParser;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.types.Row;

/** The datasets of the guides, by the name {@code --source} takes. */
public final class Datasets {

    private Datasets() {}

    /** The tutorial's user events: {@code window(timestamp, ...), user_id / event}, counted, with distinct users. */
    public static final Dataset<Event> EVENTS = new Dataset<>("events", "data/input", new EventCsvParser(),
            TypeInformation.of(Event.class), Event::eventTime,
            columns(Map.of(
                    "user_id", Dataset.Column.<Event>text(Event::userId),
                    "event", Dataset.Column.<Event>text(Event::event))),
            List.of("event"), null, "user_id");

    /** The guide's pattern 2 and the workshop's module 5: {@code category, region} with count, sum and avg of amount. */
    public static final Dataset<Transaction> TRANSACTIONS = new Dataset<>("transactions", "data/input/transactions",
            new TransactionCsvParser(), TypeInformation.of(Transaction.class), Transaction::eventTime,
            columns(Map.of(
                    "user_id", Dataset.Column.<Transaction>text(Transaction::userId),
                    "category", Dataset.Column.<Transaction>text(Transaction::category),
                    "region", Dataset.Column.<Transaction>text(Transaction::region),
                    "amount", Dataset.Column.<Transaction>decimal(Transaction::amount))),
            List.of("category"), "amount", "user_id");

    /** The workshop's module 4: {@code window(timestamp, ...), device_id / sensor_id} with avg(temperature). */
    public static final Dataset<SensorReading> SENSORS = new Dataset<>("sensors", "data/input/sensors",
            new SensorJsonParser(), TypeInformation.of(SensorReading.class), SensorReading::eventTime,
            columns(Map.of(
                    "sensor_id", Dataset.Column.<SensorReading>text(SensorReading::sensorId),
                    "device_id", Dataset.Column.<SensorReading>text(SensorReading::deviceId),
                    "building", Dataset.Column.<SensorReading>text(SensorReading::building),
                    "temperature", Dataset.Column.<SensorReading>decimal(SensorReading::temperature))),
            List.of("device_id"), "temperature", "sensor_id");

    /** Spark's rate source ({@code timestamp, value}), the day-43 exercise: statistics of value per window. */
    public static final Dataset<RateSource.RateRow> RATE = new Dataset<>("rate", null, null,
            TypeInformation.of(RateSource.RateRow.class), RateSource.RateRow::timestamp,
            columns(Map.of("value", Dataset.Column.<RateSource.RateRow>wholeNumber(RateSource.RateRow::value))),
            List.of(), "value", null);

    public static final List<Dataset<?>> ALL = List.of(EVENTS, TRANSACTIONS, SENSORS, RATE);

    public static Dataset<?> named(String name) {
        return ALL.stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "'" + name + "' is not a source; available: " + String.join(", ", ALL.stream().map(Dataset::name).toList())));
    }

    /** How {@link #ofSchema} names the user's files in messages ("not a column of the input"). */
    public static final String USER_INPUT = "the input";

    /**
     * The user's own files ({@code --format/--schema/...}): rows of {@code reader}'s schema, its columns in order;
     * INT, BIGINT, DOUBLE and DECIMAL columns are numbers. The event time is the TIMESTAMP column {@code eventTime}
     * (null: no event time, for a query without windows). No defaults: the query names its keys and aggregates. No
     * parser either: {@link dev.flinkpatterns.io.RowInput} reads the rows in any format
     * ({@link WindowAggregation#fromInput}).
     */
    public static Dataset<Row> ofSchema(ReaderOptions reader, String eventTime) {
        RowSchema schema = reader.rowSchema();
        Map<String, Dataset.Column<Row>> columns = new LinkedHashMap<>();
        for (int i = 0; i < schema.size(); i++) {
            int index = i;
            RowSchema.Type type = schema.column(i).type();
            Dataset.Getter<Row> getter = row -> row.getField(index);
            Dataset.Column<Row> column = switch (type) {
                case INT, LONG -> Dataset.Column.wholeNumber(getter);
                case DOUBLE, DECIMAL -> Dataset.Column.decimal(getter);
                default -> Dataset.Column.text(getter);
            };
            columns.put(schema.column(i).name(), column.typed(schema.column(i)));
        }
        Dataset.EventTimeOf<Row> time = row -> 0L;
        if (eventTime != null) {
            int index = schema.indexOf(eventTime);
            time = row -> RowSchema.millis((LocalDateTime) row.getField(index));
        }
        return new Dataset<>(USER_INPUT, null, null, schema.rowType(), time, columns, List.of(), null, null);
    }

    private static <T> Map<String, Dataset.Column<T>> columns(Map<String, Dataset.Column<T>> columns) {
        return new LinkedHashMap<>(new java.util.TreeMap<>(columns));
    }
}
