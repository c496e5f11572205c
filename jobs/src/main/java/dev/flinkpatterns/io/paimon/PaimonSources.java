package dev.flinkpatterns.io.paimon;

import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.io.RowSchema.Column;
import dev.flinkpatterns.io.RowSchema.Type;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.Collector;
import org.apache.paimon.CoreOptions;
import org.apache.paimon.Snapshot;
import org.apache.paimon.catalog.Catalog;
import org.apache.paimon.flink.source.FlinkSourceBuilder;
import org.apache.paimon.table.FileStoreTable;
import org.apache.paimon.table.Table;
import org.apache.paimon.utils.SnapshotManager;

/**
 * Delta's {@code spark.readStream.table(...)} (and {@code spark.read} with time travel) over an Apache Paimon table:
 * its rows, typed by {@link PaimonTypes}, through Paimon's own Flink source.
 * <ul>
 *   <li>Streaming, from the start: the latest snapshot's rows, then every later commit's changes (Paimon's
 *   {@code latest-full}; Delta's readStream without options).</li>
 *   <li>Streaming from a snapshot id or a time: the changes committed from that snapshot on, or at or after that
 *   time, without the rows before (Paimon's {@code from-snapshot}/{@code from-timestamp}; Delta's
 *   {@code startingVersion}/{@code startingTimestamp}).</li>
 *   <li>Bounded: the rows of one snapshot, the latest, the given one or the last at or before the time (Delta's
 *   {@code spark.read}, {@code versionAsOf}/{@code timestampAsOf}), then the end.</li>
 * </ul>
 * Without the change feed a pattern sees what the table holds: inserted rows and rows as updated; update
 * pre-images and deletes are dropped. With it (Delta's {@code readChangeFeed}) every change is a row with a last
 * column {@value #CHANGE_TYPE}: insert, update_preimage, update_postimage or delete; a primary-key table needs a
 * changelog producer for that, as Delta needs {@code delta.enableChangeDataFeed}.
 */
public final class PaimonSources {

    /** Delta's change-feed column. */
    public static final String CHANGE_TYPE = "_change_type";
    public static final Duration DEFAULT_DISCOVERY_INTERVAL = Duration.ofSeconds(1);

    private PaimonSources() {}

    /**
     * What to read. {@code startingSnapshot} and {@code asOfMillis} (epoch millis): at most one, else null.
     * {@code discoveryInterval}: how often a streaming read looks for new snapshots.
     */
    public record Read(String warehouse, String table, Long startingSnapshot, Long asOfMillis, boolean changeFeed,
            Duration discoveryInterval) implements Serializable {

        public Read(String warehouse, String table) {
            this(warehouse, table, null, null, false, DEFAULT_DISCOVERY_INTERVAL);
        }

        public Read startingAt(long snapshotId) {
            return new Read(warehouse, table, snapshotId, null, changeFeed, discoveryInterval);
        }

        public Read asOf(long epochMillis) {
            return new Read(warehouse, table, null, epochMillis, changeFeed, discoveryInterval);
        }

        public Read withChangeFeed() {
            return new Read(warehouse, table, startingSnapshot, asOfMillis, true, discoveryInterval);
        }

        public Read discoveringEvery(Duration interval) {
            return new Read(warehouse, table, startingSnapshot, asOfMillis, changeFeed, interval);
        }
    }

