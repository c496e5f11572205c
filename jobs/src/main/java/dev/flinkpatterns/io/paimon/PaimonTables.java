package dev.flinkpatterns.io.paimon;

import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.table.ShownValues;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.paimon.CoreOptions;
import org.apache.paimon.Snapshot;
import org.apache.paimon.catalog.Catalog;
import org.apache.paimon.catalog.Identifier;
import org.apache.paimon.data.InternalRow;
import org.apache.paimon.reader.RecordReader;
import org.apache.paimon.table.FileStoreTable;
import org.apache.paimon.table.Table;
import org.apache.paimon.table.source.ReadBuilder;
import org.apache.paimon.utils.SnapshotManager;

/**
 * Reads Paimon tables with Paimon's own reader (no Flink job): the rows of the latest snapshot or of an older one
 * (Delta's {@code VERSION AS OF} / {@code TIMESTAMP AS OF}), and the snapshots themselves (Delta's
 * {@code DESCRIBE HISTORY}). Times are UTC.
 */
public final class PaimonTables {

    /** Delta's DESCRIBE HISTORY, in Paimon's words. */
    public static final List<String> HISTORY_COLUMNS = List.of("snapshot", "commit_time", "commit_kind",
            "delta_records", "total_records");

    private static final DateTimeFormatter COMMIT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private PaimonTables() {}

    /** The table, or a one-line usage error naming it and the warehouse. */
    public static Table table(Catalog catalog, Identifier identifier, String warehouse) {
        try {
            return catalog.getTable(identifier);
        } catch (Catalog.TableNotExistException e) {
            throw new UsageException("no table " + identifier.getFullName() + " in warehouse " + warehouse);
        }
    }

    /**
     * The table as of a snapshot: {@code asOf} is a snapshot id (Delta's VERSION AS OF) or a UTC time
     * {@code yyyy-MM-dd HH:mm:ss[.SSS]} (TIMESTAMP AS OF: the latest snapshot committed at or before it).
     */
    public static Table asOf(Table table, String asOf) {
        SnapshotManager snapshots = ((FileStoreTable) table).snapshotManager();
        long id;
        if (asOf.matches("\\d{1,18}")) {
            id = Long.parseLong(asOf);
            if (!snapshots.snapshotExists(id)) {
                throw new UsageException("--as-of " + asOf + ": table " + table.fullName() + " has no snapshot " + id
                        + " (see ./patterns table history)");
            }
        } else {
            long millis;
            try {
                millis = LocalDateTime.parse(asOf.trim().replace(' ', 'T')).toInstant(ZoneOffset.UTC).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new UsageException("--as-of takes a snapshot id or a UTC time like 2026-01-01 10:00:00, not '"
                        + asOf + "'");
            }
            Snapshot snapshot = snapshots.earlierOrEqualTimeMills(millis);
            if (snapshot == null) {
                throw new UsageException("--as-of " + asOf + ": table " + table.fullName()
                        + " has no snapshot committed at or before it (see ./patterns table history)");
            }
            id = snapshot.id();
        }
        return table.copy(Map.of(CoreOptions.SCAN_SNAPSHOT_ID.key(), Long.toString(id)));
    }

    /** The table's columns as shown: {@link PaimonSinks#ROW_KEY}, the sink's bookkeeping, left out. */
    public static List<String> shownColumns(Table table) {
        return table.rowType().getFieldNames().stream().filter(name -> !isRowKey(table, name)).toList();
    }

    /**
     * The rows of the table's snapshot, as shown by Spark's show(), sorted so that a run always prints them in one
     * order: by {@link PaimonSinks#ROW_KEY} in a table the sink keyed, otherwise by every column.
     */
    public static List<List<String>> shownRows(Table table) throws IOException {
        boolean byRowKey = table.primaryKeys().equals(List.of(PaimonSinks.ROW_KEY));
        List<List<Object>> rows = rows(table);
        rows.sort(byRowKey ? Comparator.comparing(row -> (String) row.get(0)) : PaimonTables::compareCells);
        List<List<String>> shown = new ArrayList<>(rows.size());
        for (List<Object> row : rows) {
            shown.add(ShownValues.show(byRowKey ? row.subList(1, row.size()) : row));
        }
        return shown;
    }

    /** Every row of the table's snapshot (a primary-key table's rows merged), as Java values, in no order. */
    public static List<List<Object>> rows(Table table) throws IOException {
        ReadBuilder read = table.newReadBuilder();
        List<List<Object>> rows = new ArrayList<>();
        try (RecordReader<InternalRow> reader = read.newRead().createReader(read.newScan().plan())) {
            reader.forEachRemaining(row -> rows.add(PaimonTypes.cells(row, table.rowType())));
        }
        return rows;
    }

    /** The table's snapshots, oldest first, as {@link #HISTORY_COLUMNS}. */
    public static List<List<String>> history(Table table) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        List<Snapshot> snapshots = new ArrayList<>(((FileStoreTable) table).snapshotManager().safelyGetAllSnapshots());
        snapshots.sort(Comparator.comparingLong(Snapshot::id));
        for (Snapshot snapshot : snapshots) {
            rows.add(List.of(Long.toString(snapshot.id()),
                    COMMIT_TIME.format(Instant.ofEpochMilli(snapshot.timeMillis()).atOffset(ZoneOffset.UTC)),
                    snapshot.commitKind().name(), String.valueOf(snapshot.deltaRecordCount()),
                    String.valueOf(snapshot.totalRecordCount())));
        }
        return rows;
    }

    private static boolean isRowKey(Table table, String column) {
        return column.equals(PaimonSinks.ROW_KEY) && table.primaryKeys().equals(List.of(PaimonSinks.ROW_KEY));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareCells(List<Object> left, List<Object> right) {
        for (int i = 0; i < left.size(); i++) {
            Object a = left.get(i);
            Object b = right.get(i);
            int order = a == null ? (b == null ? 0 : -1) : b == null ? 1
                    : a instanceof Comparable comparable && a.getClass() == b.getClass() ? comparable.compareTo(b)
                    : a.toString().compareTo(b.toString());
            if (order != 0) {
                return order;
            }
        }
        return 0;
    }
}
