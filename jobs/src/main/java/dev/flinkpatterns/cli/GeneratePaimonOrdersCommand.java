package dev.flinkpatterns.cli;

import dev.flinkpatterns.io.paimon.PaimonCatalogs;
import dev.flinkpatterns.io.paimon.PaimonExampleTables;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "paimon-orders", mixinStandardHelpOptions = true,
        description = {"Create the Paimon table shop.orders with three snapshots, to try --source paimon on.",
            "A primary-key table (id) with a changelog: snapshot 1 inserts orders 1 and 2, snapshot 2 inserts order 3, "
                    + "snapshot 3 updates order 2 and deletes order 1."})
final class GeneratePaimonOrdersCommand implements Callable<Integer> {

    // The default of --sink paimon and --source paimon, so the table is read without --warehouse.
    @Option(names = "--warehouse", paramLabel = "DIR", description = "The Paimon warehouse. Default: ${DEFAULT-VALUE}.")
    String warehouse = PaimonCatalogs.DEFAULT_WAREHOUSE;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PaimonExampleTables.orders(warehouse);
        CliContext.of(spec).out().println("created table " + PaimonExampleTables.ORDERS + " in " + warehouse
                + " (snapshots 1 to 3)");
        return 0;
    }
}
