package dev.flinkpatterns.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinkpatterns.io.ReaderOptions.Format;
import dev.flinkpatterns.parse.LineParser;
import dev.flinkpatterns.parse.MalformedRecordException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;

/** The line parsers of {@link ReaderOptions} on the test datasets and on lines that do not fit. */
class ReaderOptionsTest {

    @Test
    void taxiTripsWithTheirOwnTimestampFormatAndDecimalFares() throws Exception {
        List<Row> rows = parseAll(TestDatasets.taxiOptions(), TestDatasets.taxi().resolve("trips-1.csv"));
        assertThat(rows).containsExactly(
                Row.of(at(2024, 1, 15, 8, 5), at(2024, 1, 15, 8, 25), "Midtown", new BigDecimal("23.50"), 1),
                Row.of(at(2024, 1, 15, 8, 12), at(2024, 1, 15, 8, 40), "Newark, Airport", new BigDecimal("71.25"), 2),
                Row.of(at(2024, 1, 15, 8, 31), at(2024, 1, 15, 8, 44), "Midtown", new BigDecimal("12.00"), 1));
        assertThat(((BigDecimal) rows.get(2).getField(3)).scale()).isEqualTo(2);
    }

    @Test
    void taxiLinesThatDoNotFitNameTheColumn() {
        LineParser<Row> parser = TestDatasets.taxiOptions().lineParser();
        assertMalformed(parser, "15/01/2024 08:05,15/01/2024 08:25,Midtown,23.505,1",
                "fare does not fit DECIMAL(10,2): '23.505' has more than 2 decimal places");
        assertMalformed(parser, "15/01/2024 08:05,15/01/2024 08:25,Midtown,123456789.00,1",
                "fare does not fit DECIMAL(10,2): '123456789.00' has more than 8 integer digits");
        assertMalformed(parser, "15/01/2024 08:05,15/01/2024 08:25,Midtown,abc,1", "fare is not a decimal: 'abc'");
        assertMalformed(parser, "2024-01-15 08:05,15/01/2024 08:25,Midtown,1.00,1",
                "pickup_at: timestamp does not match the pattern 'dd/MM/yyyy HH:mm': '2024-01-15 08:05'");
        assertMalformed(parser, "31/02/2024 08:05,15/01/2024 08:25,Midtown,1.00,1",
                "pickup_at: timestamp does not match the pattern 'dd/MM/yyyy HH:mm': '31/02/2024 08:05'");
    }

    @Test
    void headerDelimiterQuotesAndDates() throws Exception {
        ReaderOptions options = new ReaderOptions(Format.CSV, SchemaDdl.parse("day DATE, note STRING, n BIGINT"), true, '\t',
                null, "dd.MM.yyyy", false);
        LineParser<Row> parser = options.lineParser();
        assertThat(parser.parse(new SourceLine("f", 1, "whatever\theader"))).isEmpty();
        assertThat(parser.parse(new SourceLine("f", 2, "15.01.2024\t\"tab\there, \\\"quoted\\\"\"\t7")))
                .contains(Row.of(LocalDate.of(2024, 1, 15), "tab\there, \"quoted\"", 7L));
        assertThat(parser.parse(new SourceLine("f", 3, "16.01.2024\t\t")))
                .contains(Row.of(LocalDate.of(2024, 1, 16), null, null));
        assertMalformed(parser, "2024-01-15\tx\t1", "day: date does not match the pattern 'dd.MM.yyyy': '2024-01-15'");
        ReaderOptions noHeader = new ReaderOptions(Format.CSV, SchemaDdl.parse("a STRING, b STRING"), false, ';', null, null, false);
        assertThat(noHeader.lineParser().parse(new SourceLine("f", 1, "a;b"))).contains(Row.of("a", "b"));
    }

