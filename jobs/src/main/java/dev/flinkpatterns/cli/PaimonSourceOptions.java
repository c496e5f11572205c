package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.io.ReaderOptions;
import dev.flinkpatterns.io.RowInput;
import dev.flinkpatterns.io.RowSchema;
import dev.flinkpatterns.io.paimon.PaimonCatalogs;
import dev.flinkpatterns.io.paimon.PaimonSources;
import dev.flinkpatterns.parse.MalformedRecordException;
import dev.flinkpatterns.parse.Timestamps;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * Delta's {@code spark.readStream.table(...)} for the patterns that read the user's rows: with {@code --source paimon}
 * (sql: {@code --source NAME=paimon:DATABASE.TABLE}) the rows of an Apache Paimon table instead of files, typed by
 * the table's schema, and its time travel and change feed (see {@link PaimonSources}).
 */
public final class PaimonSourceOptions {

    static final String PAIMON = "paimon";

    @Option(names = "--source-table", paramLabel = "DATABASE.TABLE",
            description = "With --source paimon: the table to read, e.g. lake.events: its rows, then its changes "
                    + "(Delta's readStream.table).")
    String table;

    @Option(names = "--starting-version", paramLabel = "SNAPSHOT",
            description = "With --source paimon: streaming, the changes committed from this snapshot id on (Delta's "
                    + "startingVersion); with --trigger available-now or once, the rows of this snapshot (versionAsOf).")
    Long startingVersion;

    @Option(names = "--as-of-timestamp", paramLabel = "TIMESTAMP",
            description = "With --source paimon: streaming, the changes committed at or after this UTC time, e.g. "
                    + "2026-01-01T12:00:00 (Delta's startingTimestamp); with --trigger available-now or once, the "
                    + "rows of the last snapshot at or before it (timestampAsOf).")
    String asOfTimestamp;

    @Option(names = "--read-change-feed",
            description = "With --source paimon: every change as a row, with a last column _change_type: insert, "
                    + "update_preimage, update_postimage or delete (Delta's readChangeFeed). Without it, pre-images "
                    + "and deletes are dropped.")
    boolean readChangeFeed;

    private static final List<String> OPTIONS = List.of("--source-table", "--starting-version",
            "--as-of-timestamp", "--read-change-feed");

    /** A checked table read: what to read and the schema of its rows. */
    record TableInput(PaimonSources.Read read, RowSchema schema) {

        ReaderOptions reader() {
            return ReaderOptions.of(ReaderOptions.Format.PARQUET, schema);
        }

        /** The table's rows. {@code input}: null for a job's only input, else its name. */
        RowInput rowInput(StreamExecutionEnvironment env, Trigger trigger, String input) {
            return RowInput.ofPaimon(PaimonSources.rows(env, read, trigger.isBounded(), input), schema, read.table());
        }
    }

    /**
     * Refuses these options when the pattern reads something else than a Paimon table ({@code reading}: what,
     * for the message).
     */
    static void refuseWithout(CommandSpec spec, String reading) {
        for (String option : OPTIONS) {
            if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                throw new UsageException(option + " is for --source paimon; this run reads " + reading);
            }
        }
    }

    /**
     * Checks the options and the table for {@code --source paimon}: --input and the reader options are for files,
     * the table has its own schema. {@code tableName}: the table named elsewhere (sql's --source NAME=paimon:TABLE),
     * else null for --source-table.
     */
    TableInput check(CommandSpec spec, ReaderOptionsMixin reader, Trigger trigger, String tableName, String warehouse) {
        var given = spec.commandLine().getParseResult();
        if (given.hasMatchedOption("--input")) {
            throw new UsageException("--input reads files; --source paimon reads the table --source-table of --warehouse");
        }
        if (reader != null && reader.given()) {
            throw new UsageException("--source paimon reads the table's own schema: drop the file reader options "
                    + "(--format, --schema, ...)");
        }
        String name = tableName != null ? tableName : table;
        if (name == null) {
            throw new UsageException("--source paimon needs --source-table DATABASE.TABLE (of --warehouse DIR)");
        }
        if (warehouse == null) {
            warehouse = PaimonCatalogs.DEFAULT_WAREHOUSE;
        }
        PaimonCatalogs.identifier(name, tableName != null ? "--source NAME=paimon:" : "--source-table");
        String location = Locations.isUri(warehouse) ? warehouse
                : Locations.existingDirectory("--warehouse", warehouse, "a Paimon warehouse: the directory its tables are in");
        if (startingVersion != null && startingVersion < 1) {
            throw new UsageException("--starting-version takes a snapshot id (1, 2, ...), got " + startingVersion);
        }
        var read = new PaimonSources.Read(location, name, startingVersion,
                asOfTimestamp == null ? null : millis(asOfTimestamp), readChangeFeed, PaimonSources.DEFAULT_DISCOVERY_INTERVAL);
        return new TableInput(read, PaimonSources.check(read, trigger.isBounded()));
    }

    private static long millis(String text) {
        try {
            return Timestamps.parseMillis(text.strip());
        } catch (MalformedRecordException e) {
            throw new UsageException("--as-of-timestamp takes a UTC time like 2026-01-01T12:00:00 or "
                    + "2026-01-01 12:00:00.250, not '" + text + "'");
        }
    }
}
