package dev.flinkpatterns.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinkpatterns.io.RateSource.RateRow;
import dev.flinkpatterns.testing.FlinkTests;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RateSourceTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    private static final long START_MILLIS = 1_705_312_800_000L; // 2024-01-15T10:00:00Z

    @Test
    void hundredRowsAtAThousandPerSecondAreValuesZeroToNinetyNineOneMillisecondApart() throws Exception {
        StreamExecutionEnvironment env = FlinkTests.environment();
        env.setParallelism(2);

        List<RateRow> rows = new ArrayList<>();
        try (CloseableIterator<RateRow> results = RateSource.rows(env, 1000, START_MILLIS, 100).collectAsync()) {
            env.execute("rate source test");
            results.forEachRemaining(rows::add);
        }

        rows.sort(Comparator.comparingLong(RateRow::value)); // two readers interleave their rows
        assertThat(rows).containsExactlyElementsOf(
                LongStream.range(0, 100).mapToObj(v -> new RateRow(START_MILLIS + v, v)).toList());
    }

    @Test
    void timestampIsWhenTheRowIsDueEvenWhenTheRateDoesNotDivideASecond() {
        RateSource.RowAtValue threePerSecond = new RateSource.RowAtValue(START_MILLIS, 3);

        assertThat(LongStream.of(0, 1, 2, 3, 4).mapToObj(threePerSecond::map).toList()).containsExactly(
                new RateRow(START_MILLIS, 0), new RateRow(START_MILLIS + 333, 1), new RateRow(START_MILLIS + 666, 2),
                new RateRow(START_MILLIS + 1000, 3), new RateRow(START_MILLIS + 1333, 4));
    }

    @Test
    void largeValuesAndRatesDoNotOverflow() {
        // 9e15 rows at 1,000,000 a second: 9e9 seconds, 9e12 ms after the start.
        assertThat(new RateSource.RowAtValue(START_MILLIS, 1_000_000).map(9_000_000_000_000_000L).timestamp())
                .isEqualTo(1_705_312_800_000L + 9_000_000_000_000L);
        // A rate above Long.MAX_VALUE / 1000: row 5e18 of 9e18 a second is due 5/9 s = 555 ms after the start.
        assertThat(new RateSource.RowAtValue(START_MILLIS, 9_000_000_000_000_000_000L)
                .map(5_000_000_000_000_000_000L).timestamp()).isEqualTo(1_705_312_800_555L);
        // Row 1e16 at 1 a second is due 1e19 ms after the start, past the largest time: the end of time.
        assertThat(new RateSource.RowAtValue(START_MILLIS, 1).map(10_000_000_000_000_000L).timestamp())
                .isEqualTo(Long.MAX_VALUE);
        assertThat(new RateSource.RowAtValue(0, 7).map(Long.MAX_VALUE).timestamp()).isEqualTo(Long.MAX_VALUE);
        // Due just before the end of time: 9,223,372,036,854,775 s after 0 is 9,223,372,036,854,775,000 ms.
        assertThat(new RateSource.RowAtValue(0, 1).map(9_223_372_036_854_775L).timestamp())
                .isEqualTo(9_223_372_036_854_775_000L);
        assertThat(new RateSource.RowAtValue(807, 1).map(9_223_372_036_854_775L).timestamp())
                .isEqualTo(Long.MAX_VALUE);
        assertThat(new RateSource.RowAtValue(808, 1).map(9_223_372_036_854_775L).timestamp())
                .isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void rowsAreAFlinkPojoNotAKryoGeneric() {
        assertThat(TypeInformation.of(RateRow.class)).isInstanceOf(PojoTypeInfo.class);
    }

    @Test
    void theSourceCarriesItsUidAndName() {
        StreamExecutionEnvironment env = FlinkTests.environment();
        var stream = RateSource.rows(env, 5);

        assertThat(stream.getTransformation().getUid()).isEqualTo("rate-source");
        assertThat(stream.getTransformation().getName()).isEqualTo("rate source");
        assertThatThrownBy(() -> RateSource.rows(env, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rows per second must be at least 1, got 0");
    }
}
