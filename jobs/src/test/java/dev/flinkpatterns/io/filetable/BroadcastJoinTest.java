package dev.flinkpatterns.io.filetable;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.io.RowSchema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;

/**
 * The join operator alone: rows that arrive before the first version wait (also across a checkpoint and restore) and
 * are joined with it; a later version applies to the rows after it only; LEFT keeps unmatched rows, INNER drops them.
 */
class BroadcastJoinTest {

    static final RowSchema PRODUCTS = RowSchema.of(
            RowSchema.Column.required("product_id", RowSchema.Type.STRING),
            RowSchema.Column.nullable("product_name", RowSchema.Type.STRING));

    /** Stream rows are "order:product"; the output is "order:product=name" (null when no product row). */
    private static BroadcastJoin<String, String> join(FileTable.JoinType type) {
        return new BroadcastJoin<>(PRODUCTS.rowType(), Types.STRING, type,
                (order, product) -> order + "=" + (product == null ? null : product.getField(1)));
    }

    private static KeyedBroadcastOperatorTestHarness<String, String, TableSnapshot, String> harness(FileTable.JoinType type)
            throws Exception {
        BroadcastJoin<String, String> join = join(type);
        return ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(join, BroadcastJoinTest::product,
                Types.STRING, join.broadcastStates());
    }

    /** Not opened yet: for a restore. */
    private static KeyedBroadcastOperatorTestHarness<String, String, TableSnapshot, String> unopened() throws Exception {
        BroadcastJoin<String, String> join = join(FileTable.JoinType.LEFT);
        return new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(join, List.of(join.broadcastStates())), BroadcastJoinTest::product,
                Types.STRING, 1, 1, 0);
    }

    private static String product(String order) {
        return order.split(":")[1];
    }

    static TableSnapshot version(long version, String... idAndName) {
        Map<String, Row> rows = new LinkedHashMap<>();
        for (String each : idAndName) {
            String[] parts = each.split("=");
            rows.put(parts[0], Row.of(parts[0], parts[1]));
        }
        return new TableSnapshot(version, "products.csv", rows);
    }

    @Test
    void rowsBeforeTheFirstVersionWaitForIt() throws Exception {
        try (var harness = harness(FileTable.JoinType.LEFT)) {
            harness.processElement("o1:p1", 1);
            harness.processElement("o2:p9", 2);
            harness.processElement("o3:p1", 3);
            assertThat(harness.extractOutputValues()).isEmpty();

            harness.processBroadcastElement(version(1, "p1=pen", "p2=ink"), 4);

            assertThat(harness.extractOutputStreamRecords()).extracting(row -> row.getValue() + "@" + row.getTimestamp())
                    .as("each with its own timestamp").containsExactlyInAnyOrder("o1:p1=pen@1", "o2:p9=null@2", "o3:p1=pen@3");
            harness.processElement("o4:p2", 5);
            assertThat(harness.extractOutputValues()).hasSize(4).last().isEqualTo("o4:p2=ink");
        }
    }

    @Test
    void waitingRowsSurviveACheckpointAndRestore() throws Exception {
        OperatorSubtaskState checkpoint;
        try (var harness = harness(FileTable.JoinType.LEFT)) {
            harness.processElement("o1:p1", 1);
            checkpoint = harness.snapshot(1, 1);
        }
        try (var restored = unopened()) {
            restored.initializeState(checkpoint);
            restored.open();
            restored.processBroadcastElement(version(1, "p1=pen"), 2);
            assertThat(restored.extractOutputValues()).containsExactly("o1:p1=pen");
        }
    }

    @Test
    void aNewVersionAppliesToTheRowsAfterIt() throws Exception {
        try (var harness = harness(FileTable.JoinType.LEFT)) {
            harness.processBroadcastElement(version(1, "p1=pen", "p2=ink"), 1);
            harness.processElement("o1:p1", 2);
            harness.processElement("o2:p2", 3);
            harness.processElement("o3:p3", 4);

            harness.processBroadcastElement(version(2, "p1=fountain pen", "p3=paper"), 5);
            harness.processElement("o4:p1", 6);
            harness.processElement("o5:p2", 7);
            harness.processElement("o6:p3", 8);

            assertThat(harness.extractOutputValues()).containsExactly(
                    "o1:p1=pen", "o2:p2=ink", "o3:p3=null",
                    "o4:p1=fountain pen", "o5:p2=null", "o6:p3=paper");
            assertThat(harness.getBroadcastState(BroadcastJoin.VERSION).get(BroadcastJoin.VERSION_KEY)).isEqualTo(2L);
        }
    }

    @Test
    void anOlderVersionSentAgainIsIgnored() throws Exception {
        try (var harness = harness(FileTable.JoinType.LEFT)) {
            harness.processBroadcastElement(version(2, "p1=fountain pen"), 1);
            harness.processBroadcastElement(version(1, "p1=pen"), 2);
            harness.processElement("o1:p1", 3);
            assertThat(harness.extractOutputValues()).containsExactly("o1:p1=fountain pen");
        }
    }

    @Test
    void innerDropsRowsWithoutATableRow() throws Exception {
        try (var harness = harness(FileTable.JoinType.INNER)) {
            harness.processElement("o1:p9", 1);
            harness.processBroadcastElement(version(1, "p1=pen"), 2);
            harness.processElement("o2:p1", 3);
            harness.processElement("o3:p9", 4);
            assertThat(harness.extractOutputValues()).containsExactly("o2:p1=pen");
        }
    }
}
