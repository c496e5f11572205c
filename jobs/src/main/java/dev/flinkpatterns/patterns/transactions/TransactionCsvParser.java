package dev.flinkpatterns.patterns.transactions;

import dev.flinkpatterns.io.SourceLine;
import dev.flinkpatterns.parse.CsvSchema;
import dev.flinkpatterns.parse.LineParser;
import dev.flinkpatterns.parse.MalformedRecordException;
import dev.flinkpatterns.parse.Timestamps;
import java.util.List;
import java.util.Optional;

/** The explicit schema of the transaction files, strict as {@link dev.flinkpatterns.patterns.csv.EventCsvParser}. */
public final class TransactionCsvParser implements LineParser<Transaction> {

    public static final CsvSchema SCHEMA =
            CsvSchema.of("event_time", "transaction_id", "user_id", "category", "region", "amount");

    @Override
    public Optional<Transaction> parse(SourceLine line) throws MalformedRecordException {
        List<String> fields = SCHEMA.fields(line);
        if (fields == null) {
            return Optional.empty();
        }
        return Optional.of(new Transaction(
                fields.get(0),
                Timestamps.parseMillis(fields.get(0)),
                CsvSchema.nonEmpty("transaction_id", fields.get(1)),
                CsvSchema.integer("user_id", fields.get(2)),
                CsvSchema.nonEmpty("category", fields.get(3)),
                CsvSchema.nonEmpty("region", fields.get(4)),
                CsvSchema.decimal("amount", fields.get(5))));
    }
}
