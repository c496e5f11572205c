package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.generator.UserDimension;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "user-dim", mixinStandardHelpOptions = true,
        description = {"Write the user dimension (one CSV file) for the medallion pipeline's silver join.",
            "Header user_id,user_segment,country,signup_date; users 1..N, each fixed by its id. The default 8 "
                    + "leaves the clickstream's users 9 and 10 without a row. The file is replaced atomically."})
final class GenerateUserDimCommand implements Callable<Integer> {

    @Option(names = "--out", paramLabel = "FILE", description = "File to write. Default: ${DEFAULT-VALUE}.")
    String out = "data/input/user_dim/user_dim.csv";

    @Option(names = "--users", paramLabel = "N", description = "Users 1..N. Default: ${DEFAULT-VALUE}.")
    int users = UserDimension.DEFAULT_USERS;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path file = Path.of(out);
        try {
            UserDimension.write(file, users);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        CliContext.of(spec).out().println("wrote " + file + " (" + users + " users)");
        return 0;
    }
}
