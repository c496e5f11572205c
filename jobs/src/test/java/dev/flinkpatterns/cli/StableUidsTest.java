package dev.flinkpatterns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flinkpatterns.run.ExecutionRuntime;
import dev.flinkpatterns.testing.CapturedRun;
import dev.flinkpatterns.testing.FlinkTests;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import dev.flinkpatterns.testing.KafkaTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.api.operators.AbstractUdfStreamOperator;
import org.apache.flink.streaming.api.operators.SimpleOperatorFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Savepoints map state to operators by uid: an operator without an explicit uid gets one hashed from the graph's
 * shape, which changes with any edit of the job, and its state is then lost on resume. Every pattern command's job
 * graph is built (not run) and every operator must carry an explicit, unique uid.
 */
class StableUidsTest {

    @TempDir
    static Path dir;

    @RegisterExtension
    static final KafkaTests KAFKA = new KafkaTests();

    /** The socket pattern checks that its server is there before it builds the job. */
    private static ServerSocket socketServer;

    @BeforeAll
    static void inputs() throws Exception {
        socketServer = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        for (String input : List.of("in", "left", "right", "catalog", "clickstream")) {
            Files.createDirectories(dir.resolve(input));
        }
        FlinkTests.writeLines(dir.resolve("catalog"), "product_catalog.csv", "product_id,name,category,price");
    }

    @AfterAll
    static void closeServer() throws Exception {
        socketServer.close();
    }

