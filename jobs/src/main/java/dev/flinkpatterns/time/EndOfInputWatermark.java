package dev.flinkpatterns.time;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Passes rows and watermarks on and, when its input ends, the final watermark. Flink SQL's interval join holds its
 * output watermark back by the join interval, so at the end of a bounded input what leaves it is the final
 * watermark minus an hour: the operators downstream that flush at the end of input (the console's last batch)
 * would never see it.
 */
public final class EndOfInputWatermark<T> extends AbstractStreamOperator<T> implements OneInputStreamOperator<T, T>, BoundedOneInput {

    @Override
    public void processElement(StreamRecord<T> element) {
        output.collect(element);
    }

    @Override
    public void endInput() {
        output.emitWatermark(Watermark.MAX_WATERMARK);
    }
}
