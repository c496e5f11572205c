package dev.flinkpatterns.patterns.windows;

import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.triggers.TriggerResult;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * Update and complete mode: a window shows its new aggregate after every row, not once at its end. The window
 * operator still drops the window's state once the watermark passes its end plus the allowed lateness (in complete
 * mode never: {@link WindowAggregation#KEEP_FOREVER}).
 */
final class FireOnEveryRow extends Trigger<Object, TimeWindow> {

    @Override
    public TriggerResult onElement(Object element, long timestamp, TimeWindow window, TriggerContext ctx) {
        return TriggerResult.FIRE;
    }

    @Override
    public TriggerResult onProcessingTime(long time, TimeWindow window, TriggerContext ctx) {
        return TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onEventTime(long time, TimeWindow window, TriggerContext ctx) {
        return TriggerResult.CONTINUE;
    }

    @Override
    public boolean canMerge() {
        return true;
    }

    @Override
    public void onMerge(TimeWindow window, OnMergeContext ctx) {}

    @Override
    public void clear(TimeWindow window, TriggerContext ctx) {}
}