    static Stream<List<String>> commands() {
        String in = dir.resolve("in").toString();
        String out = dir.resolve("out").toString();
        String kafka = KAFKA.bootstrapServers();
        List<List<String>> commands = List.of(
                List.of("csv-agg", "--input", in),
                List.of("csv-agg", "--input", in, "--api", "sql"),
                List.of("csv-agg", "--input", in, "--schema", "zone STRING, passengers INT", "--group-by", "zone",
                        "--api", "sql"),
                List.of("csv-log", "--input", in),
                List.of("csv-log", "--input", in, "--api", "sql"),
                List.of("csv-log", "--input", in, "--format", "json", "--schema", "id INT", "--api", "sql"),
                List.of("socket", "--port", String.valueOf(socketServer.getLocalPort())),
                List.of("window-agg", "--input", in, "--window", "1m", "--watermark", "10s"),
                List.of("window-agg", "--input", in, "--window", "1m", "--slide", "30s", "--watermark", "10s",
                        "--api", "sql"),
                List.of("window-agg", "--input", in, "--session-gap", "5m"),
                List.of("window-agg", "--subscribe", "events", "--bootstrap-servers", kafka, "--window", "1m"),
                List.of("dedup", "--input", in, "--watermark", "10m"),
                List.of("dedup", "--input", in, "--watermark", "10m", "--api", "sql"),
                List.of("user-sessions", "--input", in),
                List.of("user-sessions", "--input", in, "--watermark", "1m", "--api", "sql"),
                List.of("transform-with-state", "--input", in, "--watermark", "1m"),
                List.of("transform-with-state", "--input", in, "--watermark", "1m", "--watermark-policy", "spark",
                        "--trigger", "available-now"),
                List.of("transform-with-state", "--input", in, "--watermark", "1m", "--api", "sql"),
                List.of("transform-with-state", "--input", in, "--emit", "running-count", "--api", "sql"),
                List.of("interval-join", "--left-input", dir.resolve("left").toString(),
                        "--right-input", dir.resolve("right").toString()),
                List.of("interval-join", "--api", "sql", "--left-input", dir.resolve("left").toString(),
                        "--right-input", dir.resolve("right").toString()),
                List.of("enrich", "--input", in, "--catalog", dir.resolve("catalog/product_catalog.csv").toString()),
                List.of("medallion", "--input", dir.resolve("clickstream").toString(),
                        "--user-dim", dir.resolve("catalog/product_catalog.csv").toString()),
                List.of("fan-out", "--input", in),
                List.of("sensor-alerts", "--input", in),
                List.of("kafka-read", "--subscribe", "events", "--bootstrap-servers", kafka),
                List.of("kafka-read", "--subscribe", "events", "--bootstrap-servers", kafka, "--api", "sql"),
                List.of("kafka-etl", "--subscribe", "events", "--bootstrap-servers", kafka),
                List.of("kafka-etl", "--subscribe", "events", "--bootstrap-servers", kafka, "--api", "sql"),
                List.of("demo"));
        return commands.stream().map(args -> {
            List<String> withOutput = new ArrayList<>(args);
            withOutput.addAll(List.of("--output", out + "/" + args.get(0), "--progress-interval", "0s"));
            return withOutput;
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void everyOperatorHasAnExplicitUniqueUid(List<String> args) {
        GraphRecorder recorder = new GraphRecorder();
        CapturedRun run = CapturedRun.of(recorder, args.toArray(String[]::new));
        assertThat(run.err()).as("stderr of %s", args).isEmpty();
        assertThat(recorder.graphs).as("job graphs of %s", args).isNotEmpty();

        for (StreamGraph graph : recorder.graphs) {
            List<String> withoutUid = graph.getStreamNodes().stream()
                    .filter(node -> node.getTransformationUID() == null && !isSqlPlanners(node))
                    .map(node -> node.getOperatorName() + " " + operatorClass(node))
                    .toList();
            assertThat(withoutUid).as("operators without a uid in %s of %s", graph.getJobName(), args).isEmpty();
            assertThat(uids(graph)).as("uids of %s of %s", graph.getJobName(), args).doesNotHaveDuplicates();
        }

        GraphRecorder again = new GraphRecorder();
        CapturedRun.of(again, args.toArray(String[]::new));
        assertThat(again.graphs.stream().map(StableUidsTest::uids).toList())
                .as("uids of %s built a second time", args)
                .isEqualTo(recorder.graphs.stream().map(StableUidsTest::uids).toList());
    }

    /**
     * An operator the SQL planner made from the query. It has no uid unless the query is a compiled plan: Flink SQL
     * matches such state by the plan (the same query on the same Flink version restores; a changed query does not,
     * uid or not), and the planner's generated uids ({@code table.exec.uid.generation: ALWAYS}) number the operators
     * by a counter that runs on across queries in one JVM, which is less stable than the default.
     */
    private static boolean isSqlPlanners(StreamNode node) {
        return operatorClass(node).startsWith("org.apache.flink.table.")
                || functionClass(node).startsWith("org.apache.flink.table.");
    }

    /** The function a DataStream operator runs: a GROUP BY is a KeyedProcessOperator around the planner's function. */
    private static String functionClass(StreamNode node) {
        if (node.getOperatorFactory() instanceof SimpleOperatorFactory<?> simple
                && simple.getOperator() instanceof AbstractUdfStreamOperator<?, ?> udf) {
            return udf.getUserFunction().getClass().getName();
        }
        return "";
    }

    private static String operatorClass(StreamNode node) {
        if (node.getOperatorFactory() instanceof SimpleOperatorFactory<?> simple) {
            return simple.getOperator().getClass().getName();
        }
        return node.getOperatorFactory() == null ? "(none)" : node.getOperatorFactory().getClass().getName();
    }

    private static List<String> uids(StreamGraph graph) {
        return graph.getStreamNodes().stream().map(StreamNode::getTransformationUID).filter(Objects::nonNull)
                .sorted().toList();
    }

    /** A runtime whose jobs are recorded, not run: each reports itself finished at once. */
    private static final class GraphRecorder implements ExecutionRuntime {
        final List<StreamGraph> graphs = new ArrayList<>();

        @Override
        public StreamExecutionEnvironment environment(Configuration jobSettings, PrintStream out) {
            return new StreamExecutionEnvironment(jobSettings) {
                @Override
                public JobClient executeAsync(StreamGraph streamGraph) {
                    graphs.add(streamGraph);
                    return finishedJob();
                }
            };
        }

        @Override
        public boolean isEmbedded() {
            return true;
        }
    }

    private static JobClient finishedJob() {
        JobID id = new JobID();
        return (JobClient) Proxy.newProxyInstance(JobClient.class.getClassLoader(), new Class<?>[] {JobClient.class},
                (proxy, method, arguments) -> switch (method.getName()) {
                    case "getJobID" -> id;
                    case "getJobExecutionResult" -> CompletableFuture.completedFuture(
                            new JobExecutionResult(id, 0, Map.of()));
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
