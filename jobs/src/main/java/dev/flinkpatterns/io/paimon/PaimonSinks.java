package dev.flinkpatterns.io.paimon;

import dev.flinkpatterns.core.OutputMode;
import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.io.ColumnNames;
import dev.flinkpatterns.io.PostgresSinks;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.table.Change;
import dev.flinkpatterns.table.ResultTable;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.table.runtime.typeutils.ExternalTypeInfo;
import org.apache.flink.table.types.utils.TypeConversions;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.apache.paimon.CoreOptions;
import org.apache.paimon.catalog.Catalog;
import org.apache.paimon.catalog.Identifier;
import org.apache.paimon.flink.LogicalTypeConversion;
import org.apache.paimon.flink.sink.FlinkSinkBuilder;
import org.apache.paimon.schema.Schema;
import org.apache.paimon.table.Table;
import org.apache.paimon.types.DataField;
import org.apache.paimon.types.DataTypes;
import org.apache.paimon.types.RowType;

/**
 * A result table into an Apache Paimon table, with Paimon's own Flink sink: its writers flush at each checkpoint and
 * its committer commits a snapshot once the checkpoint has completed (or at the end of a bounded input), so readers
 * see every row exactly once, at checkpoints. Append mode makes an append table (no primary key); update and complete
 * mode a primary-key table keyed by {@value #ROW_KEY}, the result's {@link Change#key()} as the PostgreSQL sink keys
 * its rows: a change upserts its row, a delete removes it.
 */
public final class PaimonSinks {

    /** The primary key of an updated table: the row's {@link Change#key()}. */
    public static final String ROW_KEY = PostgresSinks.ROW_KEY;

    private PaimonSinks() {}

    /** True when the result's rows are replaced by later changes (update and complete mode): a primary-key table. */
    public static boolean keyed(OutputMode mode) {
        return mode != OutputMode.APPEND;
    }

    /**
     * The table a result is written to: its columns named by {@link ColumnNames} and typed by {@link PaimonTypes};
     * keyed, {@value #ROW_KEY} STRING first as the primary key and the other columns nullable (a delete carries only
     * its key), with a changelog that --read-change-feed reads.
     */
    public static Schema schema(RowSchema columns, boolean keyed) {
        Schema.Builder schema = Schema.newBuilder();
        RowSchema legal = ColumnNames.legal(columns);
        if (keyed) {
            if (legal.names().contains(ROW_KEY)) {
                throw new UsageException("a result column is named " + ROW_KEY + ", the primary key's name");
            }
            schema.column(ROW_KEY, DataTypes.STRING().notNull()).primaryKey(ROW_KEY);
            // A change feed for --read-change-feed (Delta's readChangeFeed): the result sends upserts without their
            // old rows, so Paimon looks them up when it commits.
            schema.option(CoreOptions.CHANGELOG_PRODUCER.key(), CoreOptions.ChangelogProducer.LOOKUP.toString());
        }
        for (RowSchema.Column column : legal.columns()) {
            schema.column(column.name(), keyed ? PaimonTypes.type(column).nullable() : PaimonTypes.type(column));
        }
        return schema.build();
    }

    /**
     * The table, created with its database if missing. An existing table must have the same columns, types and
     * primary key, or the sink would fail on every row: otherwise a one-line {@link UsageException} naming both.
     */
    public static Table createOrCheck(Catalog catalog, Identifier identifier, RowSchema columns, boolean keyed) {
        Schema wanted = schema(columns, keyed);
        try {
            catalog.createDatabase(identifier.getDatabaseName(), true);
            catalog.createTable(identifier, wanted, true);
            Table table = catalog.getTable(identifier);
            if (!sameColumns(table.rowType().getFields(), wanted.fields()) || !table.primaryKeys().equals(wanted.primaryKeys())) {
                throw new UsageException("table " + identifier.getFullName() + " exists with columns ("
                        + PaimonTypes.describe(table.rowType().getFields()) + ") and primary key " + table.primaryKeys()
                        + ", but the result needs (" + PaimonTypes.describe(wanted.fields()) + ") and primary key "
                        + wanted.primaryKeys() + ": drop it or choose another --table");
            }
            return table;
        } catch (Catalog.DatabaseNotExistException | Catalog.DatabaseAlreadyExistException | Catalog.TableNotExistException
                | Catalog.TableAlreadyExistException e) {
            throw new IllegalStateException("table " + identifier.getFullName() + ": " + e.getMessage(), e);
        }
    }

    private static boolean sameColumns(List<DataField> actual, List<DataField> wanted) {
        if (actual.size() != wanted.size()) {
            return false;
        }
        for (int i = 0; i < actual.size(); i++) {
            if (!actual.get(i).name().equals(wanted.get(i).name()) || !actual.get(i).type().equals(wanted.get(i).type())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Writes the result's changes into the table {@code identifier} of {@code warehouse}, created for the result
     * (keyed by {@link #ROW_KEY} in update and complete mode) or checked against it; {@code uid} names the sink's
     * operators for savepoints. Returns the table written.
     */
    public static Table writeTo(String warehouse, Identifier identifier, ResultTable result, String uid) {
        Table table;
        try (Catalog catalog = PaimonCatalogs.open(warehouse)) {
            table = createOrCheck(catalog, identifier, result.schema(), keyed(result.mode()));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        write(result, table, uid);
        return table;
    }

    /** Writes the result's changes into {@code table} with Paimon's Flink sink. */
    private static void write(ResultTable result, Table table, String uid) {
        boolean keyed = !table.primaryKeys().isEmpty();
        RowType rowType = table.rowType();
        org.apache.flink.table.types.DataType dataType =
                TypeConversions.fromLogicalToDataType(LogicalTypeConversion.toLogicalType(rowType));
        DataStream<Row> rows = result.changes()
                .map(new AsPaimonRow(result.schema(), keyed))
                .returns(ExternalTypeInfo.of(dataType))
                .name("as paimon rows")
                .uid(uid + "-rows");
        new FlinkSinkBuilder(table).forRow(rows, dataType).build().name("paimon " + table.name()).uid(uid);
    }

    /** A change as the table's row: keyed, its key first, and a delete as a DELETE row of its key. */
    private static final class AsPaimonRow implements MapFunction<Change, Row> {
        private final RowSchema schema;
        private final boolean keyed;
        /** The table's columns: keyed, the key then the result's. */
        private final RowSchema tableColumns;

        AsPaimonRow(RowSchema schema, boolean keyed) {
            this.schema = schema;
            this.keyed = keyed;
            List<RowSchema.Column> columns = new ArrayList<>();
            if (keyed) {
                columns.add(RowSchema.Column.nullable(ROW_KEY, RowSchema.Type.STRING));
            }
            columns.addAll(schema.columns());
            this.tableColumns = new RowSchema(columns);
        }

        @Override
        public Row map(Change change) {
            if (!keyed) {
                if (change.isDelete()) {
                    throw new IllegalStateException("an append table only adds rows, but row " + change.key()
                            + " was deleted");
                }
                return PaimonTypes.row(RowKind.INSERT, change.cells(), tableColumns);
            }
            List<Object> cells = new ArrayList<>(schema.size() + 1);
            cells.add(change.key());
            if (change.isDelete()) {
                cells.addAll(java.util.Collections.nCopies(schema.size(), null));
                return PaimonTypes.row(RowKind.DELETE, cells, tableColumns);
            }
            cells.addAll(change.cells());
            return PaimonTypes.row(RowKind.INSERT, cells, tableColumns);
        }
    }
}
