package dev.flinkpatterns.services;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real PostgreSQL per test class: {@code @RegisterExtension static final EmbeddedPostgresExtension POSTGRES = new
 * EmbeddedPostgresExtension();}. Started before the class's first test, stopped after its last.
 */
public final class EmbeddedPostgresExtension implements BeforeAllCallback, AfterAllCallback {

    private EmbeddedPostgresServer server;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = EmbeddedPostgresServer.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    public EmbeddedPostgresServer server() {
        if (server == null) {
            throw new IllegalStateException("the server runs only while the test class runs (register the extension static)");
        }
        return server;
    }

    public String jdbcUrl() {
        return server().jdbcUrl();
    }

    /** Runs statements (DDL, inserts) in one auto-committed connection. */
    public void execute(String... sql) throws SQLException {
        try (Connection connection = server().connect(); Statement statement = connection.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        }
    }

    /** The rows of a query, each as its columns' text joined by {@code |}, in the query's order. */
    public List<String> query(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = server().connect();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            ResultSetMetaData meta = result.getMetaData();
            while (result.next()) {
                StringBuilder row = new StringBuilder();
                for (int column = 1; column <= meta.getColumnCount(); column++) {
                    row.append(column == 1 ? "" : "|").append(result.getString(column));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    /** The one value of a one-row, one-column query, e.g. {@code SELECT count(*) FROM t}. */
    public long queryLong(String sql) throws SQLException {
        List<String> rows = query(sql);
        if (rows.size() != 1) {
            throw new AssertionError(sql + " returned " + rows.size() + " rows: " + rows);
        }
        return Long.parseLong(rows.get(0));
    }
}
