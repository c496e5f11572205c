package dev.flinkpatterns.cli;

import dev.flinkpatterns.generator.BatchFileGenerator;
import dev.flinkpatterns.generator.OrderShipmentRows;
import dev.flinkpatterns.generator.ProductCatalog;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "orders", mixinStandardHelpOptions = true,
        description = {"Write order_batch_N.csv and shipment_batch_N.csv files for the join and the enrichment.",
            "Orders (order_time,order_id,user_id,product_id,quantity,amount) and shipments (ship_time,shipment_id,"
                    + "shipment_order_id,carrier) for the join order_id = shipment_order_id AND ship_time BETWEEN "
                    + "order_time AND order_time + 1 hour: most orders ship within the hour, some later, some never, "
                    + "and some shipments name an order that does not exist. product_id runs to two beyond the "
                    + "catalog's --products. Batch N of both is written together, the orders file first."})
final class GenerateOrdersCommand extends GenerateCommand.BatchGeneratorCommand {

    @Option(names = "--orders-out", paramLabel = "DIR", description = "Directory for the orders. Default: ${DEFAULT-VALUE}.")
    String ordersOut = "data/input/orders";

    @Option(names = "--shipments-out", paramLabel = "DIR",
            description = "Directory for the shipments. Default: ${DEFAULT-VALUE}.")
    String shipmentsOut = "data/input/shipments";

    @Option(names = "--products", paramLabel = "N",
            description = "Products in the catalog: product_id is drawn from p-001..p-(N+2), the last two not in it. "
                    + "Default: ${DEFAULT-VALUE}.")
    int products = ProductCatalog.DEFAULT_PRODUCTS;

    @Mixin
    UsersOption users;

    @Override
    BatchFileGenerator generator() {
        return options.relatedGenerator(Path.of(ordersOut), Path.of(shipmentsOut),
                () -> new OrderShipmentRows(users.users, products));
    }
}
