package dev.flinkpatterns.generator;

import static dev.flinkpatterns.generator.FixedRuns.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Clicks and the purchases that follow them: formats, ids, the one-hour join bound, order in time and late rows. */
class ClickPurchaseRowsTest {

    @TempDir
    Path tmp;

    /** 8 files of 10 clicks, 1 minute apart (10 minutes of event time a file), 20 users. */
    private GeneratorSettings settings(long seed) {
        return new GeneratorSettings(tmp.resolve("clicks"), 8, 10, Duration.ZERO, seed, START, 0)
                .withTimePerFile(Duration.ofMinutes(10));
    }

    private List<Path> run(GeneratorSettings settings, int users) throws Exception {
        return FixedRuns.run(settings, new ClickPurchaseRows(users), tmp.resolve("purchases"));
    }

    private static List<Path> every(List<Path> files, int from) {
        return IntStream.range(0, files.size()).filter(i -> i % 2 == from).mapToObj(files::get).toList();
    }

    private record Row(LocalDateTime time, String id, int userId) {
        static Row of(String line) {
            String[] fields = line.split(",", -1);
            return new Row(LocalDateTime.parse(fields[0], EventTimeline.TIMESTAMP_FORMAT), fields[1], Integer.parseInt(fields[2]));
        }
    }

    private static List<Row> rows(List<Path> files) throws Exception {
        return FixedRuns.lines(files, true).stream().map(Row::of).toList();
    }

    /** Purchases with a click of the same user at most an hour before (the join's inner rows). */
    private static long matched(List<Row> clicks, List<Row> purchases) {
        return purchases.stream().filter(p -> clicks.stream().anyMatch(c -> c.userId() == p.userId()
                && !p.time().isBefore(c.time()) && !p.time().isAfter(c.time().plusHours(1)))).count();
    }

    /** Clicks with a purchase of the same user in the hour after. */
    private static long clicksWithPurchase(List<Row> clicks, List<Row> purchases) {
        return clicks.stream().filter(c -> purchases.stream().anyMatch(p -> c.userId() == p.userId()
                && !p.time().isBefore(c.time()) && !p.time().isAfter(c.time().plusHours(1)))).count();
    }

    // Checked against the rules by hand: interval 0 puts every click at START; purchases 0..60 min later wait for
    // clicks that reach them, so all but the stray purchase at START (user 1) land in the last batch, in time order.
    @Test
    void smallRunIsExact() throws Exception {
        GeneratorSettings settings = new GeneratorSettings(tmp.resolve("clicks"), 2, 5, Duration.ZERO, 7,
                LocalDateTime.of(2026, 1, 1, 10, 0), 0);
        List<Path> files = run(settings, 5);

        assertThat(files).containsExactly(tmp.resolve("clicks/click_batch_0.csv"), tmp.resolve("purchases/purchase_batch_0.csv"),
                tmp.resolve("clicks/click_batch_1.csv"), tmp.resolve("purchases/purchase_batch_1.csv"));
        assertThat(Files.readString(files.get(0))).isEqualTo("""
                click_time,click_id,user_id,page
                2026-01-01T10:00:00.000000,c-000001,2,checkout
                2026-01-01T10:00:00.000000,c-000002,4,checkout
                2026-01-01T10:00:00.000000,c-000003,4,search
                2026-01-01T10:00:00.000000,c-000004,5,cart
                2026-01-01T10:00:00.000000,c-000005,1,search
                """);
        assertThat(Files.readString(files.get(1))).isEqualTo("""
                purchase_time,purchase_id,user_id,product_id,amount
                2026-01-01T10:00:00.000000,pu-000001,1,p-020,414.31
                """);
        assertThat(Files.readString(files.get(3))).isEqualTo("""
                purchase_time,purchase_id,user_id,product_id,amount
                2026-01-01T10:00:00.000000,pu-000002,3,p-008,358.44
                2026-01-01T10:00:00.000000,pu-000003,3,p-015,204.35
                2026-01-01T10:28:11.000000,pu-000004,5,p-018,192.86
                2026-01-01T10:33:12.000000,pu-000005,3,p-015,193.23
                2026-01-01T10:50:50.000000,pu-000006,1,p-020,102.61
                """);
    }

