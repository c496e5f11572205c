package dev.flinkpatterns.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class TextFormatsTest {

    @Test
    void sparkDatetimePatterns() throws Exception {
        assertThat(new TextFormats("yyyy-MM-dd HH:mm:ss", null).timestamp("t", "2024-01-15 10:00:03"))
                .isEqualTo(LocalDateTime.of(2024, 1, 15, 10, 0, 3));
        assertThat(new TextFormats("dd/MM/yyyy HH:mm", null).timestamp("t", "15/01/2024 08:05"))
                .isEqualTo(LocalDateTime.of(2024, 1, 15, 8, 5));
        assertThat(new TextFormats("MM/dd/yyyy'T'HH:mm:ss.SSS", null).timestamp("t", "01/15/2024T10:00:03.123"))
                .isEqualTo(LocalDateTime.of(2024, 1, 15, 10, 0, 3, 123_000_000));
        assertThat(new TextFormats("dd.MM.yyyy", null).timestamp("t", "29.02.2024"))
                .isEqualTo(LocalDateTime.of(2024, 2, 29, 0, 0));
        assertThat(new TextFormats(null, "MM/dd/yy").date("d", "01/15/24")).isEqualTo(LocalDate.of(2024, 1, 15));
    }

    @Test
    void withoutAPatternTheDataFormIsRead() throws Exception {
        assertThat(TextFormats.DEFAULT.timestamp("t", "2024-01-15T10:00:03.5")).isEqualTo(LocalDateTime.of(2024, 1, 15, 10, 0, 3, 500_000_000));
        assertThat(TextFormats.DEFAULT.date("d", "2024-01-15")).isEqualTo(LocalDate.of(2024, 1, 15));
        assertThatThrownBy(() -> TextFormats.DEFAULT.date("d", "15/01/2024"))
                .hasMessage("d: date is not an ISO-8601 date (yyyy-MM-dd): '15/01/2024'");
    }

    @Test
    void valuesThatDoNotMatchAndBadPatterns() {
        assertThatThrownBy(() -> new TextFormats("dd/MM/yyyy HH:mm", null).timestamp("pickup_at", "30/02/2024 08:05"))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessage("pickup_at: timestamp does not match the pattern 'dd/MM/yyyy HH:mm': '30/02/2024 08:05'");
        assertThatThrownBy(() -> new TextFormats("yyyy-MM-dd HH:mm:ss", null).timestamp("t", "2024-01-15"))
                .isInstanceOf(MalformedRecordException.class);
        assertThatThrownBy(() -> new TextFormats(null, "yyyy-qq-bb"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("dateFormat 'yyyy-qq-bb' is not a datetime pattern: ");
    }
}
