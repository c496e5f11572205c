package dev.flinkpatterns.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinkpatterns.io.SourceLine;
import dev.flinkpatterns.patterns.csv.Event;
import dev.flinkpatterns.patterns.csv.EventCsvParser;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class EventCsvParserTest {

    private final EventCsvParser parser = new EventCsvParser();

    private Optional<Event> parse(long lineNumber, String text) throws MalformedRecordException {
        return parser.parse(new SourceLine("file:/in/a.csv", lineNumber, text));
    }

    @Test
    void parsesAValidRowKeepingTheTimestampAsWritten() throws Exception {
        assertThat(parse(2, "2025-07-15T15:03:21.123456,3,logout"))
                .contains(new Event("2025-07-15T15:03:21.123456", 3, "logout", 1752591801123L));
    }

    @Test
    void aBlankLineIsNoRowAsInSparksCsvReader() throws Exception {
        assertThat(parse(1, "")).isEmpty();
        assertThat(parse(4, "")).isEmpty();
        assertThat(parse(4, "   ")).isEmpty();
    }

    @Test
    void skipsTheHeaderOnlyOnTheFirstLine() throws Exception {
        assertThat(parse(1, "timestamp,user_id,event")).isEmpty();
        assertThat(parse(1, " timestamp , user_id , event ")).isEmpty();
        assertThat(parse(1, "2025-07-15T15:03:21,1,login")).contains(new Event("2025-07-15T15:03:21", 1, "login", 1752591801000L));
        assertThatThrownBy(() -> parse(5, "timestamp,user_id,event"))
                .hasMessage("timestamp is not an ISO-8601 date-time: 'timestamp'");
    }

    @Test
    void readsQuotedFields() throws Exception {
        assertThat(parse(2, "\"2025-07-15T15:03:21\",\"7\",\"view\"")).contains(new Event("2025-07-15T15:03:21", 7, "view", 1752591801000L));
        assertThat(CsvFields.split("a,\"b,c\",\"say \"\"hi\"\"\",")).containsExactly("a", "b,c", "say \"hi\"", "");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "2025-07-15T15:03:21,3|expected 3 fields (timestamp,user_id,event) but found 2",
        "2025-07-15T15:03:21,3,login,extra|expected 3 fields (timestamp,user_id,event) but found 4",
        "2025-07-15T15:03:21,user3,login|user_id is not an integer: 'user3'",
        "2025-07-15T15:03:21, 3,login|user_id is not an integer: ' 3'",
        "2025-07-15T15:03:21,99999999999,login|user_id is not an integer: '99999999999'",
        "yesterday,3,login|timestamp is not an ISO-8601 date-time: 'yesterday'",
        "2025-13-45T15:03:21,3,login|timestamp is not an ISO-8601 date-time: '2025-13-45T15:03:21'",
        "2025-07-15T15:03:21,3,|event is empty",
        "2025-07-15T15:03:21,3,\"login|unterminated quoted field",
    })
    void refusesMalformedRowsWithTheReason(String line, String reason) {
        assertThatThrownBy(() -> parse(2, line)).isInstanceOf(MalformedRecordException.class).hasMessage(reason);
    }
}
