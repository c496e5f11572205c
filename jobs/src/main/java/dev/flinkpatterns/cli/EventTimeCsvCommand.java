package dev.flinkpatterns.cli;

import picocli.CommandLine.Mixin;

/** A pattern over the CSV files in event time: the input options, the watermark options, their checks. */
abstract class EventTimeCsvCommand extends CsvCommand {

    @Mixin
    EventTimeOptions eventTime;

    @Override
    void validate() {
        super.validate();
        eventTime.validate();
    }

    @Override
    String lateOutputDir() {
        return eventTime.lateOutput;
    }
}
