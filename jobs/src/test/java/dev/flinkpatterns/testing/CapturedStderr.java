package dev.flinkpatterns.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What this JVM prints on {@code System.err} while it is open, still passed on to the real stderr. Jobs on a
 * test's MiniCluster run in this JVM, so their console lines (input warnings) are captured too.
 */
public final class CapturedStderr implements AutoCloseable {

    private final PrintStream original = System.err;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    public CapturedStderr() {
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (captured) {
                    captured.write(b);
                }
                original.write(b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                synchronized (captured) {
                    captured.write(bytes, offset, length);
                }
                original.write(bytes, offset, length);
            }
        };
        System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
    }

    /** The complete lines printed so far that start with {@code prefix}. */
    public List<String> lines(String prefix) {
        String text;
        synchronized (captured) {
            text = captured.toString(StandardCharsets.UTF_8);
        }
        int lastNewline = text.lastIndexOf('\n');
        return text.substring(0, lastNewline + 1).lines().filter(line -> line.startsWith(prefix)).toList();
    }

    @Override
    public void close() {
        System.setErr(original);
    }
}
