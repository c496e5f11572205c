package dev.flinkpatterns.io;

import java.util.List;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A Source V2 with exactly one split (a socket, a watched file): the enumerator hands it to the first reader and
 * tells every reader there is nothing more. Its checkpoint is whether the split is out; a reader that failed before
 * its first checkpoint gives the split back and it goes out again. Run such a source with parallelism 1.
 */
public abstract class OneSplitSource<T, S extends SourceSplit> implements Source<T, S, Boolean> {

    /** The split, as it starts out. */
    protected abstract S initialSplit();

    @Override
    public final SplitEnumerator<S, Boolean> createEnumerator(SplitEnumeratorContext<S> context) {
        return new OneSplitEnumerator<>(context, initialSplit(), false);
    }

    @Override
    public final SplitEnumerator<S, Boolean> restoreEnumerator(SplitEnumeratorContext<S> context, Boolean assigned) {
        return new OneSplitEnumerator<>(context, initialSplit(), assigned);
    }

    @Override
    public final SimpleVersionedSerializer<Boolean> getEnumeratorCheckpointSerializer() {
        return new SimpleVersionedSerializer<>() {
            @Override
            public int getVersion() {
                return 1;
            }

            @Override
            public byte[] serialize(Boolean assigned) {
                return new byte[] {(byte) (assigned ? 1 : 0)};
            }

            @Override
            public Boolean deserialize(int version, byte[] bytes) {
                return bytes[0] == 1;
            }
        };
    }

    private static final class OneSplitEnumerator<S extends SourceSplit> implements SplitEnumerator<S, Boolean> {
        private final SplitEnumeratorContext<S> context;
        private final S split;
        private boolean assigned;

        OneSplitEnumerator(SplitEnumeratorContext<S> context, S split, boolean assigned) {
            this.context = context;
            this.split = split;
            this.assigned = assigned;
        }

        @Override
        public void start() {}

        @Override
        public void handleSplitRequest(int subtaskId, String requesterHostname) {}

        @Override
        public void addSplitsBack(List<S> splits, int subtaskId) {
            // The reader failed before its first checkpoint: the split goes out again, as it started.
            assigned = false;
        }

        @Override
        public void addReader(int subtaskId) {
            if (!assigned) {
                context.assignSplit(split, subtaskId);
                assigned = true;
            }
            context.signalNoMoreSplits(subtaskId);
        }

        @Override
        public Boolean snapshotState(long checkpointId) {
            return assigned;
        }

        @Override
        public void close() {}
    }
}
