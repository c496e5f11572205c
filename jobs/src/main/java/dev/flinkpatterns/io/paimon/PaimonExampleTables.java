package dev.flinkpatterns.io.paimon;

import dev.flinkpatterns.core.UsageException;
import java.time.LocalDateTime;
import java.util.List;
import org.apache.paimon.Snapshot;
import org.apache.paimon.catalog.Catalog;
import org.apache.paimon.data.BinaryString;
import org.apache.paimon.data.GenericRow;
import org.apache.paimon.data.Timestamp;
import org.apache.paimon.schema.Schema;
import org.apache.paimon.table.FileStoreTable;
import org.apache.paimon.table.Table;
import org.apache.paimon.table.sink.BatchTableCommit;
import org.apache.paimon.table.sink.BatchTableWrite;
import org.apache.paimon.table.sink.BatchWriteBuilder;
import org.apache.paimon.types.DataTypes;
import org.apache.paimon.types.RowKind;

/** A Paimon table to try the Paimon source on (and to test it), made with Paimon's own Java API. */
public final class PaimonExampleTables {

    public static final String ORDERS = "shop.orders";

    private PaimonExampleTables() {}

    /**
     * {@value #ORDERS} {@code (id INT primary key, ts TIMESTAMP(3), item STRING, amount DOUBLE)}, one bucket, its
     * changelog the rows as written ({@code changelog-producer input}), no compaction (one snapshot a commit):
     * <ol>
     *   <li>insert 1 apple 1.5 (10:00), insert 2 pear 2.0 (10:01)</li>
     *   <li>insert 3 plum 3.0 (10:02)</li>
     *   <li>update 2 pear 2.0 to 2.5, delete 1</li>
     * </ol>
     */
    public static void orders(String warehouse) throws Exception {
        try (Catalog catalog = PaimonCatalogs.open(warehouse)) {
            catalog.createDatabase("shop", true);
            catalog.createTable(PaimonCatalogs.identifier(ORDERS, "table"), Schema.newBuilder()
                    .column("id", DataTypes.INT().notNull())
                    .column("ts", DataTypes.TIMESTAMP(3))
                    .column("item", DataTypes.STRING())
                    .column("amount", DataTypes.DOUBLE())
                    .primaryKey("id")
                    .option("bucket", "1")
                    .option("changelog-producer", "input")
                    .option("write-only", "true")
                    .build(), false);
        } catch (Catalog.TableAlreadyExistException e) {
            throw new UsageException("table " + ORDERS + " exists already in warehouse " + warehouse);
        }
        commit(warehouse, ORDERS, List.of(order(RowKind.INSERT, 1, "10:00", "apple", 1.5),
                order(RowKind.INSERT, 2, "10:01", "pear", 2.0)));
        commit(warehouse, ORDERS, List.of(order(RowKind.INSERT, 3, "10:02", "plum", 3.0)));
        commit(warehouse, ORDERS, List.of(order(RowKind.UPDATE_BEFORE, 2, "10:01", "pear", 2.0),
                order(RowKind.UPDATE_AFTER, 2, "10:01", "pear", 2.5), order(RowKind.DELETE, 1, "10:00", "apple", 1.5)));
    }

    /** A row of {@link #orders} at 2024-01-15 {@code time} (HH:mm). */
    public static GenericRow order(RowKind kind, int id, String time, String item, double amount) {
        return GenericRow.ofKind(kind, id, Timestamp.fromLocalDateTime(LocalDateTime.parse("2024-01-15T" + time + ":00")),
                BinaryString.fromString(item), amount);
    }

    /**
     * One commit of {@code rows}: one snapshot, committed in a later millisecond than the table's latest, so that
     * every snapshot has a time of its own for time travel by time.
     */
    public static void commit(String warehouse, String table, List<GenericRow> rows) throws Exception {
        try (Catalog catalog = PaimonCatalogs.open(warehouse)) {
            Table paimonTable = catalog.getTable(PaimonCatalogs.identifier(table, "table"));
            Snapshot latest = ((FileStoreTable) paimonTable).snapshotManager().latestSnapshot();
            while (latest != null && System.currentTimeMillis() <= latest.timeMillis()) {
                Thread.onSpinWait();
            }
            BatchWriteBuilder builder = paimonTable.newBatchWriteBuilder();
            try (BatchTableWrite write = builder.newWrite(); BatchTableCommit commit = builder.newCommit()) {
                for (GenericRow row : rows) {
                    write.write(row);
                }
                commit.commit(write.prepareCommit());
            }
        }
    }
}
