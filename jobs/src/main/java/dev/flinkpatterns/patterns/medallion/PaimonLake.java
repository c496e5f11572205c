package dev.flinkpatterns.patterns.medallion;

import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.io.paimon.PaimonCatalogs;
import dev.flinkpatterns.io.paimon.PaimonSinks;
import dev.flinkpatterns.io.paimon.PaimonSources;
import dev.flinkpatterns.io.paimon.PaimonTypes;
import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.table.ResultTable;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Row;
import org.apache.paimon.catalog.Catalog;
import org.apache.paimon.catalog.Identifier;

/**
 * The lake as Apache Paimon tables of a warehouse, {@code DATABASE.bronze}, {@code DATABASE.silver}: the workshop's
 * Delta tables. A stage appends to its table with Paimon's sink, which commits a snapshot when a checkpoint completes;
 * the next stage streams the table's snapshots as they are committed (Delta's {@code readStream.table}), so a row
 * reaches it once, and only once its writer can no longer take it back.
 */
public record PaimonLake(String warehouse, String database) implements Lake {

    /** The database of the medallion's tables. */
    public static final String DATABASE = "medallion";

    public String tableName(String table) {
        return database + "." + table;
    }

    /** Creates the append table if missing (a stage's reader needs it before its writer has committed); checks it otherwise. */
    public void create(String table, RowSchema schema) {
        try (Catalog catalog = PaimonCatalogs.open(warehouse)) {
            PaimonSinks.createOrCheck(catalog, identifier(table), schema, false);
        } catch (Exception e) {
            throw rethrown(e);
        }
    }

    @Override
    public SingleOutputStreamOperator<Row> read(StreamExecutionEnvironment env, String table, RowSchema schema,
            Trigger trigger, Duration discoveryInterval) {
        create(table, schema);
        PaimonSources.Read read = new PaimonSources.Read(warehouse, tableName(table)).discoveringEvery(discoveryInterval);
        return PaimonSources.rows(env, read, trigger.isBounded(), table);
    }

    @Override
    public void write(DataStream<Row> rows, String table, RowSchema schema) {
        // An append table has no key: the change's key only orders rows for a console.
        DataStream<Change> changes = rows.map(PaimonLake::appended)
                .returns(Change.class)
                .name(table + " rows")
                .uid(table + "-changes");
        PaimonSinks.writeTo(warehouse, identifier(table), new ResultTable(changes, schema, OutputMode.APPEND,
                Trigger.DEFAULT), table + "-paimon");
    }

    @Override
    public Optional<RowSchema> committedSchema(String table) {
        try (Catalog catalog = PaimonCatalogs.open(warehouse)) {
            return Optional.of(PaimonTypes.toRowSchema(catalog.getTable(identifier(table)).rowType(), tableName(table)));
        } catch (Catalog.TableNotExistException e) {
            return Optional.empty();
        } catch (Exception e) {
            throw rethrown(e);
        }
    }

    @Override
    public List<String> resultDirectories(String table) {
        return List.of(); // Paimon's commits are its own: no part files of ours to report or clean up
    }

    private Identifier identifier(String table) {
        return PaimonCatalogs.identifier(tableName(table), "--lake paimon");
    }

    private static Change appended(Row row) {
        return new Change("", Change.cellsOf(row));
    }

    private static RuntimeException rethrown(Exception e) {
        return e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getMessage(), e);
    }
}
