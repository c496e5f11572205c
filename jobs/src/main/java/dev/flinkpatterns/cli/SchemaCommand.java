package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.UsageException;
import dev.flinkpatterns.io.ReaderOptions.Format;
import dev.flinkpatterns.io.SchemaDdl;
import dev.flinkpatterns.io.SchemaInference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "schema", mixinStandardHelpOptions = true,
        description = "Input schemas as Spark DDL.",
        subcommands = {SchemaCommand.Infer.class})
class SchemaCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw new UsageException("choose a schema command: infer");
    }

    @Command(name = "infer", mixinStandardHelpOptions = true,
            description = {"Spark's inferSchema: prints the schema of the files in a directory as Spark DDL, for "
                    + "--schema or --schema-file.",
                    "Samples the first 1000 rows, oldest files first; see docs/schemas.md for the rules."})
    static final class Infer implements Callable<Integer> {

        @Option(names = "--input", paramLabel = "DIR", required = true, description = "The directory of input files.")
        String input;

        @Option(names = "--format", paramLabel = "csv|json|parquet", required = true,
                description = "The format of the files.")
        String format;

        @Mixin
        ReaderFormatOptions text = new ReaderFormatOptions();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Format chosen;
            try {
                chosen = Format.of(format);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--format: " + e.getMessage());
            }
            if (chosen == Format.TEXT) {
                throw new UsageException("--format text has one column, value STRING; nothing to infer");
            }
            if (!Files.isDirectory(Path.of(input))) {
                throw new UsageException("--input " + input + ": no such directory");
            }
            String ddl;
            try {
                ddl = SchemaDdl.print(SchemaInference.infer(Path.of(input), chosen, text.header(), text.delimiter(),
                        text.textFormats()));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--input " + input + ": " + e.getMessage());
            }
            CliContext.of(spec).out().println(ddl);
            return 0;
        }
    }
}
