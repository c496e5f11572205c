package dev.flinkpatterns.io;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.UUID;
import javax.transaction.xa.Xid;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * The XA transaction id of a {@link PostgresXaSink} writer, and its committable. Format id {@value #FORMAT_ID} (ours
 * alone); global id: the sink's id (new each time the job is built), the job id, the subtask and the transaction's
 * number (the checkpoint period it holds); branch: the task attempt, so a restarted writer never reuses an id.
 */
record XaTransaction(UUID sink, UUID job, int subtask, long number, int attempt) implements Xid {

    /** "FPXA": the format id of every transaction of this sink, so nothing else's is ever touched. */
    static final int FORMAT_ID = 0x46505841;
    private static final int GLOBAL_ID_BYTES = 16 + 16 + 4 + 8;

    @Override
    public int getFormatId() {
        return FORMAT_ID;
    }

    @Override
    public byte[] getGlobalTransactionId() {
        return ByteBuffer.allocate(GLOBAL_ID_BYTES).putLong(sink.getMostSignificantBits())
                .putLong(sink.getLeastSignificantBits()).putLong(job.getMostSignificantBits())
                .putLong(job.getLeastSignificantBits()).putInt(subtask).putLong(number).array();
    }

    @Override
    public byte[] getBranchQualifier() {
        return ByteBuffer.allocate(4).putInt(attempt).array();
    }

    /** The id as this sink wrote it, or null for a transaction of anything else (a recovered driver {@link Xid}). */
    static XaTransaction of(Xid xid) {
        byte[] global = xid.getGlobalTransactionId();
        byte[] branch = xid.getBranchQualifier();
        if (xid.getFormatId() != FORMAT_ID || global == null || global.length != GLOBAL_ID_BYTES || branch == null
                || branch.length != 4) {
            return null;
        }
        ByteBuffer id = ByteBuffer.wrap(global);
        return new XaTransaction(new UUID(id.getLong(), id.getLong()), new UUID(id.getLong(), id.getLong()),
                id.getInt(), id.getLong(), ByteBuffer.wrap(branch).getInt());
    }

    /** True for the same transaction, whatever the class of {@code xid}. */
    boolean sameAs(Xid xid) {
        return xid.getFormatId() == FORMAT_ID && Arrays.equals(xid.getGlobalTransactionId(), getGlobalTransactionId())
                && Arrays.equals(xid.getBranchQualifier(), getBranchQualifier());
    }

    /** The job a writer of this sink runs in: what its writer state remembers. */
    record Owner(UUID sink, UUID job) {}

    static final class Serializer implements SimpleVersionedSerializer<XaTransaction> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(XaTransaction transaction) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.write(transaction.getGlobalTransactionId());
                out.write(transaction.getBranchQualifier());
            }
            return bytes.toByteArray();
        }

        @Override
        public XaTransaction deserialize(int version, byte[] serialized) throws IOException {
            if (version != 1 || serialized.length != GLOBAL_ID_BYTES + 4) {
                throw new IOException("not an XA transaction of version 1 (version " + version + ", "
                        + serialized.length + " bytes)");
            }
            ByteBuffer in = ByteBuffer.wrap(serialized);
            return new XaTransaction(new UUID(in.getLong(), in.getLong()), new UUID(in.getLong(), in.getLong()),
                    in.getInt(), in.getLong(), in.getInt());
        }
    }

    static final class OwnerSerializer implements SimpleVersionedSerializer<Owner> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(Owner owner) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeLong(owner.sink().getMostSignificantBits());
                out.writeLong(owner.sink().getLeastSignificantBits());
                out.writeLong(owner.job().getMostSignificantBits());
                out.writeLong(owner.job().getLeastSignificantBits());
            }
            return bytes.toByteArray();
        }

        @Override
        public Owner deserialize(int version, byte[] serialized) throws IOException {
            if (version != 1) {
                throw new IOException("unknown XA writer state version " + version);
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
                return new Owner(new UUID(in.readLong(), in.readLong()), new UUID(in.readLong(), in.readLong()));
            }
        }
    }
}
