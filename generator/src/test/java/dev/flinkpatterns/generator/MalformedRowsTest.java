package dev.flinkpatterns.generator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.generator.MalformedRows.Kind;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MalformedRowsTest {

    private static final String GOOD_ROW = "2025-07-15T15:03:00.000000,3,login";

    @Test
    void eachKindGivesItsExactShape() {
        Map<Kind, String> expected = new EnumMap<>(Kind.class);
        expected.put(Kind.MISSING_FIELD, "2025-07-15T15:03:00.000000,3");
        expected.put(Kind.EXTRA_FIELD, "2025-07-15T15:03:00.000000,3,login,extra");
        expected.put(Kind.NON_NUMERIC_USER_ID, "2025-07-15T15:03:00.000000,user3,login");
        expected.put(Kind.BAD_TIMESTAMP, "yesterday,3,login");
        expected.put(Kind.BLANK_LINE, "");
        // a new Kind must get an expectation here
        assertThat(expected.keySet()).isEqualTo(EnumSet.allOf(Kind.class));

        for (Kind kind : Kind.values()) {
            assertThat(MalformedRows.corrupt(GOOD_ROW, 1, kind)).as(kind.name()).isEqualTo(expected.get(kind));
        }
    }

    @Test
    void theUserIdColumnIsTheOneMadeNonNumeric() {
        String transaction = "2024-01-15T10:00:00.000000,t-000001,5,home,north,312.60";

        assertThat(MalformedRows.corrupt(transaction, 2, Kind.NON_NUMERIC_USER_ID))
                .isEqualTo("2024-01-15T10:00:00.000000,t-000001,user5,home,north,312.60");
        assertThat(MalformedRows.corrupt(transaction, 2, Kind.MISSING_FIELD))
                .isEqualTo("2024-01-15T10:00:00.000000,t-000001,5,home,north");
        assertThat(MalformedRows.corrupt(transaction, 2, Kind.BAD_TIMESTAMP))
                .isEqualTo("yesterday,t-000001,5,home,north,312.60");
    }

    @Test
    void randomCorruptionPicksTheKindFromTheRandom() {
        EnumSet<Kind> seen = EnumSet.noneOf(Kind.class);
        for (long seed = 0; seed < 50; seed++) {
            Kind kind = Kind.values()[new Random(seed).nextInt(Kind.values().length)];
            seen.add(kind);
            assertThat(MalformedRows.corrupt(GOOD_ROW, 1, new Random(seed)))
                    .isEqualTo(MalformedRows.corrupt(GOOD_ROW, 1, kind));
        }
        assertThat(seen).isEqualTo(EnumSet.allOf(Kind.class));
    }
}
