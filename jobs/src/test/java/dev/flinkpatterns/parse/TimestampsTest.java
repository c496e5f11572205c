package dev.flinkpatterns.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {

    @Test
    void parsesTheDataFormsToUtcMillis() throws Exception {
        assertThat(Timestamps.parseMillis("1970-01-01T00:00:00")).isZero();
        assertThat(Timestamps.parseMillis("2024-01-15T10:00:03.123456")).isEqualTo(1705312803123L);
        assertThat(Timestamps.parseMillis("2024-01-15 10:00:03.5")).isEqualTo(1705312803500L);
        assertThat(Timestamps.parseMillis("2024-02-29T23:59:59.999")).isEqualTo(1709251199999L);
    }

    @Test
    void agreesWithJavaTimeOnRandomDates() throws Exception {
        Random random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            LocalDateTime time = LocalDateTime.ofEpochSecond(random.nextLong(-2_000_000_000L, 5_000_000_000L),
                    random.nextInt(1000) * 1_000_000, ZoneOffset.UTC);
            String text = time.format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS"));
            assertThat(Timestamps.parseMillis(text)).as(text).isEqualTo(time.toInstant(ZoneOffset.UTC).toEpochMilli());
        }
    }

    @Test
    void readsUtcTimesAsSparksJsonAndCsvWritersWriteThem() throws Exception {
        assertThat(Timestamps.parseMillis("2024-01-15T10:00:00.250Z")).isEqualTo(1705312800250L);
        assertThat(Timestamps.parseMillis("2024-01-15T10:00:00Z")).isEqualTo(1705312800000L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2024-01-15", "2024-13-01T00:00:00", "2024-02-30T00:00:00", "2024-01-15T24:00:00",
            "2024-01-15T10:00:0x", "2024-01-15T10:00:00.", "2024-01-15T10:00:00+01:00", "2024-01-15Z",
            "not a time at all!!"})
    void refusesWhatIsNotALocalDateTime(String text) {
        assertThatThrownBy(() -> Timestamps.parseMillis(text))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("not an ISO-8601 date-time");
    }

    @Test
    void displaysAsSparkDoes() {
        assertThat(Timestamps.display(1705312800000L)).isEqualTo("2024-01-15 10:00:00");
        assertThat(Timestamps.display(1705312803123L)).isEqualTo("2024-01-15 10:00:03.123");
    }
}
