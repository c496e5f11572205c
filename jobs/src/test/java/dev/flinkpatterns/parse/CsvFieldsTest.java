package dev.flinkpatterns.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CsvFieldsTest {

    @Test
    void plainFieldsAreCutAtEveryComma() throws Exception {
        assertThat(CsvFields.split("")).containsExactly("");
        assertThat(CsvFields.split("a,,b,")).containsExactly("a", "", "b", "");
        assertThat(CsvFields.split(",")).containsExactly("", "");
    }

    @Test
    void quotesOpenAFieldOnlyAtItsStart() throws Exception {
        assertThat(CsvFields.split("x\"y,z")).containsExactly("x\"y", "z");
        assertThat(CsvFields.split("\"a\"b,c")).containsExactly("ab", "c");
        assertThat(CsvFields.split("\"\",\"\"\"\"")).containsExactly("", "\"");
        assertThat(CsvFields.split("\"a,b\"")).containsExactly("a,b");
    }

    @Test
    void anUnterminatedQuoteIsMalformed() {
        assertThatThrownBy(() -> CsvFields.split("a,\"bc")).isInstanceOf(MalformedRecordException.class)
                .hasMessage("unterminated quoted field");
        assertThatThrownBy(() -> CsvFields.split("\"")).isInstanceOf(MalformedRecordException.class);
    }
}
