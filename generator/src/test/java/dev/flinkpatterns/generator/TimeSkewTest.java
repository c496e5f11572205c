package dev.flinkpatterns.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Out-of-order and late timestamps: within their bounds, exactly as many as drawn, the same for a seed. */
class TimeSkewTest {

    private static final LocalDateTime START = FixedRuns.START;
    private static final Duration INTERVAL = Duration.ofSeconds(3);
    private static final int FILES = 10;
    private static final int ROWS = 10;

    private static List<LocalDateTime> timestamps(Path dir, TimeSkew skew) throws Exception {
        GeneratorSettings settings = new GeneratorSettings(dir, FILES, ROWS, INTERVAL, 3, START, 0).withSkew(skew);
        return FixedRuns.lines(FixedRuns.run(settings, new EventCsvRows(5)), true).stream()
                .map(line -> LocalDateTime.parse(line.substring(0, line.indexOf(',')), EventTimeline.TIMESTAMP_FORMAT))
                .toList();
    }

    /** Row {@code i} of the run without skew: 3 s per file, 300 ms per row. */
    private static LocalDateTime base(int i) {
        return START.plus(Duration.ofMillis(300L * i));
    }

    /** How far each timestamp lies behind the newest one written before it (0 for the first row). */
    private static List<Duration> lagsBehindNewest(List<LocalDateTime> timestamps) {
        List<Duration> lags = new ArrayList<>();
        LocalDateTime newest = timestamps.get(0);
        for (LocalDateTime timestamp : timestamps) {
            lags.add(timestamp.isBefore(newest) ? Duration.between(timestamp, newest) : Duration.ZERO);
            newest = timestamp.isAfter(newest) ? timestamp : newest;
        }
        return lags;
    }

    @Test
    void disorderMovesEveryRowBackWithinTheBoundAndReordersRows(@TempDir Path dir) throws Exception {
        Duration disorder = Duration.ofSeconds(2);
        List<LocalDateTime> timestamps = timestamps(dir, new TimeSkew(disorder, 0, Duration.ZERO));

        assertThat(timestamps).hasSize(FILES * ROWS);
        int outOfOrder = 0;
        for (int i = 0; i < timestamps.size(); i++) {
            assertThat(timestamps.get(i)).isBetween(base(i).minus(disorder), base(i));
            if (i > 0 && timestamps.get(i).isBefore(timestamps.get(i - 1))) {
                outOfOrder++;
            }
        }
        // seed 3: 2 s of disorder against 300 ms between rows puts 34 rows before their predecessor
        assertThat(outOfOrder).isEqualTo(34);
        assertThat(lagsBehindNewest(timestamps)).allMatch(lag -> lag.compareTo(disorder) <= 0);
    }

    @Test
    void lateRowsLieExactlyLateByBehindTheNewestRowAndNoOtherRowDoes(@TempDir Path dir) throws Exception {
        Duration lateBy = Duration.ofSeconds(10);
        // disorder below lateBy: only the rows drawn late can be lateBy behind
        TimeSkew skew = new TimeSkew(Duration.ofSeconds(1), 0.2, lateBy);
        List<Duration> lags = lagsBehindNewest(timestamps(dir, skew));

        List<Duration> lateLags = lags.stream().filter(lag -> lag.compareTo(lateBy) >= 0).toList();
        // seed 3 draws 18 of the 100 rows late (nextDouble() < 0.2); each is exactly lateBy behind
        assertThat(lateLags).hasSize(18).containsOnly(lateBy);
        assertThat(lags).filteredOn(lag -> lag.compareTo(lateBy) < 0).allMatch(lag -> lag.compareTo(Duration.ofSeconds(1)) <= 0);
    }

    @Test
    void everyRowLateAfterTheFirstWhenTheFractionIsOne(@TempDir Path dir) throws Exception {
        Duration lateBy = Duration.ofMinutes(5);
        List<LocalDateTime> timestamps = timestamps(dir, new TimeSkew(Duration.ZERO, 1, lateBy));

        // the first row sets the newest timestamp, and no later row ever passes it
        assertThat(timestamps.get(0)).isEqualTo(START);
        assertThat(timestamps.subList(1, timestamps.size())).hasSize(99).containsOnly(START.minus(lateBy));
    }

    @Test
    void sameSeedSameSkewedFiles(@TempDir Path first, @TempDir Path second) throws Exception {
        TimeSkew skew = new TimeSkew(Duration.ofSeconds(2), 0.3, Duration.ofSeconds(10));

        assertThat(timestamps(second, skew)).isEqualTo(timestamps(first, skew));
    }

    @Test
    void invalidSkewNamesTheOption() {
        assertThatThrownBy(() -> new TimeSkew(Duration.ofSeconds(-1), 0, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--disorder must not be negative, got PT-1S");
        assertThatThrownBy(() -> new TimeSkew(Duration.ZERO, 1.5, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--late-fraction must be between 0 and 1, got 1.5");
        assertThatThrownBy(() -> new TimeSkew(Duration.ZERO, 0.1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--late-by must be positive when --late-fraction > 0");
        assertThatThrownBy(() -> new TimeSkew(Duration.ZERO, 0, Duration.ofSeconds(-2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--late-by must not be negative, got PT-2S");
        assertThat(new TimeSkew(Duration.ZERO, 0, Duration.ofSeconds(5)).lateFraction()).isZero();
    }
}
