package dev.flinkpatterns.udfs;

import org.apache.flink.table.functions.ScalarFunction;

/**
 * The workshop's {@code classify_severity} UDF: Critical above 100, Warning above 80, Normal otherwise.
 * SQL calls it as {@code classify_severity(temperature)}; the DataStream job calls {@link #classify(double)},
 * so both APIs share this one rule.
 */
public class ClassifySeverity extends ScalarFunction {

    public static final String SQL_NAME = "classify_severity";

    public static String classify(double temperature) {
        if (temperature > 100) {
            return "Critical";
        }
        if (temperature > 80) {
            return "Warning";
        }
        return "Normal";
    }

    /** A null temperature has no severity, as a Python UDF given None would have to decide; here: null. */
    public String eval(Double temperature) {
        return temperature == null ? null : classify(temperature);
    }
}
