package dev.flinkpatterns.runtime;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * What {@link ResidentClient} and {@link ResidentRuntime} say to each other over a loopback connection. The client
 * sends the token of the runtime's {@code port} file and its working directory (the runtime accepts, or closes the
 * connection when it does not fit: another build, another directory); then its environment and arguments; then
 * frames: standard input (only once the command reads it), and stop (Ctrl+C). The runtime sends frames of standard
 * output and error, a request for standard input, and the exit code. A frame is a type byte, a length and bytes.
 * Plain JDK classes only: the client must start in a fraction of a second.
 */
final class ResidentProtocol {

    static final String PORT_FILE = "port";
    static final String COMMAND_FILE = "command";
    static final String LOG_FILE = "runtime.log";

    /** The runtime's answer to a good token. */
    static final byte ACCEPTED = 'A';
    static final byte STDOUT = 'O';
    static final byte STDERR = 'E';
    static final byte WANT_INPUT = 'W';
    static final byte EXIT = 'X';
    static final byte INPUT = 'I';
    static final byte INPUT_END = 'D';
    static final byte STOP = 'S';

    private ResidentProtocol() {}

    static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    static String readString(DataInputStream in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** One side's frames, written whole by any thread. */
    static final class FrameWriter {

        private final DataOutputStream out;

        FrameWriter(OutputStream out) {
            this.out = new DataOutputStream(out);
        }

        synchronized void write(byte type, byte[] bytes, int offset, int length) throws IOException {
            out.writeByte(type);
            out.writeInt(length);
            out.write(bytes, offset, length);
            out.flush();
        }

        synchronized void writeInt(byte type, int value) throws IOException {
            out.writeByte(type);
            out.writeInt(4);
            out.writeInt(value);
            out.flush();
        }

        /** A stream whose writes are frames of {@code type}. */
        OutputStream stream(byte type) {
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] bytes, int offset, int length) throws IOException {
                    if (length > 0) {
                        FrameWriter.this.write(type, bytes, offset, length);
                    }
                }
            };
        }
    }
}
