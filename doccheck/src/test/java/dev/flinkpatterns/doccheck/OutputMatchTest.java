package dev.flinkpatterns.doccheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OutputMatchTest {

    private static final List<String> REAL = List.of(
            "Flink web UI: http://localhost:8081",
            "Batch: 0",
            "+-------+-----+",
            "| event |count|   ",
            "| click |    3|",
            "job 0a1b2c3d4e5f60718293a4b5c6d7e8f9 finished in 12.5 s");

    @Test
    void expectedLinesMustAppearInOrderWithOthersBetween() {
        assertThat(OutputMatch.mismatch(List.of("Batch: 0", "...", "| click |    3|"), REAL, List.of(), false)).isEmpty();
        assertThat(OutputMatch.mismatch(List.of("| click |    3|", "Batch: 0"), REAL, List.of(), false))
                .hasValueSatisfying(m -> assertThat(m).contains("expected line 2 of 2").contains("earlier"));
        assertThat(OutputMatch.mismatch(List.of("| click |    3|", "Batch: 0"), REAL, List.of(), true)).isEmpty();
    }

    @Test
    void aChangedCountIsAMismatch() {
        assertThat(OutputMatch.mismatch(List.of("| click |    4|"), REAL, List.of(), false))
                .hasValueSatisfying(m -> assertThat(m).contains("| click |    4|"));
        assertThat(OutputMatch.mismatch(List.of("Batch: 0", "Batch: 0"), REAL, List.of(), true)).isPresent();
    }

    @Test
    void trailingSpacesJobIdsAndIgnoredPartsDoNotCount() {
        assertThat(OutputMatch.mismatch(List.of("| event |count|",
                        "job ffffffffffffffffffffffffffffffff finished in 3.0 s"), REAL, List.of("\\d+\\.\\d s"), false))
                .isEmpty();
        assertThat(OutputMatch.mismatch(List.of("job ffffffffffffffffffffffffffffffff finished in 3.0 s"),
                REAL, List.of(), false)).isPresent();
    }
}