    @Test
    void formatsAndIdSequences() throws Exception {
        List<Path> files = run(settings(11), 20);
        List<Path> clickFiles = every(files, 0);
        List<Path> purchaseFiles = every(files, 1);

        assertThat(FixedRuns.namesIn(tmp.resolve("clicks"))).hasSize(8).allMatch(n -> n.matches("click_batch_[0-7]\\.csv"));
        assertThat(FixedRuns.namesIn(tmp.resolve("purchases"))).hasSize(8).allMatch(n -> n.matches("purchase_batch_[0-7]\\.csv"));
        for (Path file : clickFiles) {
            assertThat(Files.readAllLines(file).get(0)).isEqualTo("click_time,click_id,user_id,page");
        }
        for (Path file : purchaseFiles) {
            assertThat(Files.readAllLines(file).get(0)).isEqualTo("purchase_time,purchase_id,user_id,product_id,amount");
        }
        List<String> clicks = FixedRuns.lines(clickFiles, true);
        assertThat(clicks).hasSize(80);
        Set<String> pages = new HashSet<>();
        for (int i = 0; i < clicks.size(); i++) {
            String[] fields = clicks.get(i).split(",", -1);
            assertThat(fields).hasSize(4);
            assertThat(LocalDateTime.parse(fields[0], EventTimeline.TIMESTAMP_FORMAT)).isEqualTo(START.plusMinutes(i));
            assertThat(fields[1]).isEqualTo(String.format("c-%06d", i + 1));
            assertThat(Integer.parseInt(fields[2])).isBetween(1, 20);
            pages.add(fields[3]);
        }
        assertThat(pages).containsExactlyInAnyOrderElementsOf(ClickPurchaseRows.PAGES);
        List<String> purchases = FixedRuns.lines(purchaseFiles, true);
        assertThat(purchases).hasSize(53);
        for (int i = 0; i < purchases.size(); i++) {
            String[] fields = purchases.get(i).split(",", -1);
            assertThat(fields).hasSize(5);
            assertThat(fields[1]).isEqualTo(String.format("pu-%06d", i + 1));
            assertThat(Integer.parseInt(fields[2])).isBetween(1, 20);
            assertThat(fields[3]).matches("p-0(0[1-9]|1[0-9]|20)");
            assertThat(fields[4]).matches("\\d{1,3}\\.\\d{2}");
            assertThat(new BigDecimal(fields[4])).isBetween(new BigDecimal("1.00"), new BigDecimal("500.00"));
        }
    }

    @Test
    void mostPurchasesFollowAClickWithinTheHourAndBothSidesHaveUnmatchedRows() throws Exception {
        List<Path> files = run(settings(11), 20);
        List<Row> clicks = rows(every(files, 0));
        List<Row> purchases = rows(every(files, 1));

        assertThat(clicks).hasSize(80);
        assertThat(purchases).hasSize(53);
        // seed 11: 80 clicks, 53 purchases; 45 purchases have a click of their user within the hour before (the
        // inner join's purchases), 8 have none; 72 clicks have a purchase in the hour after, 8 have none
        assertThat(matched(clicks, purchases)).isEqualTo(45);
        assertThat(clicksWithPurchase(clicks, purchases)).isEqualTo(72);
    }

    @Test
    void purchasesComeInTimeOrderAndInTheFirstBatchWhoseClicksReachedThem() throws Exception {
        List<Path> files = run(settings(11), 20);
        LocalDateTime previous = LocalDateTime.MIN;
        for (int batch = 0; batch < 8; batch++) {
            List<Row> clicks = rows(List.of(files.get(2 * batch)));
            List<Row> purchases = rows(List.of(files.get(2 * batch + 1)));
            LocalDateTime lastClick = clicks.get(clicks.size() - 1).time();
            for (Row purchase : purchases) {
                assertThat(purchase.time()).isAfterOrEqualTo(previous);
                previous = purchase.time();
                if (batch < 7) {
                    assertThat(purchase.time()).isBeforeOrEqualTo(lastClick);
                }
                if (batch > 0) {
                    assertThat(purchase.time()).isAfter(rows(List.of(files.get(2 * batch - 2))).get(9).time());
                }
            }
        }
    }

