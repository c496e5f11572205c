package dev.flinkpatterns.patterns.windows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** approx_count_distinct's sketch: exact on small sets, within Spark's 5% on large ones, mergeable. */
class HyperLogLogTest {

    private static HyperLogLog of(int from, int to) {
        HyperLogLog sketch = new HyperLogLog();
        for (int i = from; i < to; i++) {
            sketch.add("user-" + i);
            sketch.add("user-" + i); // duplicates change nothing
        }
        return sketch;
    }

    @Test
    void smallSetsAreCountedExactly() {
        assertThat(new HyperLogLog().estimate()).isZero();
        assertThat(of(0, 1).estimate()).isEqualTo(1);
        assertThat(of(0, 10).estimate()).isEqualTo(10);
    }

    @Test
    void largeSetsAreWithinFivePercent() {
        assertThat((double) of(0, 100_000).estimate()).isCloseTo(100_000, within(5_000.0));
        assertThat((double) of(0, 1_000).estimate()).isCloseTo(1_000, within(50.0));
    }

    @Test
    void mergedSketchesAreTheSketchOfTheUnion() {
        HyperLogLog merged = of(0, 600);
        merged.merge(of(400, 1_000));

        assertThat(merged).isEqualTo(of(0, 1_000));
    }
}
