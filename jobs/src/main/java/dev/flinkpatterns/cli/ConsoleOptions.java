package dev.flinkpatterns.cli;

import dev.flinkpatterns.table.ConsoleTable;
import picocli.CommandLine.Option;

/** How a table is printed (Spark's {@code show(numRows, truncate)}): by the console sink, and by {@code table show}. */
public final class ConsoleOptions {

    @Option(names = "--truncate", paramLabel = "BOOL|N", arity = "0..1", fallbackValue = "true",
            converter = Converters.TruncateConverter.class,
            description = "Cut console values longer than 20 characters (true), keep them whole (false), "
                    + "or cut at N characters. Default: true.")
    int truncate = ConsoleTable.DEFAULT_TRUNCATE;

    @Option(names = "--num-rows", paramLabel = "N",
            description = "Rows the console shows per batch (Spark's numRows). Default: ${DEFAULT-VALUE}.")
    int numRows = ConsoleTable.DEFAULT_NUM_ROWS;

    /** --num-rows below 1 is a usage error. */
    void validate() {
        if (numRows < 1) {
            throw new dev.flinkpatterns.core.UsageException("--num-rows must be at least 1, got " + numRows);
        }
    }
}
