package dev.flinkpatterns.patterns.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.core.Api;
import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.patterns.csv.Event;
import dev.flinkpatterns.run.PatternOutputs;
import dev.flinkpatterns.testing.EventTimeInputs;
import dev.flinkpatterns.testing.FlinkTests;
import dev.flinkpatterns.time.WatermarkSettings;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import java.util.stream.Stream;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.api.operators.AbstractUdfStreamOperator;
import org.apache.flink.streaming.api.operators.SimpleOperatorFactory;
import org.apache.flink.table.runtime.operators.deduplicate.DeduplicateFunctionBase;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The first row of a key passes, later ones do not, the key is forgotten when the watermark passes it, and the
 * keyed state a checkpoint holds is exactly the keys remembered (so it falls back after the watermark).
 */
class KeepFirstTest {

    private long checkpointId;

    /** Rows are "key,n"; the key is the part before the comma. State in RocksDB, as in production. */
    private static KeyedOneInputStreamOperatorTestHarness<String, String, String> harness(
            long retention, OperatorSubtaskState restoredFrom) throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeepFirst<String, String>(retention), row -> row.split(",")[0], Types.STRING);
        harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        if (restoredFrom != null) {
            harness.initializeState(restoredFrom);
        }
        harness.open();
        return harness;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, String, String> harness(long retention) throws Exception {
        return harness(retention, null);
    }

    private static List<String> emitted(KeyedOneInputStreamOperatorTestHarness<String, String, String> harness) {
        List<String> rows = harness.extractOutputValues();
        harness.getOutput().clear();
        return rows;
    }

    /** Takes a checkpoint and returns the number of keys the operator's RocksDB state holds. */
    private long checkpointedKeys(KeyedOneInputStreamOperatorTestHarness<String, String, String> harness) throws Exception {
        harness.snapshot(++checkpointId, checkpointId);
        try (Stream<Object> keys = harness.getOperator().getKeyedStateBackend().getKeys(KeepFirst.STATE_NAME, VoidNamespace.INSTANCE)) {
            return keys.count();
        }
    }

    @Test
    void keepsTheFirstRowPerKeyAndReleasesEachKeyOnceTheWatermarkPassesIt() throws Exception {
        var harness = harness(0);
        harness.processElement("a,1", 1_000);
        harness.processElement("b,1", 1_000);
        harness.processElement("a,2", 1_500);
        harness.processElement("c,1", 3_000);
        harness.processElement("b,2", 900);
        assertThat(emitted(harness)).containsExactly("a,1", "b,1", "c,1");
        assertThat(checkpointedKeys(harness)).isEqualTo(3);

        harness.processWatermark(999); // not yet at a and b
        assertThat(checkpointedKeys(harness)).isEqualTo(3);

        harness.processWatermark(1_000);
        assertThat(checkpointedKeys(harness)).isEqualTo(1);

        harness.processElement("a,3", 2_000); // forgotten: a new first row
        harness.processElement("c,2", 3_000);
        assertThat(emitted(harness)).containsExactly("a,3");
        assertThat(checkpointedKeys(harness)).isEqualTo(2);

        harness.processWatermark(3_000);
        assertThat(checkpointedKeys(harness)).isZero();
        assertThat(emitted(harness)).isEmpty();
    }

    @Test
    void aKeyForgottenBeforeACheckpointIsNotInIt() throws Exception {
        var harness = harness(0);
        harness.processElement("a,1", 1_000);
        harness.processElement("b,1", 5_000);
        harness.processWatermark(1_000);
        assertThat(checkpointedKeys(harness)).isEqualTo(1);
        assertThat(emitted(harness)).containsExactly("a,1", "b,1");
    }

    @Test
    void aRestoredOperatorRemembersTheKeysOfItsCheckpointAndForgetsThemOnTime() throws Exception {
        var before = harness(0);
        before.processElement("a,1", 1_000);
        before.processElement("b,1", 2_000);
        OperatorSubtaskState checkpoint = before.snapshot(1, 1);
        before.processElement("c,1", 3_000); // after the checkpoint: lost with the failure, replayed by the source
        before.close();

        var after = harness(0, checkpoint);
        after.processElement("a,2", 1_000);
        after.processElement("c,1", 3_000);
        assertThat(emitted(after)).containsExactly("c,1");
        after.processWatermark(1_000);
        after.processElement("a,3", 1_000);
        after.processElement("b,2", 2_000);
        assertThat(emitted(after)).containsExactly("a,3");
    }

    /**
     * Issue 13's reproduction (watermark 10 s, key user and event): 1|login is forgotten at 10:00:30's watermark,
     * comes back at 10:00:31 and is checkpointed; after the restore its duplicate at 10:00:32 is dropped.
     */
    @Test
    void aKeyForgottenAndSeenAgainBeforeACheckpointIsRememberedAfterTheRestore() throws Exception {
        var before = harness(10_000);
        before.processElement("1|login,a", 0); // 10:00:00
        before.processElement("2|view,a", 0);
        before.snapshot(1, 1);
        before.processElement("3|view,b", 30_000);
        before.processWatermark(19_999); // every event moves the watermark: 1|login and 2|view are forgotten
        before.processElement("1|login,b", 31_000);
        before.processWatermark(20_999);
        OperatorSubtaskState checkpoint = before.snapshot(2, 2);
        assertThat(emitted(before)).containsExactly("1|login,a", "2|view,a", "3|view,b", "1|login,b");
        before.close();

        var after = harness(10_000, checkpoint);
        after.processElement("1|login,d", 32_000);
        after.processWatermark(21_999);
        after.processElement("3|view,d", 33_000);
        after.processWatermark(22_999);
        assertThat(emitted(after)).isEmpty();
        assertThat(checkpointedKeys(after)).isEqualTo(2); // 3|view and 1|login
    }

    @Test
    void aRetentionKeepsTheKeyThatMuchLonger() throws Exception {
        var harness = harness(500);
        harness.processElement("a,1", 1_000);
        harness.processWatermark(1_499);
        harness.processElement("a,2", 1_600);
        assertThat(checkpointedKeys(harness)).isEqualTo(1);

        harness.processWatermark(1_500);
        harness.processElement("a,3", 1_700);
        assertThat(emitted(harness)).containsExactly("a,1", "a,3");
    }

    @Test
    void withoutAWatermarkEveryKeyIsKeptForever() throws Exception {
        var harness = harness(KeepFirst.KEEP_FOREVER);
        harness.processElement("a,1", 1_000);
        harness.processElement("b,1", 2_000);
        harness.processWatermark(Long.MAX_VALUE);
        harness.processElement("a,2", 3_000);
        assertThat(emitted(harness)).containsExactly("a,1", "b,1");
        assertThat(checkpointedKeys(harness)).isEqualTo(2);
    }

    @Test
    void retentionIsZeroWithTheTimeInTheKeyAndTheDelayWithout() {
        var watermark = WatermarkSettings.of(Duration.ofMinutes(10));
        assertThat(Deduplication.retention(DedupKey.parse("timestamp,user_id"), watermark)).isZero();
        assertThat(Deduplication.retention(DedupKey.parse("user_id,event"), watermark)).isEqualTo(600_000);
        assertThat(Deduplication.retention(DedupKey.parse("event"), watermark.withAllowedLateness(Duration.ofSeconds(5))))
                .isEqualTo(605_000);
        assertThat(Deduplication.retention(DedupKey.parse("event"), WatermarkSettings.NONE)).isEqualTo(KeepFirst.KEEP_FOREVER);
    }

    /**
     * The SQL variant's state TTL (processing time): the DataStream variant's retention, or the watermark delay when
     * that is 0; none (0) without a watermark. The job's deduplication operator carries it.
     */
    @Test
    void theSqlVariantsStateTtlIsTheRetentionOrTheDelayAndItsDeduplicationCarriesIt() throws Exception {
        var watermark = WatermarkSettings.of(Duration.ofMinutes(10));
        assertThat(Deduplication.sqlStateTtl(false, watermark)).isEqualTo(Duration.ofMinutes(10));
        assertThat(Deduplication.sqlStateTtl(true, watermark)).isEqualTo(Duration.ofMinutes(10));
        assertThat(Deduplication.sqlStateTtl(true, watermark.withAllowedLateness(Duration.ofSeconds(5))))
                .isEqualTo(Duration.ofSeconds(5));
        assertThat(Deduplication.sqlStateTtl(false, watermark.withAllowedLateness(Duration.ofSeconds(5))))
                .isEqualTo(Duration.ofSeconds(605));
        assertThat(Deduplication.sqlStateTtl(false, WatermarkSettings.NONE)).isZero();

        assertThat(sqlDeduplication("user_id,event", watermark)).isEqualTo(
                "ProcTimeDeduplicateKeepFirstRowFunction, state retention 600000 ms");
        assertThat(sqlDeduplication("timestamp,user_id,event", watermark.withAllowedLateness(Duration.ofSeconds(5))))
                .isEqualTo("ProcTimeDeduplicateKeepFirstRowFunction, state retention 5000 ms");
        assertThat(sqlDeduplication("user_id,event", WatermarkSettings.NONE)).isEqualTo(
                "ProcTimeDeduplicateKeepFirstRowFunction, state retention 0 ms");
    }

    /** The deduplication function of the SQL variant's job graph: which one, and its state retention (TTL). */
    private static String sqlDeduplication(String key, WatermarkSettings watermark) throws Exception {
        StreamExecutionEnvironment env = FlinkTests.environment();
        PatternOutputs outputs = Deduplication.dropDuplicates(EventTimeInputs.asFile(env, EventTimeInputs.DEDUP),
                DedupKey.parse(key), watermark, Api.SQL, OutputMode.APPEND, Trigger.AVAILABLE_NOW);
        outputs.table().changes().sinkTo(new DiscardingSink<>());
        List<String> found = new java.util.ArrayList<>();
        for (StreamNode node : env.getStreamGraph().getStreamNodes()) {
            if (node.getOperatorFactory() instanceof SimpleOperatorFactory<?> factory
                    && factory.getOperator() instanceof AbstractUdfStreamOperator<?, ?> operator
                    && operator.getUserFunction() instanceof DeduplicateFunctionBase<?, ?, ?, ?> function) {
                Field retention = DeduplicateFunctionBase.class.getDeclaredField("stateRetentionTime");
                retention.setAccessible(true);
                found.add(function.getClass().getSimpleName() + ", state retention " + retention.get(function) + " ms");
            }
        }
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    @Test
    void theKeyJoinsTheChosenColumnsInTheirOrder() {
        Event event = new Event("2025-07-15T10:00:00", 7, "view", 0);
        assertThat(DedupKey.parse("event, user_id").of(event)).isEqualTo("view\u001f7");
        assertThat(DedupKey.parse("timestamp").of(event)).isEqualTo("2025-07-15T10:00:00");
    }
}
