package dev.flinkpatterns.parity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The outcome of each compared case, asserted and recorded: {@code parity/target/parity-cases/<case>/} holds
 * {@code result} ({@code identical} or {@code differs}), {@code flink.txt} and {@code spark.txt} (the rows compared,
 * one per line). {@link DocsMatchResultsTest} checks docs/parity.md's table and the outputs the pages show against
 * them, so the docs say what the suite found.
 */
final class ParityCases {

    static final Path DIRECTORY = Patterns.ROOT.resolve("parity/target/parity-cases");

    enum Result {
        IDENTICAL, DIFFERS;

        String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private ParityCases() {}

    /** Flink's rows are Spark's, row for row. */
    static void identical(String name, List<String> flink, List<String> spark) {
        assertThat(flink).as(name).isEqualTo(spark).isNotEmpty();
        record(name, Result.IDENTICAL, flink, spark);
    }

    /**
     * Flink's rows are not Spark's, and {@code flinkByTheRule} (Flink's rows with the case's documented rule applied,
     * e.g. its dead letters added back as Spark keeps them) is exactly Spark's.
     */
    static void differs(String name, List<String> flink, List<String> spark, List<String> flinkByTheRule) {
        differs(name, flink, spark, flinkByTheRule, spark);
    }

    /** As above, with the rule applied to both sides (e.g. Spark's doubles rounded as Flink rounds them). */
    static void differs(String name, List<String> flink, List<String> spark, List<String> flinkByTheRule,
            List<String> sparkByTheRule) {
        assertThat(flink).as(name + ": Flink's rows differ from Spark's").isNotEqualTo(spark);
        assertThat(sparkByTheRule).as(name + ": the rows are the same by the rule").isEqualTo(flinkByTheRule)
                .isNotEmpty();
        record(name, Result.DIFFERS, flink, spark);
    }

    /** Counts per key as rows ({@code {count=N, key=K}}), in key order. */
    static List<String> countRows(String keyColumn, Map<String, Long> counts) {
        return counts.entrySet().stream()
                .map(count -> "{count=" + count.getValue() + ", " + keyColumn + "=" + count.getKey() + "}")
                .sorted().toList();
    }

    private static void record(String name, Result result, List<String> flink, List<String> spark) {
        Path directory = DIRECTORY.resolve(name);
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("result"), result.word() + "\n");
            Files.write(directory.resolve("flink.txt"), flink);
            Files.write(directory.resolve("spark.txt"), spark);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the case " + name, e);
        }
    }

    /** A recorded case's rows of one side ({@code flink} or {@code spark}). */
    static List<String> rows(String name, String side) throws IOException {
        return Files.readAllLines(DIRECTORY.resolve(name).resolve(side + ".txt"));
    }

    /** A recorded case's result, or null when the case did not run. */
    static Result result(String name) throws IOException {
        Path file = DIRECTORY.resolve(name).resolve("result");
        if (!Files.exists(file)) {
            return null;
        }
        return Result.valueOf(Files.readString(file).trim().toUpperCase(java.util.Locale.ROOT));
    }
}
