package dev.flinkpatterns.cli;

import picocli.CommandLine.Mixin;

/** A pattern over a directory of the tutorial's CSV files: the input options and their check. */
abstract class CsvCommand extends PatternCommand {

    @Mixin
    FileInputOptions csv = FileInputOptions.csv();

    @Override
    void validate() {
        csv.validate(streaming.trigger);
    }
}
