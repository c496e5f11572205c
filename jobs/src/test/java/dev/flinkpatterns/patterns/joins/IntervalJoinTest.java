package dev.flinkpatterns.patterns.joins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.core.Api;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.RowInput;
import dev.flinkpatterns.io.DeadLetter;
import dev.flinkpatterns.run.PatternOutputs;
import dev.flinkpatterns.table.ResultBatch;
import dev.flinkpatterns.testing.EventTimeInputs;
import dev.flinkpatterns.testing.FlinkTests;
import dev.flinkpatterns.time.LateRows;
import dev.flinkpatterns.time.WatermarkSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * interval-join on the hand-checked inputs of {@link JoinInputs}: every join type of both datasets, in the
 * DataStream API and in SQL, must give exactly the rows written out here (one batch at the end of input, in the
 * order of the result key), drop exactly
 * the late rows of each side and send the malformed lines of both sides to dead letters.
 */
class IntervalJoinTest {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster();

    private static final List<String> C1_P1 =
            List.of("2024-01-15 10:00:00", "c1", "u1", "home", "2024-01-15 10:30:00", "p1", "u1", "prod-a", "10.0");
    private static final List<String> C1_P2 =
            List.of("2024-01-15 10:00:00", "c1", "u1", "home", "2024-01-15 11:00:00", "p2", "u1", "prod-b", "20.5");
    private static final List<String> C2_P3 =
            List.of("2024-01-15 10:05:00", "c2", "u2", "shoes", "2024-01-15 10:05:00", "p3", "u2", "prod-c", "5.0");
    private static final List<String> C5_NULL =
            List.of("2024-01-15 10:01:00", "c5", "u5", "home", "null", "null", "null", "null", "null");
    private static final List<String> C3_NULL =
            List.of("2024-01-15 10:10:00", "c3", "u3", "books", "null", "null", "null", "null", "null");
    private static final List<String> NULL_P5 =
            List.of("null", "null", "null", "null", "2024-01-15 10:15:00", "p5", "u4", "prod-e", "7.25");
    private static final List<String> NULL_P4 =
            List.of("null", "null", "null", "null", "2024-01-15 11:05:01", "p4", "u2", "prod-d", "99.99");

    private static final List<String> O1_S1 =
            List.of("2024-01-15 10:00:00", "o1", "u1", "prod-a", "1", "10.0", "2024-01-15 10:00:00", "s1", "o1", "ups");
    private static final List<String> O2_S2 =
            List.of("2024-01-15 10:02:00", "o2", "u2", "prod-b", "2", "40.0", "2024-01-15 11:02:00", "s2", "o2", "dhl");
    private static final List<String> O4_S4 =
            List.of("2024-01-15 10:20:00", "o4", "u4", "prod-d", "3", "12.0", "2024-01-15 10:30:00", "s4", "o4", "ups");
    private static final List<String> O3_NULL =
            List.of("2024-01-15 10:04:00", "o3", "u3", "prod-c", "1", "5.5", "null", "null", "null", "null");
    private static final List<String> O6_NULL =
            List.of("2024-01-15 10:11:00", "o6", "u6", "prod-f", "1", "3.0", "null", "null", "null", "null");
    private static final List<String> NULL_S5 =
            List.of("null", "null", "null", "null", "null", "null", "2024-01-15 10:40:00", "s5", "o5", "fedex");
    private static final List<String> NULL_S3 =
            List.of("null", "null", "null", "null", "null", "null", "2024-01-15 11:04:00.001", "s3", "o3", "ups");

