package dev.flinkpatterns.udfs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SplitWordsTest {

    @Test
    void splitsOnRunsOfWhitespaceWithoutEmptyWords() {
        assertThat(SplitWords.words("  hello   world\tspark streaming  "))
                .containsExactly("hello", "world", "spark", "streaming");
    }

    @Test
    void keepsCaseAndPunctuationAsSparkDoes() {
        assertThat(SplitWords.words("Spark is amazing!")).containsExactly("Spark", "is", "amazing!");
    }

    @Test
    void blankOrNullLineHasNoWords() {
        assertThat(SplitWords.words("")).isEmpty();
        assertThat(SplitWords.words("   ")).isEmpty();
        assertThat(SplitWords.words(null)).isEmpty();
    }
}
