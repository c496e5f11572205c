package dev.flinkpatterns.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.stream.StreamSupport;
import org.apache.flink.client.program.PackagedProgram;
import org.apache.flink.client.program.PackagedProgramUtils;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar {@code flink run} takes: its entry point builds the job graph exactly as the Flink client does
 * (PackagedProgram runs main and captures the job instead of running it), and Flink itself is not inside.
 */
class ShadedJarIT {

    private static final File JAR = new File(System.getProperty("shaded.jar", "target/flink-streaming-patterns.jar"));

    @TempDir
    Path input;

    @Test
    void theJarsMainClassBuildsTheCsvAggJobGraph() throws Exception {
        Files.writeString(input.resolve("event_batch_0.csv"), "timestamp,user_id,event\n2025-07-15T15:03:21,1,login\n");
        PackagedProgram program = PackagedProgram.newBuilder()
                .setJarFile(JAR)
                .setArguments("csv-agg", "--input", input.toString(), "--trigger", "available-now")
                .build();

        JobGraph graph = PackagedProgramUtils.createJobGraph(program, new Configuration(), 2, false);

        assertThat(program.getMainClassName()).isEqualTo(PatternsMain.class.getName());
        assertThat(graph.getName()).isEqualTo("csv-agg (complete, trigger available-now)");
        String vertices = StreamSupport.stream(graph.getVertices().spliterator(), false)
                .map(JobVertex::getName).reduce("", (a, b) -> a + " | " + b);
        assertThat(vertices).contains("csv files", "parse", "count by event", "micro-batches", "console", "dead letters");
    }

    /** Paimon from the jar alone (its transitive dependencies and the query service's Netty are left out). */
    @Test
    void theJarBuildsAPaimonSinkJobGraph() throws Exception {
        Files.writeString(input.resolve("event_batch_0.csv"), "timestamp,user_id,event\n2025-07-15T15:03:21,1,login\n");
        PackagedProgram program = PackagedProgram.newBuilder()
                .setJarFile(JAR)
                .setArguments("csv-agg", "--input", input.toString(), "--trigger", "available-now", "--sink", "paimon",
                        "--warehouse", input.resolve("lake").toString(), "--table", "shop.counts")
                .build();

        JobGraph graph = PackagedProgramUtils.createJobGraph(program, new Configuration(), 2, false);

        String vertices = StreamSupport.stream(graph.getVertices().spliterator(), false)
                .map(JobVertex::getName).reduce("", (a, b) -> a + " | " + b);
        assertThat(vertices).contains("Writer", "Global Committer");
        assertThat(input.resolve("lake/shop.db/counts/schema")).isDirectory();
    }

    @Test
    void flinkIsProvidedAndTheConnectorsAndCliAreBundled() throws Exception {
        try (JarFile jar = new JarFile(JAR)) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo(PatternsMain.class.getName());
            assertThat(jar.getEntry("dev/flinkpatterns/cli/PatternsMain.class")).isNotNull();
            assertThat(jar.getEntry("dev/flinkpatterns/generator/BatchFileGenerator.class")).isNotNull();
            assertThat(jar.getEntry("dev/flinkpatterns/udfs/SplitWords.class")).isNotNull();
            assertThat(jar.getEntry("picocli/CommandLine.class")).isNotNull();
            assertThat(jar.getEntry("org/apache/flink/connector/file/src/FileSource.class")).isNotNull();
            assertThat(jar.getEntry("org/apache/flink/streaming/api/environment/StreamExecutionEnvironment.class")).isNull();
            assertThat(jar.getEntry("org/apache/flink/runtime/minicluster/MiniCluster.class")).isNull();
            assertThat(jar.getEntry("org/apache/flink/table/functions/TableFunction.class")).isNull();
            assertThat(jar.getEntry("org/apache/logging/log4j/Logger.class")).isNull();
        }
    }
}