    static Stream<Arguments> joins() {
        List<Arguments> cases = new ArrayList<>();
        for (Api api : Api.values()) {
            cases.add(Arguments.of(JoinDatasets.CLICKS_PURCHASES, JoinType.INNER, api, List.of(C1_P1, C1_P2, C2_P3)));
            cases.add(Arguments.of(JoinDatasets.CLICKS_PURCHASES, JoinType.LEFT, api,
                    List.of(C1_P1, C1_P2, C5_NULL, C2_P3, C3_NULL)));
            cases.add(Arguments.of(JoinDatasets.CLICKS_PURCHASES, JoinType.RIGHT, api,
                    List.of(C1_P1, C1_P2, C2_P3, NULL_P5, NULL_P4)));
            cases.add(Arguments.of(JoinDatasets.CLICKS_PURCHASES, JoinType.FULL, api,
                    List.of(C1_P1, C1_P2, C5_NULL, C2_P3, C3_NULL, NULL_P5, NULL_P4)));
            cases.add(Arguments.of(JoinDatasets.ORDERS_SHIPMENTS, JoinType.INNER, api, List.of(O1_S1, O2_S2, O4_S4)));
            cases.add(Arguments.of(JoinDatasets.ORDERS_SHIPMENTS, JoinType.LEFT, api,
                    List.of(O1_S1, O2_S2, O3_NULL, O6_NULL, O4_S4)));
            cases.add(Arguments.of(JoinDatasets.ORDERS_SHIPMENTS, JoinType.RIGHT, api,
                    List.of(O1_S1, O2_S2, O4_S4, NULL_S5, NULL_S3)));
            cases.add(Arguments.of(JoinDatasets.ORDERS_SHIPMENTS, JoinType.FULL, api,
                    List.of(O1_S1, O2_S2, O3_NULL, O6_NULL, O4_S4, NULL_S5, NULL_S3)));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} join, {2}")
    @MethodSource("joins")
    void joinsExactlyTheOnTimeRowsWithinTheInterval(JoinDataset dataset, JoinType type, Api api,
            List<List<String>> expected) throws Exception {
        Run run = run(dataset, type, api);

        assertThat(run.rows).containsExactlyElementsOf(expected);
        assertThat(run.lateCount).isEqualTo(2);
        boolean clicks = dataset == JoinDatasets.CLICKS_PURCHASES;
        assertThat(run.deadLetters).extracting(DeadLetter::record).containsExactlyInAnyOrder(
                clicks ? "2024-01-15T10:20:00.000000,c6,u1" : "2024-01-15T10:12:00,o7,u7,prod-g,two,3.0",
                clicks ? "2024-01-15T11:10:00.000000,p7,u1,prod-x,abc" : "2024-01-15T11:05:00,s8");
    }

    @Test
    void lateRowsAreJudgedByTheirOwnSidesWatermark() throws Exception {
        Run clicks = run(JoinDatasets.CLICKS_PURCHASES, JoinType.INNER, Api.DATASTREAM);
        Run orders = run(JoinDatasets.ORDERS_SHIPMENTS, JoinType.INNER, Api.DATASTREAM);

        assertThat(clicks.late).containsExactlyInAnyOrder(
                new LateRows.LateRow("2024-01-15 09:59:00", "2024-01-15 09:59:59.999",
                        "{\"click_time\":\"2024-01-15 09:59:00\",\"click_id\":\"c4\",\"user_id\":\"u4\",\"page\":\"home\"}"),
                new LateRows.LateRow("2024-01-15 10:12:00", "2024-01-15 10:19:59.999",
                        "{\"purchase_time\":\"2024-01-15 10:12:00\",\"purchase_id\":\"p6\",\"user_id\":\"u5\","
                                + "\"product_id\":\"prod-f\",\"amount\":1.5}"));
        // Shipments trail by 15 minutes, orders by 10.
        assertThat(orders.late).containsExactlyInAnyOrder(
                new LateRows.LateRow("2024-01-15 10:05:00", "2024-01-15 10:09:59.999",
                        "{\"order_time\":\"2024-01-15 10:05:00\",\"order_id\":\"o5\",\"user_id\":\"u5\","
                                + "\"product_id\":\"prod-e\",\"quantity\":1,\"amount\":8.0}"),
                new LateRows.LateRow("2024-01-15 10:45:00", "2024-01-15 10:46:59.999",
                        "{\"ship_time\":\"2024-01-15 10:45:00\",\"shipment_id\":\"s6\",\"shipment_order_id\":\"o6\","
                                + "\"carrier\":\"dhl\"}"));
    }

    @Test
    void resultColumnsAreTheLeftThenTheRightColumnsWithoutDuplicateNames() {
        assertThat(JoinDatasets.CLICKS_PURCHASES.resultColumns()).containsExactly("click_time", "click_id", "user_id",
                "page", "purchase_time", "purchase_id", "purchases_user_id", "product_id", "amount");
        assertThat(JoinDatasets.ORDERS_SHIPMENTS.resultColumns()).containsExactly("order_time", "order_id", "user_id",
                "product_id", "quantity", "amount", "ship_time", "shipment_id", "shipment_order_id", "carrier");
    }

    @Test
    void sqlTextIsTheGuidesJoin() {
        assertThat(IntervalJoin.sqlText(JoinDatasets.CLICKS_PURCHASES, JoinType.LEFT)).isEqualTo("""
                SELECT CAST(c.click_time AS TIMESTAMP_LTZ(3)) AS click_time, c.click_id, c.user_id, c.page,
                       CAST(p.purchase_time AS TIMESTAMP_LTZ(3)) AS purchase_time, p.purchase_id, p.user_id AS purchases_user_id, p.product_id, p.amount
                FROM clicks c LEFT JOIN purchases p
                  ON c.user_id = p.user_id
                 AND p.purchase_time BETWEEN c.click_time AND c.click_time + INTERVAL '1' HOUR""");
        assertThat(IntervalJoin.sqlText(JoinDatasets.ORDERS_SHIPMENTS, JoinType.INNER)).isEqualTo("""
                SELECT CAST(o.order_time AS TIMESTAMP_LTZ(3)) AS order_time, o.order_id, o.user_id, o.product_id, o.quantity, o.amount,
                       CAST(s.ship_time AS TIMESTAMP_LTZ(3)) AS ship_time, s.shipment_id, s.shipment_order_id, s.carrier
                FROM orders o JOIN shipments s
                  ON o.order_id = s.shipment_order_id
                 AND s.ship_time BETWEEN o.order_time AND o.order_time + INTERVAL '1' HOUR""");
    }

    private record Run(List<List<String>> rows, List<LateRows.LateRow> late, long lateCount, List<DeadLetter> deadLetters) {}

    private static Run run(JoinDataset dataset, JoinType type, Api api) throws Exception {
        StreamExecutionEnvironment env = FlinkTests.environment();
        env.setParallelism(2);
        boolean clicks = dataset == JoinDatasets.CLICKS_PURCHASES;
        IntervalJoin.Watermarks watermarks = new IntervalJoin.Watermarks(
                WatermarkSettings.of(dataset.left().defaultWatermark()).emittedOnEveryEvent(),
                WatermarkSettings.of(dataset.right().defaultWatermark()).emittedOnEveryEvent());
        PatternOutputs outputs = IntervalJoin.join(
                RowInput.ofLines(EventTimeInputs.asFile(env, clicks ? JoinInputs.CLICKS : JoinInputs.ORDERS),
                        dataset.left().reader()),
                RowInput.ofLines(EventTimeInputs.asFile(env, clicks ? JoinInputs.PURCHASES : JoinInputs.SHIPMENTS),
                        dataset.right().reader()),
                dataset, type, api, watermarks, Trigger.AVAILABLE_NOW);
        CloseableIterator<ResultBatch> batches = outputs.results().collectAsync();
        CloseableIterator<LateRows.LateRow> late = outputs.lateRows().collectAsync();
        CloseableIterator<DeadLetter> deadLetters = outputs.deadLetters().collectAsync();
        JobExecutionResult result = env.execute("interval-join test");
        Long lateCount = result.getAccumulatorResult(LateRows.LATE_ROWS);
        // A bounded input: one batch, at the end of input, its rows in key order.
        List<ResultBatch> results = drain(batches);
        assertThat(results).hasSize(1);
        assertThat(results.get(0).columns()).isEqualTo(dataset.resultColumns());
        return new Run(results.get(0).rows(), drain(late), lateCount == null ? 0 : lateCount, drain(deadLetters));
    }

    private static <T> List<T> drain(CloseableIterator<T> iterator) throws Exception {
        List<T> all = new ArrayList<>();
        iterator.forEachRemaining(all::add);
        iterator.close();
        return all;
    }
}
