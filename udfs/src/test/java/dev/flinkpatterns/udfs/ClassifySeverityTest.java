package dev.flinkpatterns.udfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClassifySeverityTest {

    @ParameterizedTest
    @CsvSource({"-5, Normal", "80, Normal", "80.1, Warning", "100, Warning", "100.1, Critical"})
    void thresholdsAreStrictlyAbove(double temperature, String severity) {
        assertThat(ClassifySeverity.classify(temperature)).isEqualTo(severity);
    }

    @Test
    void sqlFunctionGivesTheSameAnswersAndNullForNull() throws Exception {
        TableEnvironment tables = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        tables.createTemporarySystemFunction(ClassifySeverity.SQL_NAME, ClassifySeverity.class);

        List<String> rows = new ArrayList<>();
        try (CloseableIterator<Row> result = tables.executeSql(
                "SELECT t, classify_severity(t) FROM (VALUES (80.0), (80.1), (100.0), (100.1), (CAST(NULL AS DOUBLE)))"
                        + " AS v(t)").collect()) {
            result.forEachRemaining(row -> rows.add(row.getField(0) + " " + row.getField(1)));
        }

        assertThat(rows).containsExactlyInAnyOrder(
                "80.0 Normal", "80.1 Warning", "100.0 Warning", "100.1 Critical", "null null");
    }
}
