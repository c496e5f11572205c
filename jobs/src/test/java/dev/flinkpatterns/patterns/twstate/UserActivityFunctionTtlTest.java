package dev.flinkpatterns.patterns.twstate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.internal.TableEnvironmentImpl;
import org.junit.jupiter.api.Test;

/**
 * The process table function's state TTL is the DataStream variant's: Flink gives a PTF's {@code @StateHint(ttl)} to
 * the same state TTL as {@code StateTtlConfig} ({@link ActivityTrackerTest} proves how that expires), so equal
 * declarations expire equally. The annotation is a constant; this pins it to {@link UserActivity#SESSION_STATE_TTL}.
 */
class UserActivityFunctionTtlTest {

    @Test
    void theSessionStateHasTheDataStreamVariantsTtlAndTheRestNone() {
        var tables = (TableEnvironmentImpl) TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        var inference = new UserActivityFunction(Duration.ofMinutes(10), 3, InitialCounts.NONE)
                .getTypeInference(tables.getCatalogManager().getDataTypeFactory());
        Map<String, Object> ttls = new LinkedHashMap<>();
        inference.getStateTypeStrategies().forEach((name, state) ->
                ttls.put(name, state.getTimeToLive(null).map(Object.class::cast).orElse("none")));
        assertThat(ttls).containsExactly(Map.entry("user", "none"),
                Map.entry("last_events", UserActivity.SESSION_STATE_TTL),
                Map.entry("session_events", UserActivity.SESSION_STATE_TTL));
    }
}