    /**
     * Checks {@code read} against the table as it is now and returns the schema of the rows it gives (the table's
     * columns, and {@value #CHANGE_TYPE} with the change feed); a missing table or snapshot, or a change feed the
     * table cannot give, is a {@link UsageException} of one line. {@code bounded}: a bounded read.
     */
    public static RowSchema check(Read read, boolean bounded) {
        if (read.startingSnapshot() != null && read.asOfMillis() != null) {
            throw new UsageException("--starting-version and --as-of-timestamp both say where to start: give one");
        }
        try (Catalog catalog = PaimonCatalogs.open(read.warehouse())) {
            Table table = table(catalog, read);
            SnapshotManager snapshots = ((FileStoreTable) table).snapshotManager();
            Long earliest = snapshots.earliestSnapshotId();
            Long latest = snapshots.latestSnapshotId();
            if (read.startingSnapshot() != null && !snapshots.snapshotExists(read.startingSnapshot())) {
                throw new UsageException("--starting-version " + read.startingSnapshot() + ": table " + read.table()
                        + (latest == null ? " has no snapshot yet" : " has snapshots " + earliest + " to " + latest));
            }
            if (read.asOfMillis() != null && bounded && snapshots.earlierOrEqualTimeMills(read.asOfMillis()) == null) {
                throw new UsageException("--as-of-timestamp " + Instant.ofEpochMilli(read.asOfMillis()) + ": table "
                        + read.table() + " has no snapshot that old"
                        + (earliest == null ? "" : "; its first is of " + Instant.ofEpochMilli(snapshots.snapshot(earliest).timeMillis())));
            }
            if (read.changeFeed() && !table.primaryKeys().isEmpty()
                    && CoreOptions.fromMap(table.options()).changelogProducer() == CoreOptions.ChangelogProducer.NONE) {
                throw new UsageException("--read-change-feed: primary-key table " + read.table() + " keeps no changelog; "
                        + "set its changelog producer first, e.g. ALTER TABLE " + read.table()
                        + " SET ('changelog-producer' = 'lookup')");
            }
            RowSchema schema = PaimonTypes.toRowSchema(table.rowType(), read.table());
            return read.changeFeed() ? withChangeType(schema) : schema;
        } catch (UsageException e) {
            throw e;
        } catch (Exception e) {
            throw new UsageException("--warehouse " + read.warehouse() + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    private static Table table(Catalog catalog, Read read) {
        var identifier = PaimonCatalogs.identifier(read.table(), "the table");
        try {
            return catalog.getTable(identifier);
        } catch (Catalog.TableNotExistException e) {
            List<String> tables = new ArrayList<>();
            try {
                tables.addAll(catalog.listTables(identifier.getDatabaseName()));
            } catch (Catalog.DatabaseNotExistException noDatabase) {
                throw new UsageException("table " + read.table() + ": warehouse " + read.warehouse()
                        + " has no database " + identifier.getDatabaseName());
            }
            throw new UsageException("table " + read.table() + ": no such table in warehouse " + read.warehouse()
                    + (tables.isEmpty() ? "" : "; tables of " + identifier.getDatabaseName() + ": " + String.join(", ", tables)));
        }
    }

    private static RowSchema withChangeType(RowSchema schema) {
        List<Column> columns = new ArrayList<>(schema.columns());
        columns.add(Column.required(CHANGE_TYPE, Type.STRING));
        return new RowSchema(columns);
    }

    /**
     * The rows of {@link #check}'s schema, read as {@code read} says: a bounded read of one snapshot, else a
     * stream. {@code input}: null for a job's only input, else its name (it prefixes the operators' uids).
     */
    public static SingleOutputStreamOperator<Row> rows(StreamExecutionEnvironment env, Read read, boolean bounded,
            String input) {
        RowSchema schema = check(read, bounded);
        Table table;
        try (Catalog catalog = PaimonCatalogs.open(read.warehouse())) {
            table = table(catalog, read).copy(scanOptions(read));
        } catch (UsageException e) {
            throw e;
        } catch (Exception e) {
            throw new UsageException("--warehouse " + read.warehouse() + ": cannot be read (" + e.getMessage() + ")");
        }
        String name = "paimon " + read.table() + (input == null ? "" : " " + input);
        String uid = (input == null ? "" : input + "-") + "paimon-source";
        DataStream<RowData> data = new FlinkSourceBuilder(table).env(env).sourceBounded(bounded).sourceName(name).build();
        if (data instanceof SingleOutputStreamOperator<RowData> source) {
            source.uid(uid);
        }
        int[] keys = table.primaryKeys().stream().mapToInt(table.rowType()::getFieldIndex).toArray();
        return data.flatMap(new ToRows(PaimonTypes.reader(table.rowType()), read.changeFeed(), keys), schema.rowType())
                .setParallelism(data.getParallelism())
                .name(name + " rows")
                .uid(uid + "-rows");
    }

    /** Paimon's scan options for {@code read}; its table's own options stay. */
    static Map<String, String> scanOptions(Read read) {
        Map<String, String> options = new HashMap<>();
        options.put(CoreOptions.CONTINUOUS_DISCOVERY_INTERVAL.key(), read.discoveryInterval().toMillis() + " ms");
        if (read.startingSnapshot() != null) {
            options.put(CoreOptions.SCAN_MODE.key(), CoreOptions.StartupMode.FROM_SNAPSHOT.toString());
            options.put(CoreOptions.SCAN_SNAPSHOT_ID.key(), read.startingSnapshot().toString());
        } else if (read.asOfMillis() != null) {
            options.put(CoreOptions.SCAN_MODE.key(), CoreOptions.StartupMode.FROM_TIMESTAMP.toString());
            options.put(CoreOptions.SCAN_TIMESTAMP_MILLIS.key(), read.asOfMillis().toString());
        }
        return options;
    }

    /**
     * Paimon's rows as the project's; without the change feed, pre-images and deletes are not rows. With it, a row
     * of a snapshot (read whole, at the start or bounded) is an insert, as in Delta, although Paimon gives it the kind
     * of its last write: an update_postimage is a {@code +U} right after the {@code -U} of the same key, which is how
     * a changelog (and only a changelog) gives updates; the same key is always read by the same reader.
     */
    private static final class ToRows implements FlatMapFunction<RowData, Row> {
        private final PaimonTypes.RowReader reader;
        private final boolean changeFeed;
        private final int[] keys;
        private transient Row preimage;

        ToRows(PaimonTypes.RowReader reader, boolean changeFeed, int[] keys) {
            this.reader = reader;
            this.changeFeed = changeFeed;
            this.keys = keys;
        }

        @Override
        public void flatMap(RowData data, Collector<Row> out) {
            RowKind kind = data.getRowKind();
            Row row = reader.read(data);
            if (!changeFeed) {
                if (kind == RowKind.INSERT || kind == RowKind.UPDATE_AFTER) {
                    out.collect(row);
                }
                return;
            }
            String change = switch (kind) {
                case INSERT -> "insert";
                case UPDATE_BEFORE -> "update_preimage";
                case UPDATE_AFTER -> preimage != null && sameKey(preimage, row) ? "update_postimage" : "insert";
                case DELETE -> "delete";
            };
            preimage = kind == RowKind.UPDATE_BEFORE ? row : null;
            out.collect(Row.join(row, Row.of(change)));
        }

        private boolean sameKey(Row before, Row after) {
            for (int key : keys) {
                if (!java.util.Objects.equals(before.getField(key), after.getField(key))) {
                    return false;
                }
            }
            return keys.length > 0;
        }
    }
}
