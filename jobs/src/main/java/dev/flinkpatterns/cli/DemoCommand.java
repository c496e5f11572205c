package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.generator.BatchFileGenerator;
import dev.flinkpatterns.generator.EventCsvRows;
import dev.flinkpatterns.run.Companion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The tutorial's demo (what ./patterns runs with no arguments).",
                "The generator writes event_batch_N.csv files into data/input (10 files of 10 rows, 3 s "
                        + "apart) while csv-agg counts them. Old event_batch_*.csv files in the input directory are "
                        + "removed first. Ctrl+C stops the job and the generator."})
class DemoCommand extends EventCountsCommand {

    @Mixin
    GeneratorOptions generator;

    @Mixin
    UsersOption users;

    @Override
    String patternName() {
        return "csv-agg";
    }

    @Override
    void validate() {
        Path input = Path.of(csv.input);
        try {
            Files.createDirectories(input);
            int removed = 0;
            try (var files = Files.newDirectoryStream(input, "event_batch_*.csv")) {
                for (Path file : files) {
                    Files.delete(file);
                    removed++;
                }
            }
            if (removed > 0) {
                CliContext.of(spec).out().println("Removed " + removed + " event_batch_*.csv file(s) of an earlier run from " + input);
            }
        } catch (IOException e) {
            throw new UsageException("--input " + csv.input + ": " + e.getMessage());
        }
        super.validate();
    }

    @Override
    List<Companion> companions() {
        BatchFileGenerator eventFiles = generator.generator(Path.of(csv.input), () -> new EventCsvRows(users.users));
        var out = CliContext.of(spec).out();
        return List.of(new Companion() {
            @Override
            public String name() {
                return "generator";
            }

            @Override
            public void run() throws Exception {
                eventFiles.run((file, number, total) ->
                        out.println("generator: wrote " + file.getFileName() + " (" + number + "/" + total + ")"));
            }
        });
    }
}
