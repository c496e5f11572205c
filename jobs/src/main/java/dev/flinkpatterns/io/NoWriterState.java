package dev.flinkpatterns.io;

import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * The state serializer of a sink writer that keeps none: such writers implement {@code StatefulSinkWriter} only to
 * learn checkpoint ids, and Flink still asks for a serializer of their (empty) state.
 */
public final class NoWriterState implements SimpleVersionedSerializer<Void> {

    @Override
    public int getVersion() {
        return 1;
    }

    @Override
    public byte[] serialize(Void state) {
        return new byte[0];
    }

    @Override
    public Void deserialize(int version, byte[] serialized) {
        return null;
    }
}
