package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.DisplayPath;
import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.io.paimon.PaimonCatalogs;
import dev.flinkpatterns.io.paimon.PaimonTables;
import dev.flinkpatterns.table.ConsoleTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.paimon.catalog.Catalog;
import org.apache.paimon.table.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "table", mixinStandardHelpOptions = true,
        description = "Apache Paimon tables (--sink paimon), read with Paimon's own reader.",
        subcommands = {TableCommand.Show.class, TableCommand.History.class})
class TableCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw new UsageException("choose a table command: show, history");
    }

    /** The warehouse and the table, as --sink paimon names them. */
    static final class TableName {
        @Option(names = "--warehouse", paramLabel = "DIR",
                description = "The Paimon warehouse. Default: " + PaimonCatalogs.DEFAULT_WAREHOUSE + ".")
        String warehouse = PaimonCatalogs.DEFAULT_WAREHOUSE;

        @Option(names = "--table", paramLabel = "DATABASE.NAME", required = true, description = "The table.")
        String table;

        /** Runs {@code read} on the table, with usage errors for a missing warehouse or table. */
        <T> T read(TableRead<T> read) throws Exception {
            var identifier = PaimonCatalogs.identifier(table, "--table");
            if (!warehouse.contains("://") && !Files.isDirectory(Path.of(warehouse))) {
                throw new UsageException("--warehouse " + DisplayPath.of(warehouse) + ": no such directory");
            }
            try (Catalog catalog = PaimonCatalogs.open(warehouse)) {
                return read.apply(PaimonTables.table(catalog, identifier, DisplayPath.of(warehouse)));
            }
        }
    }

    @FunctionalInterface
    interface TableRead<T> {
        T apply(Table table) throws Exception;
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = {"Spark's spark.read.table(NAME).show(): the table's rows as the console sink prints them, "
                    + "sorted by key (row_key, not shown) or by every column.",
                    "--as-of reads an older snapshot: Delta's VERSION AS OF or TIMESTAMP AS OF."})
    static final class Show implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        TableName name = new TableName();

        @Option(names = "--as-of", paramLabel = "SNAPSHOT|TIME",
                description = "A snapshot id (see table history) or a UTC time like '2026-01-01 10:00:00' (the last "
                        + "snapshot committed by then). Default: the latest snapshot.")
        String asOf;

        @Mixin
        ConsoleOptions console = new ConsoleOptions();

        @Override
        public Integer call() throws Exception {
            console.validate();
            String shown = name.read(table -> {
                Table read = asOf == null ? table : PaimonTables.asOf(table, asOf);
                return ConsoleTable.show(PaimonTables.shownColumns(read), PaimonTables.shownRows(read), console.numRows,
                        console.truncate);
            });
            CliContext.of(spec).out().print(shown);
            return 0;
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true,
            description = "Delta's DESCRIBE HISTORY: the table's snapshots, oldest first: id, commit time (UTC), "
                    + "kind (APPEND, COMPACT, OVERWRITE), records of its delta and records in all its files.")
    static final class History implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        TableName name = new TableName();

        @Override
        public Integer call() throws Exception {
            var rows = name.read(PaimonTables::history);
            CliContext.of(spec).out().print(ConsoleTable.show(PaimonTables.HISTORY_COLUMNS, rows, Integer.MAX_VALUE, 0));
            return 0;
        }
    }
}
