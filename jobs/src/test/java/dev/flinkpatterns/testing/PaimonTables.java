package dev.flinkpatterns.testing;

import dev.flinkpatterns.io.paimon.PaimonCatalogs;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
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

/** Paimon tables for tests, made with Paimon's own Java API: each {@link #commit} is one snapshot. */
public final class PaimonTables {

    private PaimonTables() {}

    /**
     * {@code shop.orders (id INT primary key, ts TIMESTAMP(3), item STRING, amount DOUBLE)}, one bucket, its
     * changelog the rows as written ({@code changelog-producer input}), no compaction (one snapshot a commit):
     * <ol>
     *   <li>insert 1 apple 1.5 (10:00), insert 2 pear 2.0 (10:01)</li>
     *   <li>insert 3 plum 3.0 (10:02)</li>
     *   <li>update 2 pear 2.0 to 2.5, delete 1</li>
     * </ol>
     * Each snapshot is committed in a later millisecond than the one before, for time travel by time.
     */
    public static void orders(Path warehouse) throws Exception {
        try (Catalog catalog = PaimonCatalogs.open(warehouse.toString())) {
            catalog.createDatabase("shop", true);
            catalog.createTable(PaimonCatalogs.identifier("shop.orders", "table"), Schema.newBuilder()
                    .column("id", DataTypes.INT().notNull())
                    .column("ts", DataTypes.TIMESTAMP(3))
                    .column("item", DataTypes.STRING())
                    .column("amount", DataTypes.DOUBLE())
                    .primaryKey("id")
                    .option("bucket", "1")
                    .option("changelog-producer", "input")
                    .option("write-only", "true")
                    .build(), false);
        }
        commit(warehouse, "shop.orders", List.of(order(RowKind.INSERT, 1, "10:00", "apple", 1.5),
                order(RowKind.INSERT, 2, "10:01", "pear", 2.0)));
        commit(warehouse, "shop.orders", List.of(order(RowKind.INSERT, 3, "10:02", "plum", 3.0)));
        commit(warehouse, "shop.orders", List.of(order(RowKind.UPDATE_BEFORE, 2, "10:01", "pear", 2.0),
                order(RowKind.UPDATE_AFTER, 2, "10:01", "pear", 2.5), order(RowKind.DELETE, 1, "10:00", "apple", 1.5)));
    }

    /** A row of {@link #orders} at 2024-01-15 {@code time}. */
    public static GenericRow order(RowKind kind, int id, String time, String item, double amount) {
        return GenericRow.ofKind(kind, id, timestamp("2024-01-15T" + time + ":00"), BinaryString.fromString(item), amount);
    }

    /**
     * {@code lake.events (timestamp TIMESTAMP(3), user_id INT, event STRING)}, an append table (no primary key): the
     * tutorial's events, one commit a list of rows {@code timestamp,user_id,event}.
     */
    public static void events(Path warehouse, List<List<String>> commits) throws Exception {
        try (Catalog catalog = PaimonCatalogs.open(warehouse.toString())) {
            catalog.createDatabase("lake", true);
            catalog.createTable(PaimonCatalogs.identifier("lake.events", "table"), Schema.newBuilder()
                    .column("timestamp", DataTypes.TIMESTAMP(3))
                    .column("user_id", DataTypes.INT())
                    .column("event", DataTypes.STRING())
                    .option("bucket", "-1")
                    .build(), false);
        }
        for (List<String> lines : commits) {
            commit(warehouse, "lake.events", lines.stream().map(line -> {
                String[] fields = line.split(",");
                return GenericRow.of(timestamp(fields[0]), Integer.parseInt(fields[1]), BinaryString.fromString(fields[2]));
            }).toList());
        }
    }

    /** One commit of {@code rows}: one snapshot, in a later millisecond than the table's latest. */
    public static void commit(Path warehouse, String table, List<GenericRow> rows) throws Exception {
        try (Catalog catalog = PaimonCatalogs.open(warehouse.toString())) {
            Table paimonTable = catalog.getTable(PaimonCatalogs.identifier(table, "table"));
            var latest = ((FileStoreTable) paimonTable).snapshotManager().latestSnapshot();
            if (latest != null) {
                Await.until("a millisecond after snapshot " + latest.id(), Duration.ofSeconds(5),
                        () -> System.currentTimeMillis() > latest.timeMillis());
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

    /** The commit time of snapshot {@code id}, in epoch millis. */
    public static long snapshotMillis(Path warehouse, String table, long id) throws Exception {
        try (Catalog catalog = PaimonCatalogs.open(warehouse.toString())) {
            return ((FileStoreTable) catalog.getTable(PaimonCatalogs.identifier(table, "table")))
                    .snapshotManager().snapshot(id).timeMillis();
        }
    }

    private static Timestamp timestamp(String isoLocal) {
        return Timestamp.fromLocalDateTime(LocalDateTime.parse(isoLocal));
    }
}
