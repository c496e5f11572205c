package dev.flinkpatterns.cli;

import dev.flinkpatterns.generator.BatchFileGenerator;
import dev.flinkpatterns.generator.ClickPurchaseRows;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "clicks", mixinStandardHelpOptions = true,
        description = {"Write click_batch_N.csv and purchase_batch_N.csv files for the stream-stream join.",
            "Clicks (click_time,click_id,user_id,page) and purchases (purchase_time,purchase_id,user_id,product_id,"
                    + "amount) for the join purchase_time BETWEEN click_time AND click_time + 1 hour: most purchases "
                    + "follow a click of the same user within the hour, some clicks have no purchase, some purchases "
                    + "no click in the hour before. Batch N of both is written together, the clicks file first; a "
                    + "purchase goes into the first batch whose clicks have reached its time."})
final class GenerateClicksCommand extends GenerateCommand.BatchGeneratorCommand {

    @Option(names = "--clicks-out", paramLabel = "DIR", description = "Directory for the clicks. Default: ${DEFAULT-VALUE}.")
    String clicksOut = "data/input/clicks";

    @Option(names = "--purchases-out", paramLabel = "DIR",
            description = "Directory for the purchases. Default: ${DEFAULT-VALUE}.")
    String purchasesOut = "data/input/purchases";

    @Mixin
    UsersOption users;

    @Override
    BatchFileGenerator generator() {
        return options.relatedGenerator(Path.of(clicksOut), Path.of(purchasesOut), () -> new ClickPurchaseRows(users.users));
    }
}
