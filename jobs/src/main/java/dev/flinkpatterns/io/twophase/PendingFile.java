package dev.flinkpatterns.io.twophase;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * The committable of one transaction: a pre-committed (flushed, fsynced, closed) hidden file and the name it gets
 * when the transaction commits. Flink keeps it in the committer's checkpointed state until the commit is done.
 */
public record PendingFile(String pendingPath, String finalPath) {

    public Path pending() {
        return Path.of(pendingPath);
    }

    public Path finalFile() {
        return Path.of(finalPath);
    }

    /** Version 1: the two paths as UTF strings. Bump the version if the fields change: old checkpoints hold v1. */
    static final class Serializer implements SimpleVersionedSerializer<PendingFile> {

        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(PendingFile file) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(256);
            out.writeUTF(file.pendingPath());
            out.writeUTF(file.finalPath());
            return out.getCopyOfBuffer();
        }

        @Override
        public PendingFile deserialize(int version, byte[] serialized) throws IOException {
            if (version != 1) {
                throw new IOException("Unknown version " + version + " of a PendingFile committable");
            }
            DataInputDeserializer in = new DataInputDeserializer(serialized);
            return new PendingFile(in.readUTF(), in.readUTF());
        }
    }
}
