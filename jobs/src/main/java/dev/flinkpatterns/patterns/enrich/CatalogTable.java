package dev.flinkpatterns.patterns.enrich;

import dev.flinkpatterns.io.PostgresConnection;
import dev.flinkpatterns.io.filetable.CsvTableFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import org.apache.flink.types.Row;

/**
 * The product catalog as a PostgreSQL table, for the lookup join: created when missing and filled from the catalog
 * file (an upsert by product_id: rows of the file replace theirs, other rows stay).
 */
public final class CatalogTable {

    private CatalogTable() {}

    /** What loading a file did: rows upserted, lines refused (the file's dead letters), the file read. */
    public record Loaded(int rows, CsvTableFile.Content content) {}

    public static boolean exists(PostgresConnection database, String table) throws SQLException {
        try (Connection connection = database.open();
                PreparedStatement query = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            query.setString(1, table);
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return result.getBoolean(1);
            }
        }
    }

    /** Creates the table if missing and upserts the file's rows; a file that is no table is refused. */
    public static Loaded load(PostgresConnection database, String table, String file) throws IOException, SQLException {
        CsvTableFile.Content content = new CsvTableFile(Enrichment.CATALOG, Enrichment.KEY)
                .parse(file, new String(CsvTableFile.read(file), StandardCharsets.UTF_8));
        if (content.isRefused()) {
            throw new IOException(file + ": " + content.refusal());
        }
        try (Connection connection = database.open()) {
            connection.setAutoCommit(false);
            try (Statement ddl = connection.createStatement()) {
                ddl.execute("CREATE TABLE IF NOT EXISTS " + table + " (product_id TEXT PRIMARY KEY, product_name TEXT, "
                        + "category TEXT, price DOUBLE PRECISION)");
            }
            try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO " + table
                    + " (product_id, product_name, category, price) VALUES (?, ?, ?, ?) ON CONFLICT (product_id) DO UPDATE"
                    + " SET product_name = EXCLUDED.product_name, category = EXCLUDED.category, price = EXCLUDED.price")) {
                for (Row row : content.rows().values()) {
                    upsert.setString(1, (String) row.getField(0));
                    upsert.setString(2, (String) row.getField(1));
                    upsert.setString(3, (String) row.getField(2));
                    if (row.getField(3) == null) {
                        upsert.setNull(4, Types.DOUBLE);
                    } else {
                        upsert.setDouble(4, (Double) row.getField(3));
                    }
                    upsert.addBatch();
                }
                upsert.executeBatch();
            }
            connection.commit();
        }
        return new Loaded(content.rows().size(), content);
    }
}