    @Test
    void nestedClicksFillStructsAndArrays() throws Exception {
        ReaderOptions options = TestDatasets.clicksOptions(false);
        assertThat(options.rowSchema().rowType().toString()).isEqualTo("Row(event_id: String, ts: LocalDateTime, "
                + "user: Row(id: Long, country: String), page: String, tags: List<String>)");
        assertThat(parseAll(options, TestDatasets.clicks().resolve("clicks-1.jsonl"))).containsExactly(
                Row.of("c1", at(2024, 1, 15, 10, 0, 3), Row.of(42L, "DE"), "/home", List.of("promo", "mobile")),
                Row.of("c2", at(2024, 1, 15, 10, 0, 9), Row.of(7L, "FR"), "/cart", List.of()),
                Row.of("c3", at(2024, 1, 15, 10, 1, 30), Row.of(42L, "DE"), "/checkout", List.of("mobile")));
        assertThat(parseAll(options, TestDatasets.clicks().resolve("clicks-2.jsonl"))).containsExactly(
                Row.of("c4", at(2024, 1, 15, 10, 2, 0), Row.of(99L, null), "/home", List.of("promo")),
                Row.of("c5", at(2024, 1, 15, 10, 2, 45), Row.of(7L, "FR"), "/home", null));
        LineParser<Row> parser = options.lineParser();
        assertMalformed(parser, "{\"event_id\":\"x\",\"user\":{\"id\":\"seven\"}}", "user.id is not a long integer: \"seven\"");
        assertMalformed(parser, "{\"event_id\":\"x\",\"tags\":[\"a\",3]}", "tags[1] is not a string: 3");
        assertMalformed(parser, "{\"event_id\":\"x\",\"user\":[1]}", "user is not an object: [1]");
    }

    @Test
    void rescuedDataKeepsFieldsNotInTheSchemaAndValuesOfTheWrongType() throws Exception {
        ReaderOptions options = TestDatasets.clicksOptions(true);
        assertThat(options.rowSchema().names()).containsExactly("event_id", "ts", "user", "page", "tags", "_rescued_data");
        List<Row> rows = parseAll(options, TestDatasets.clicks().resolve("clicks-1.jsonl"));
        assertThat(rows).extracting(row -> row.getField(5)).containsExactly(null, "{\"referrer\":\"search\"}", null);
        Optional<Row> mismatch = options.lineParser().parse(new SourceLine("f", 1,
                "{\"event_id\":\"x\",\"page\":404,\"extra\":{\"a\":[1.50]}}"));
        assertThat(mismatch).contains(Row.of("x", null, null, null, null, "{\"page\":404,\"extra\":{\"a\":[1.50]}}"));
        assertThatThrownBy(() -> new ReaderOptions(Format.CSV, SchemaDdl.parse("a INT"), null, ',', null, null, true))
                .hasMessage("rescued data is for the json format, not csv");
    }

    @Test
    void optionsThatDoNotFitTheFormatAreRefused() throws Exception {
        assertThatThrownBy(() -> ReaderOptions.of(Format.CSV, SchemaDdl.parse("a ARRAY<INT>")))
                .hasMessage("column a is ARRAY<INT>, which CSV cannot hold (nor can Spark's CSV reader); use the json or parquet format");
        assertThatThrownBy(() -> new ReaderOptions(Format.CSV, SchemaDdl.parse("a TIMESTAMP"), null, ',', "yyyy-MM-dd HH:mm:ss bb", null, false))
                .hasMessageStartingWith("timestampFormat 'yyyy-MM-dd HH:mm:ss bb' is not a datetime pattern: ");
        assertThat(ReaderOptions.of(Format.TEXT, null).lineParser().parse(new SourceLine("f", 1, "a,b"))).contains(Row.of("a,b"));
    }

    private static List<Row> parseAll(ReaderOptions options, Path file) throws Exception {
        LineParser<Row> parser = options.lineParser();
        List<Row> rows = new ArrayList<>();
        long number = 0;
        for (String line : Files.readAllLines(file)) {
            parser.parse(new SourceLine(file.getFileName().toString(), ++number, line)).ifPresent(rows::add);
        }
        return rows;
    }

    private static void assertMalformed(LineParser<Row> parser, String line, String reason) {
        assertThatThrownBy(() -> parser.parse(new SourceLine("f", 2, line)))
                .isInstanceOf(MalformedRecordException.class).hasMessage(reason);
    }

    private static LocalDateTime at(int year, int month, int day, int hour, int minute) {
        return LocalDateTime.of(year, month, day, hour, minute);
    }

    private static LocalDateTime at(int year, int month, int day, int hour, int minute, int second) {
        return LocalDateTime.of(year, month, day, hour, minute, second);
    }
}
