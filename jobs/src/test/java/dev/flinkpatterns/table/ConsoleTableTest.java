package dev.flinkpatterns.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Spark's Dataset.show() to the character (expected strings copied from Spark's console output in the guides). */
class ConsoleTableTest {

    @Test
    void rendersTheSeedsBatchExactly() {
        ResultBatch batch = new ResultBatch(0, List.of("event", "count"), List.of(
                List.of("login", "15"), List.of("logout", "12"), List.of("purchase", "18"), List.of("view", "20")));

        assertThat(ConsoleTable.render(batch, 20, 20)).isEqualTo("""
                -------------------------------------------
                Batch: 0
                -------------------------------------------
                +--------+-----+
                |   event|count|
                +--------+-----+
                |   login|   15|
                |  logout|   12|
                |purchase|   18|
                |    view|   20|
                +--------+-----+

                """);
    }

    @Test
    void cutsValuesLongerThanTruncateWithThreeDots() {
        String table = ConsoleTable.show(List.of("timestamp", "user_id"),
                List.of(List.of("2025-07-15T15:03:21.123456", "3")), 20, 20);

        assertThat(table).isEqualTo("""
                +--------------------+-------+
                |           timestamp|user_id|
                +--------------------+-------+
                |2025-07-15T15:03:...|      3|
                +--------------------+-------+
                """);
    }

    @Test
    void aTruncateBelowFourCutsWithoutDots() {
        assertThat(ConsoleTable.show(List.of("word"), List.of(List.of("streaming")), 20, 3)).isEqualTo("""
                +---+
                |wor|
                +---+
                |str|
                +---+
                """);
    }

    @Test
    void withoutTruncationValuesAreWholeAndLeftAligned() {
        assertThat(ConsoleTable.show(List.of("timestamp", "n"),
                List.of(List.of("2025-07-15T15:03:21.123456", "3")), 20, 0)).isEqualTo("""
                +--------------------------+---+
                |timestamp                 |n  |
                +--------------------------+---+
                |2025-07-15T15:03:21.123456|3  |
                +--------------------------+---+
                """);
    }

    @Test
    void columnsAreAtLeastThreeWideAndNullsPrintAsNull() {
        assertThat(ConsoleTable.show(List.of("a", "b"), List.of(Arrays.asList("x", null)), 20, 20)).isEqualTo("""
                +---+----+
                |  a|   b|
                +---+----+
                |  x|null|
                +---+----+
                """);
    }

    @Test
    void showsAtMostNumRowsAndSaysSo() {
        List<List<String>> rows = List.of(List.of("a"), List.of("b"), List.of("c"));
        assertThat(ConsoleTable.show(List.of("v"), rows, 2, 20)).isEqualTo("""
                +---+
                |  v|
                +---+
                |  a|
                |  b|
                +---+
                only showing top 2 rows
                """);
        assertThat(ConsoleTable.show(List.of("v"), rows, 1, 20)).endsWith("only showing top 1 row\n");
        assertThat(ConsoleTable.show(List.of("v"), rows, 3, 20)).doesNotContain("only showing");
    }

    @Test
    void anEmptyTableHasItsHeaderOnly() {
        assertThat(ConsoleTable.show(List.of("word", "count"), List.of(), 20, 20)).isEqualTo("""
                +----+-----+
                |word|count|
                +----+-----+
                +----+-----+
                """);
    }
}
