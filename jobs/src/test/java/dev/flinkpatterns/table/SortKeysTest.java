package dev.flinkpatterns.table;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SortKeysTest {

    @Test
    void padsAsStringFormatDoes() {
        long[] values = {0, 7, 42, 123_456, 999_999_999_999L, 1_000_000_000_000L, -1, -12, -123_456_789, Long.MAX_VALUE,
                Long.MIN_VALUE};
        for (long value : values) {
            for (int width : new int[] {1, 6, 12, 20}) {
                assertThat(SortKeys.zeroPadded(value, width)).as("%d width %d", value, width)
                        .isEqualTo(String.format("%0" + width + "d", value));
            }
        }
    }
}
