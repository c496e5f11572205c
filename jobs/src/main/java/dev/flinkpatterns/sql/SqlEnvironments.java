package dev.flinkpatterns.sql;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;

/** The one way a pattern gets a SQL environment: on the pattern's own stream environment, in streaming mode, UTC. */
public final class SqlEnvironments {

    private SqlEnvironments() {}

    public static StreamTableEnvironment on(StreamExecutionEnvironment env) {
        StreamTableEnvironment tables = StreamTableEnvironment.create(
                env, EnvironmentSettings.newInstance().inStreamingMode().build());
        // Event times in the data are local date-times read as UTC; show them the same way.
        tables.getConfig().setLocalTimeZone(java.time.ZoneOffset.UTC);
        return tables;
    }
}
