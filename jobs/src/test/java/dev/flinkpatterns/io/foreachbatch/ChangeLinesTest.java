package dev.flinkpatterns.io.foreachbatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.table.Change;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

/** A pending batch file's line gives back the change with the same typed values (what a restored sink hands on). */
class ChangeLinesTest {

    @Test
    void typedValuesComeBackAsTheSameJavaTypes() {
        Change change = Change.of("k\u00001", "text", 3, 4L, 82.4, new BigDecimal("12.50"), true,
                LocalDateTime.of(2024, 1, 15, 10, 0, 0, 250_000_000), LocalDate.of(2024, 1, 15), null);

        String line = ChangeLines.line(change);

        assertThat(line).isEqualTo("{\"key\":\"k\\u00001\",\"cells\":[\"text\",3,4,82.4,\"12.50\",true,"
                + "\"2024-01-15T10:00:00.250\",\"2024-01-15\",null],\"types\":\"SILDNBTA \"}");
        assertThat(ChangeLines.change(line)).isEqualTo(change);
        assertThat(ChangeLines.change(ChangeLines.line(Change.delete("gone")))).isEqualTo(Change.delete("gone"));
    }
}
