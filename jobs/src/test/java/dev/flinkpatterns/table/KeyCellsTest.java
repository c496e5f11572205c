package dev.flinkpatterns.table;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.io.SchemaDdl;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyCellsTest {

    @Test
    void valuesComeBackWithTheirTypesAndANullIsNeitherEmptyNorTheTextNull() {
        RowSchema schema = SchemaDdl.parse("zone STRING, note STRING, other STRING, passengers INT, fare DECIMAL(10,2), "
                + "at TIMESTAMP, day DATE, paid BOOLEAN, ratio DOUBLE, missing BIGINT");
        List<Object> values = Arrays.asList("Newark, Airport", "", "null", 3, new BigDecimal("7.80"),
                LocalDateTime.of(2024, 1, 15, 9, 15, 0, 123_000_000), LocalDate.of(2024, 1, 15), true, 0.5, null);

        List<Object> cells = KeyCells.cells(KeyCells.join(values),
                schema.columns().stream().map(KeyCells::resultColumn).toList());

        assertThat(cells).isEqualTo(values);
        assertThat(KeyCells.texts(KeyCells.join(values), values.size()))
                .containsExactly("Newark, Airport", "", "null", "3", "7.80", "2024-01-15 09:15:00.123", "2024-01-15",
                        "true", "0.5", null);
    }

    @Test
    void nestedColumnsAreKeptAsText() {
        RowSchema schema = SchemaDdl.parse("device STRUCT<id: INT, country: STRING>, tags ARRAY<STRING>");

        assertThat(schema.columns().stream().map(KeyCells::resultColumn).map(RowSchema.Column::ddlType))
                .containsExactly("STRING", "STRING");
    }
}
