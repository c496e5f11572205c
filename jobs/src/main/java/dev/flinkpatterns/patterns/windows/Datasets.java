package dev.flinkpatterns.patterns.windows;

import dev.flinkpatterns.patterns.csv.Event;
import dev.flinkpatterns.patterns.csv.EventCsvParser;
import dev.flinkpatterns.patterns.transactions.Transaction;
import dev.flinkpatterns.patterns.transactions.TransactionCsvParser;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;

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

    public static final List<Dataset<?>> ALL = List.of(EVENTS, TRANSACTIONS);

    public static Dataset<?> named(String name) {
        return ALL.stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "'" + name + "' is not a source; available: " + String.join(", ", ALL.stream().map(Dataset::name).toList())));
    }

    private static <T> Map<String, Dataset.Column<T>> columns(Map<String, Dataset.Column<T>> columns) {
        return new LinkedHashMap<>(new java.util.TreeMap<>(columns));
    }
}
