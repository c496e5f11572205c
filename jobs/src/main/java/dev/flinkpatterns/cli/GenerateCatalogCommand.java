package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.generator.ProductCatalog;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "catalog", mixinStandardHelpOptions = true,
        description = {"Write the product catalog (one CSV file) for the enrichment join.",
            "Header product_id,product_name,category,price; products p-001..p-N, each fixed by its number. "
                    + "--revision R > 1 raises every price by 10 % per revision and ends the names with ' vR'. "
                    + "The file is replaced atomically: a reader sees the old catalog or the new one."})
final class GenerateCatalogCommand implements Callable<Integer> {

    @Option(names = "--out", paramLabel = "FILE", description = "File to write. Default: ${DEFAULT-VALUE}.")
    String out = "data/input/catalog/product_catalog.csv";

    @Option(names = "--products", paramLabel = "N", description = "Products p-001..p-N. Default: ${DEFAULT-VALUE}.")
    int products = ProductCatalog.DEFAULT_PRODUCTS;

    @Option(names = "--revision", paramLabel = "R",
            description = "Catalog revision: price × (1 + 0.1 × (R - 1)), names ending in ' vR'. Default: ${DEFAULT-VALUE}.")
    int revision = 1;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path file = Path.of(out);
        try {
            ProductCatalog.write(file, products, revision);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        CliContext.of(spec).out().println("wrote " + file + " (" + products + " products, revision " + revision + ")");
        return 0;
    }
}
