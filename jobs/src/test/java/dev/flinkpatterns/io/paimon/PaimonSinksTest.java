package dev.flinkpatterns.io.paimon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.table.ResultTable;
import dev.flinkpatterns.testing.FailureInjector;
import dev.flinkpatterns.testing.FlinkTests;
import dev.flinkpatterns.testing.ReplayedChanges;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.paimon.catalog.Catalog;
import org.apache.paimon.catalog.Identifier;
import org.apache.paimon.table.Table;
import org.apache.paimon.types.DataTypes;
import org.apache.paimon.types.RowType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paimon's sink under a result table, read back with Paimon's own reader: the exact rows and column types of an
 * append table, and a primary-key table that ends exactly as its changes (upserts and deletes) say while the job
 * fails between checkpoints and in the notification that a checkpoint completed (when Paimon's committer commits).
 */
class PaimonSinksTest {

    private static final int ROWS = 4000;
    private static final double ROWS_PER_SECOND = 800; // ~5 s of input: the failures fall inside it

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = FlinkTests.miniCluster(FlinkTests.restarts());

    @TempDir
    Path warehouse;

    private static final RowSchema TYPED = RowSchema.of(
            RowSchema.Column.required("name", RowSchema.Type.STRING),
            RowSchema.Column.nullable("n", RowSchema.Type.INT),
            RowSchema.Column.nullable("count", RowSchema.Type.LONG),
            RowSchema.Column.nullable("avg(amount)", RowSchema.Type.DOUBLE),
            RowSchema.Column.nullable("ok", RowSchema.Type.BOOLEAN),
            RowSchema.Column.nullable("window_start", RowSchema.Type.TIMESTAMP),
            RowSchema.Column.decimal("amount", 10, 2, true),
            RowSchema.Column.nullable("day", RowSchema.Type.DATE),
            RowSchema.Column.array("tags", RowSchema.Column.nullable("element", RowSchema.Type.STRING), true));

    @Test
    @Timeout(60)
    void appendTableHoldsEveryRowTyped() throws Exception {
        StreamExecutionEnvironment env = FlinkTests.environment();
        env.setParallelism(2);
        DataStream<Change> changes = env.fromData(TypeInformation.of(Change.class),
                Change.of("1", "a", 1, 10L, 2.5, true, LocalDateTime.parse("2024-01-15T10:00:00.123456"),
                        new BigDecimal("12.30"), LocalDate.parse("2024-01-15"), List.of("x", "y")),
                Change.of("2", "b", null, null, null, null, null, null, null, null));
        Table table = write(changes, TYPED, OutputMode.APPEND, "lake.typed");

        env.execute("typed append");

        assertThat(read("lake.typed").rowType()).isEqualTo(RowType.of(
                new org.apache.paimon.types.DataType[] {DataTypes.STRING().notNull(), DataTypes.INT(), DataTypes.BIGINT(),
                        DataTypes.DOUBLE(), DataTypes.BOOLEAN(), DataTypes.TIMESTAMP(3), DataTypes.DECIMAL(10, 2),
                        DataTypes.DATE(), DataTypes.STRING()},
                new String[] {"name", "n", "count", "avg_amount", "ok", "window_start", "amount", "day", "tags"}));
        assertThat(table.primaryKeys()).isEmpty();
        List<List<Object>> rows = PaimonTables.rows(read("lake.typed"));
        rows.sort(Comparator.comparing(row -> (String) row.get(0)));
        assertThat(rows).containsExactly(
                List.of("a", 1, 10L, 2.5, true, LocalDateTime.parse("2024-01-15T10:00:00.123"),
                        new BigDecimal("12.30"), LocalDate.parse("2024-01-15"), "[\"x\",\"y\"]"),
                Arrays.asList("b", null, null, null, null, null, null, null, null));
    }

    @Test
    @Timeout(120)
    void keyedTableEndsExactlyAsItsChangesSayDespiteFailures() throws Exception {
        String scenario = "paimon-upserts";
        String notified = "paimon-upserts-notified";
        StreamExecutionEnvironment env = FlinkTests.environment();
        env.setParallelism(2);
        env.enableCheckpointing(300);
        // One source subtask: the changes of a key keep their order up to the sink, as a pattern's operator emits them.
        DataStream<Change> changes = env.fromSource(new DataGeneratorSource<>(ReplayedChanges::numbered, ROWS,
                        RateLimiterStrategy.perSecond(ROWS_PER_SECOND), TypeInformation.of(Change.class)),
                        WatermarkStrategy.noWatermarks(), "changes")
                .setParallelism(1)
                .map(FailureInjector.<Change>failAfterCheckpoints(scenario, 1))
                .returns(TypeInformation.of(Change.class))
                .setParallelism(1)
                .map(FailureInjector.<Change>failOnCheckpointComplete(notified, 2))
                .returns(TypeInformation.of(Change.class))
                .setParallelism(1);
        RowSchema columns = RowSchema.of(RowSchema.Column.nullable("n", RowSchema.Type.LONG),
                RowSchema.Column.nullable("n*n", RowSchema.Type.LONG));
        write(changes, columns, OutputMode.UPDATE, "lake.upserts");

        env.execute("upserts with failures");

        assertThat(FailureInjector.failures(scenario)).isEqualTo(1);
        assertThat(FailureInjector.failures(notified)).isEqualTo(1);
        Table table = read("lake.upserts");
        assertThat(table.primaryKeys()).containsExactly(PaimonSinks.ROW_KEY);
        assertThat(table.rowType().getFieldNames()).containsExactly(PaimonSinks.ROW_KEY, "n", "n_n");
        List<String> rows = new ArrayList<>(PaimonTables.rows(table).stream()
                .map(row -> row.get(0) + "|" + row.get(1) + "|" + row.get(2)).toList());
        rows.sort(null);
        assertThat(rows).containsExactlyElementsOf(expectedTable());
        assertThat(PaimonTables.history(table).size()).as("a snapshot per checkpoint, not one at the end").isGreaterThan(3);
    }

    @Test
    void anExistingTableWithOtherColumnsOrKeyIsRefused() throws Exception {
        RowSchema columns = RowSchema.of(RowSchema.Column.nullable("n", RowSchema.Type.LONG));
        try (Catalog catalog = PaimonCatalogs.open(warehouse.toString())) {
            Identifier identifier = Identifier.create("lake", "results");
            PaimonSinks.createOrCheck(catalog, identifier, columns, true);
            assertThat(PaimonSinks.createOrCheck(catalog, identifier, columns, true).primaryKeys())
                    .containsExactly(PaimonSinks.ROW_KEY);
            assertThatThrownBy(() -> PaimonSinks.createOrCheck(catalog, identifier, columns, false))
                    .isInstanceOf(UsageException.class)
                    .hasMessage("table lake.results exists with columns (row_key STRING NOT NULL, n BIGINT) and primary "
                            + "key [row_key], but the result needs (n BIGINT) and primary key []: drop it or choose "
                            + "another --table");
            assertThatThrownBy(() -> PaimonSinks.createOrCheck(catalog, identifier,
                    RowSchema.of(RowSchema.Column.nullable("n", RowSchema.Type.DOUBLE)), true))
                    .isInstanceOf(UsageException.class)
                    .hasMessageContaining("but the result needs (row_key STRING NOT NULL, n DOUBLE) and primary key [row_key]");
        }
    }

    /** The changes replayed in order, once each: what the table must hold at the end. */
    private static List<String> expectedTable() {
        TreeMap<String, List<Object>> table = ReplayedChanges.table(ReplayedChanges::numbered, ROWS);
        assertThat(table).hasSizeBetween(400, 499); // some keys end deleted, most do not
        List<String> rows = new ArrayList<>();
        table.forEach((key, cells) -> rows.add(key + "|" + cells.get(0) + "|" + cells.get(1)));
        return rows;
    }

    private Table write(DataStream<Change> changes, RowSchema columns, OutputMode mode, String name) throws Exception {
        return PaimonSinks.writeTo(warehouse.toString(), PaimonCatalogs.identifier(name, "--table"),
                new ResultTable(changes, columns, mode, Trigger.DEFAULT), "paimon");
    }

    private Table read(String name) throws Exception {
        try (Catalog catalog = PaimonCatalogs.open(warehouse.toString())) {
            return catalog.getTable(PaimonCatalogs.identifier(name, "--table"));
        }
    }
}
