package dev.flinkpatterns.generator;

import static dev.flinkpatterns.generator.FixedRuns.START;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransactionCsvRowsTest {

    private static GeneratorSettings settings(Path dir, int files, int rows, long seed, double malformedFraction) {
        return new GeneratorSettings(dir, files, rows, Duration.ofSeconds(3), seed, START, malformedFraction);
    }

    // Checked by hand with new Random(7): per row nextInt(5)+1 = user, nextInt(5) = category, nextInt(4) = region,
    // 100 + nextInt(49901) = cents: (2,4,2,19130), (1,4,3,10492), (1,4,1,22515); 1 s a row (3 s / 3 rows).
    @Test
    void firstFileForSeed7IsExact(@TempDir Path dir) throws Exception {
        List<Path> files = FixedRuns.run(settings(dir, 1, 3, 7, 0), new TransactionCsvRows(5));

        assertThat(files).containsExactly(dir.resolve("transaction_batch_0.csv"));
        assertThat(Files.readString(files.get(0))).isEqualTo("""
                event_time,transaction_id,user_id,category,region,amount
                2024-01-15T10:00:00.000000,t-000001,2,toys,east,191.30
                2024-01-15T10:00:01.000000,t-000002,1,toys,west,104.92
                2024-01-15T10:00:02.000000,t-000003,1,toys,south,225.15
                """);
    }

    @Test
    void everyRowIsATransactionWithIdsIncreasingAcrossFiles(@TempDir Path dir) throws Exception {
        Locale original = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY); // a decimal comma locale must not leak into the amounts
        List<Path> files;
        try {
            files = FixedRuns.run(settings(dir, 10, 10, 11, 0), new TransactionCsvRows(5));
        } finally {
            Locale.setDefault(original);
        }
        for (Path file : files) {
            assertThat(Files.readAllLines(file).get(0)).isEqualTo(TransactionCsvRows.HEADER);
        }
        List<String> rows = FixedRuns.lines(files, true);

        assertThat(rows).hasSize(100);
        Set<String> categories = new HashSet<>();
        Set<String> regions = new HashSet<>();
        for (int i = 0; i < rows.size(); i++) {
            String[] fields = rows.get(i).split(",", -1);
            assertThat(fields).hasSize(6);
            assertThat(LocalDateTime.parse(fields[0], EventTimeline.TIMESTAMP_FORMAT))
                    .isEqualTo(START.plus(Duration.ofMillis(300L * i)));
            assertThat(fields[1]).isEqualTo(String.format("t-%06d", i + 1));
            assertThat(Integer.parseInt(fields[2])).isBetween(1, 5);
            assertThat(fields[3]).isIn(TransactionCsvRows.CATEGORIES);
            assertThat(fields[4]).isIn(TransactionCsvRows.REGIONS);
            assertThat(fields[5]).matches("\\d{1,3}\\.\\d{2}");
            assertThat(new BigDecimal(fields[5])).isBetween(new BigDecimal("1.00"), new BigDecimal("500.00"));
            categories.add(fields[3]);
            regions.add(fields[4]);
        }
        assertThat(categories).containsExactlyInAnyOrderElementsOf(TransactionCsvRows.CATEGORIES);
        assertThat(regions).containsExactlyInAnyOrderElementsOf(TransactionCsvRows.REGIONS);
    }

    @Test
    void malformedRowsBreakTheTransactionsOwnUserIdColumn(@TempDir Path dir) throws Exception {
        List<String> rows = FixedRuns.lines(FixedRuns.run(settings(dir, 2, 10, 11, 1.0), new TransactionCsvRows(5)), true);

        String ts = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}";
        String rest = "[a-z]+,[a-z]+,\\d+\\.\\d{2}";
        List<String> shapes = List.of(
                ts + ",t-\\d{6},[1-5],[a-z]+,[a-z]+",          // MISSING_FIELD: no amount
                ts + ",t-\\d{6},[1-5]," + rest + ",extra",      // EXTRA_FIELD
                ts + ",t-\\d{6},user[1-5]," + rest,             // NON_NUMERIC_USER_ID
                "yesterday,t-\\d{6},[1-5]," + rest,             // BAD_TIMESTAMP
                "");                                            // BLANK_LINE
        Set<Integer> seen = new HashSet<>();
        for (String row : rows) {
            int shape = -1;
            for (int i = 0; i < shapes.size(); i++) {
                if (row.matches(shapes.get(i))) {
                    shape = i;
                }
            }
            assertThat(shape).as("malformed shape of '%s'", row).isNotNegative();
            seen.add(shape);
        }
        assertThat(rows).hasSize(20);
        assertThat(seen).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
    }
}
