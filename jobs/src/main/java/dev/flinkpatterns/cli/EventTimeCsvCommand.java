package dev.flinkpatterns.cli;

import dev.flinkpatterns.core.Trigger;
import dev.flinkpatterns.io.ReaderOptions;
import dev.flinkpatterns.io.RowInput;
import dev.flinkpatterns.io.SourceLine;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
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

    /** The CSV lines, read by one reader when the watermark moves after every row (see EventTimeOptions). */
    DataStream<SourceLine> lines(StreamExecutionEnvironment env, Trigger trigger) {
        return eventTime.readers(csv.lines(env, trigger));
    }

    /** The rows of the files in any format, read as the lines above. */
    RowInput rowInput(StreamExecutionEnvironment env, Trigger trigger, ReaderOptions reader) {
        return eventTime.readers(csv.rowInput(env, trigger, reader));
    }

    @Override
    String lateOutputDir() {
        return eventTime.lateOutput;
    }
}
