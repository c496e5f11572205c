package dev.flinkpatterns.io.paimon;

import dev.flinkpatterns.core.UsageException;
import org.apache.paimon.catalog.Catalog;
import org.apache.paimon.catalog.CatalogContext;
import org.apache.paimon.catalog.CatalogFactory;
import org.apache.paimon.catalog.Identifier;
import org.apache.paimon.options.Options;

/**
 * The one way to reach Apache Paimon tables: a filesystem catalog over a warehouse directory (a local path or any
 * URI Paimon's file IO takes) and tables named {@code database.table}.
 */
public final class PaimonCatalogs {

    /** The warehouse of --sink paimon and the table commands when none is given. */
    public static final String DEFAULT_WAREHOUSE = "data/output/lakehouse";

    private PaimonCatalogs() {
    }

    /** The warehouse's filesystem catalog; close it when done. */
    public static Catalog open(String warehouse) {
        Options options = new Options();
        options.set("warehouse", warehouseUri(warehouse));
        return CatalogFactory.createCatalog(CatalogContext.create(options));
    }

    /** A local path as an absolute file: URI (Paimon resolves relative paths against its own working directory). */
    static String warehouseUri(String warehouse) {
        if (warehouse.contains("://")) {
            return warehouse;
        }
        return java.nio.file.Path.of(warehouse).toAbsolutePath().normalize().toUri().toString();
    }

    /** {@code database.table}, or a clear usage error naming {@code option}. */
    public static Identifier identifier(String databaseDotTable, String option) {
        String[] parts = databaseDotTable == null ? new String[0] : databaseDotTable.split("\\.", -1);
        if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
            throw new UsageException(option + " takes DATABASE.TABLE, e.g. lake.events, not '" + databaseDotTable + "'");
        }
        return Identifier.create(parts[0], parts[1]);
    }
}
