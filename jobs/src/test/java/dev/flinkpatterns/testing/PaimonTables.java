package dev.flinkpatterns.testing;

import dev.flinkpatterns.io.paimon.PaimonCatalogs;
import java.nio.file.Path;
import org.apache.paimon.catalog.Catalog;
import org.apache.paimon.table.FileStoreTable;

/** What tests ask of a Paimon table beyond the source: when a snapshot was committed. */
public final class PaimonTables {

    private PaimonTables() {}

    /** The commit time of snapshot {@code id}, in epoch millis. */
    public static long snapshotMillis(Path warehouse, String table, long id) throws Exception {
        try (Catalog catalog = PaimonCatalogs.open(warehouse.toString())) {
            return ((FileStoreTable) catalog.getTable(PaimonCatalogs.identifier(table, "table")))
                    .snapshotManager().snapshot(id).timeMillis();
        }
    }
}