    @Test
    void lateRowsOnBothSides() throws Exception {
        Duration lateBy = Duration.ofMinutes(30);
        List<Path> files = run(settings(11).withSkew(new TimeSkew(Duration.ZERO, 0.2, lateBy)), 20);

        // seed 11 draws 15 clicks and 11 purchases late: each exactly lateBy behind the newest row of its stream
        assertThat(lagsBehindNewest(rows(every(files, 0)))).hasSize(15).containsOnly(lateBy);
        List<Duration> purchaseLags = lagsBehindNewest(rows(every(files, 1)));
        assertThat(purchaseLags).filteredOn(lag -> lag.equals(lateBy)).hasSize(11);
        // and 3 purchases follow late clicks (0..60 min after them), so lag less
        assertThat(purchaseLags).filteredOn(lag -> !lag.equals(lateBy)).hasSize(3)
                .allMatch(lag -> lag.compareTo(lateBy) < 0);
    }

    /** How far each row that is older than the newest row before it lags behind that row. */
    private static List<Duration> lagsBehindNewest(List<Row> rows) {
        LocalDateTime newest = rows.get(0).time();
        List<Duration> lags = new ArrayList<>();
        for (Row row : rows) {
            if (row.time().isBefore(newest)) {
                lags.add(Duration.between(row.time(), newest));
            }
            newest = row.time().isAfter(newest) ? row.time() : newest;
        }
        return lags;
    }

    @Test
    void sameSeedSameFilesAndNumberingContinuesInBothDirectories() throws Exception {
        Files.createDirectories(tmp.resolve("purchases"));
        Files.writeString(tmp.resolve("purchases/purchase_batch_4.csv"), "old\n");
        Path other = tmp.resolve("other");
        List<Path> first = FixedRuns.run(settings(3).withSkew(new TimeSkew(Duration.ofSeconds(30), 0.1, Duration.ofMinutes(20))),
                new ClickPurchaseRows(20), tmp.resolve("purchases"));
        GeneratorSettings again = new GeneratorSettings(other.resolve("clicks"), 8, 10, Duration.ZERO, 3, START, 0)
                .withTimePerFile(Duration.ofMinutes(10)).withSkew(new TimeSkew(Duration.ofSeconds(30), 0.1, Duration.ofMinutes(20)));
        List<Path> second = FixedRuns.run(again, new ClickPurchaseRows(20), other.resolve("purchases"));

        assertThat(first.get(0)).isEqualTo(tmp.resolve("clicks/click_batch_5.csv"));
        assertThat(first.get(1)).isEqualTo(tmp.resolve("purchases/purchase_batch_5.csv"));
        assertThat(second.get(0)).isEqualTo(other.resolve("clicks/click_batch_0.csv"));
        for (int i = 0; i < first.size(); i++) {
            assertThat(Files.readString(second.get(i))).isEqualTo(Files.readString(first.get(i)));
        }
    }

    @Test
    void malformedRowsOnBothSides() throws Exception {
        GeneratorSettings allBad = new GeneratorSettings(tmp.resolve("bad"), 2, 10, Duration.ZERO, 11, START, 1.0);
        List<Path> bad = FixedRuns.run(allBad, new ClickPurchaseRows(20), tmp.resolve("bad-purchases"));

        String good = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6},(c|pu)-\\d{6},\\d+,.*";
        // every click and every purchase written is broken
        assertThat(FixedRuns.lines(bad, true)).hasSizeGreaterThan(20).noneMatch(line -> line.matches(good)
                && line.split(",", -1).length == (line.contains(",c-") ? 4 : 5));
    }

    @Test
    void atLeastOneUser() {
        assertThatThrownBy(() -> new ClickPurchaseRows(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--users must be at least 1, got 0");
    }
}
