package dev.flinkpatterns.runtime;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What {@code ./patterns} runs for a pattern when the resident runtime is on (the default): hands the command to
 * this working directory's {@link ResidentRuntime}, starting it first if none runs, and plays its output, input and
 * exit code as if the command ran in this process. Ctrl+C (SIGINT, SIGTERM) stops the command and waits for it;
 * when this process dies (even {@code kill -9}) the runtime stops its command too. Plain JDK code without lambdas
 * or string concatenation: each of those costs this short-lived JVM time at its start.
 */
public final class ResidentClient {

    private static final long START_TIMEOUT_MILLIS = TimeUnit.SECONDS.toMillis(120);
    private static final long STOP_WAIT_SECONDS = 60;
    /** What a shell reports for a command killed by SIGPIPE. */
    private static final int BROKEN_PIPE = 141;

    private ResidentClient() {}

    public static void main(String[] args) throws Exception {
        Path stateDir = Path.of(args[0]);
        List<String> commandArgs = List.of(args).subList(1, args.length);
        Socket socket = connectOrStart(stateDir);
        DataOutputStream request = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
        Map<String, String> environment = System.getenv();
        request.writeInt(environment.size());
        for (Map.Entry<String, String> variable : environment.entrySet()) {
            ResidentProtocol.writeString(request, variable.getKey());
            ResidentProtocol.writeString(request, variable.getValue());
        }
        request.writeInt(commandArgs.size());
        for (String arg : commandArgs) {
            ResidentProtocol.writeString(request, arg);
        }
        request.flush();
        ResidentProtocol.FrameWriter frames = new ResidentProtocol.FrameWriter(socket.getOutputStream());
        CountDownLatch ended = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(new Runnable() {
            @Override
            public void run() {
                if (ended.getCount() == 0) {
                    return;
                }
                stopping.set(true);
                try {
                    frames.write(ResidentProtocol.STOP, new byte[0], 0, 0);
                    ended.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
                } catch (IOException | InterruptedException e) {
                    // the runtime is gone: nothing left to stop
                }
            }
        }, "patterns-stop"));
        int exitCode = 1;
        try {
            exitCode = play(new DataInputStream(new BufferedInputStream(socket.getInputStream())), frames, stateDir);
        } finally {
            ended.countDown();
            System.err.flush();
            if (!stopping.get()) {
                Runtime.getRuntime().halt(exitCode);
            }
            // Stopped by a signal: the JVM exits once the hook returns, with the signal's status (130, 143), as a
            // command in a JVM of its own would.
        }
    }

    /** Plays the runtime's frames until the exit code; returns it. */
    private static int play(DataInputStream in, ResidentProtocol.FrameWriter frames, Path stateDir) throws IOException {
        OutputStream stdout = new FileOutputStream(FileDescriptor.out);
        OutputStream stderr = new FileOutputStream(FileDescriptor.err);
        try {
            while (true) {
                byte type = in.readByte();
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                if (type == ResidentProtocol.STDOUT || type == ResidentProtocol.STDERR) {
                    try {
                        (type == ResidentProtocol.STDOUT ? stdout : stderr).write(bytes);
                    } catch (IOException e) {
                        return BROKEN_PIPE; // a reader that went away (| head): ends the command, as a shell tool ends
                    }
                } else if (type == ResidentProtocol.WANT_INPUT) {
                    forwardInput(frames);
                } else if (type == ResidentProtocol.EXIT) {
                    return ((bytes[0] & 0xff) << 24) | ((bytes[1] & 0xff) << 16) | ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff);
                }
            }
        } catch (IOException e) {
            stderr.write(message("patterns: lost the resident runtime during the command (", e.toString(),
                    "); see its log: ", stateDir.resolve(ResidentProtocol.LOG_FILE).toString()));
            return 1;
        }
    }

    private static void forwardInput(ResidentProtocol.FrameWriter frames) {
        Thread forwarder = new Thread(new Runnable() {
            @Override
            public void run() {
                byte[] buffer = new byte[8192];
                InputStream stdin = System.in;
                try {
                    int count;
                    while ((count = stdin.read(buffer)) >= 0) {
                        frames.write(ResidentProtocol.INPUT, buffer, 0, count);
                    }
                    frames.write(ResidentProtocol.INPUT_END, buffer, 0, 0);
                } catch (IOException e) {
                    // the runtime is gone
                }
            }
        }, "patterns-stdin");
        forwarder.setDaemon(true);
        forwarder.start();
    }

    /** This directory's runtime, started if none answers (one starter at a time, under a file lock). */
    private static Socket connectOrStart(Path stateDir) throws IOException, InterruptedException {
        Socket socket = connect(stateDir);
        if (socket != null) {
            return socket;
        }
        Files.createDirectories(stateDir);
        try (RandomAccessFile lockFile = new RandomAccessFile(stateDir.resolve("start.lock").toFile(), "rw");
                FileLock lock = lockFile.getChannel().lock()) {
            socket = connect(stateDir);
            if (socket != null) {
                return socket;
            }
            Files.deleteIfExists(stateDir.resolve(ResidentProtocol.PORT_FILE));
            Process runtime = start(stateDir);
            long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
            while (System.currentTimeMillis() < deadline && runtime.isAlive()) {
                socket = connect(stateDir);
                if (socket != null) {
                    return socket;
                }
                Thread.sleep(20);
            }
        }
        System.err.write(message("patterns: the resident runtime did not start; see ",
                stateDir.resolve(ResidentProtocol.LOG_FILE).toString(), " (PATTERNS_RESIDENT=off runs without it)"));
        System.err.flush();
        Runtime.getRuntime().halt(1);
        return null;
    }

    /** The runtime as a process of its own session: a Ctrl+C meant for this command must not reach it. */
    private static Process start(Path stateDir) throws IOException {
        String[] words = Files.readString(stateDir.resolve(ResidentProtocol.COMMAND_FILE), StandardCharsets.UTF_8)
                .split("\0");
        List<String> command = new ArrayList<>();
        command.add("setsid");
        command.addAll(List.of(words));
        return new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(stateDir.resolve(ResidentProtocol.LOG_FILE).toFile()))
                .start();
    }

    /** A connection the runtime of the port file accepted; null if none answers. */
    private static Socket connect(Path stateDir) {
        String[] published;
        try {
            published = Files.readString(stateDir.resolve(ResidentProtocol.PORT_FILE)).trim().split(" ");
        } catch (IOException e) {
            return null;
        }
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(published[0])), 2000);
            socket.setSoTimeout(10_000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            ResidentProtocol.writeString(out, published[1]);
            ResidentProtocol.writeString(out, Path.of("").toAbsolutePath().toString());
            out.flush();
            if (socket.getInputStream().read() != ResidentProtocol.ACCEPTED) {
                socket.close();
                return null;
            }
            socket.setSoTimeout(0);
            return socket;
        } catch (IOException | RuntimeException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing to release
            }
            return null;
        }
    }

    private static byte[] message(String... parts) {
        StringBuilder line = new StringBuilder();
        for (String part : parts) {
            line.append(part);
        }
        return line.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }
}
