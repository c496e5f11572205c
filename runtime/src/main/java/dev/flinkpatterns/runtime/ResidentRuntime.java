package dev.flinkpatterns.runtime;

import dev.flinkpatterns.cli.PatternsCli;
import dev.flinkpatterns.run.CommandScope;
import java.io.BufferedInputStream;
import java.io.File;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resident runtime: a JVM that stays up between {@code ./patterns} commands and runs each of them, so that a
 * command skips the JVM's start, class loading and the JIT's warm-up (docs/running.md#start-up). One per working
 * directory and build; {@link ResidentClient} starts it on first use and hands it each command with its working
 * directory, environment and streams. Each command gets its own embedded runtime (its own MiniCluster, as in a JVM
 * of its own) and {@link CommandScope}; what its threads print on {@code System.out} goes to its client. It exits
 * when idle for {@code patterns.resident.idle-seconds} (default 30 minutes), after its build's jar changed, or after
 * {@value #MAX_COMMANDS} commands (a fresh JVM then, so nothing a command leaves behind can pile up).
 */
public final class ResidentRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(ResidentRuntime.class);
    static final int MAX_COMMANDS = 400;
    /** How long a stopped command may take to end before the runtime retires (the JVM's exit ends it then). */
    private static final long STOPPED_COMMAND_GRACE_SECONDS = 10;

    private final Path stateDir;
    private final Path confDir;
    private final String token;
    private final ServerSocket server;
    /** The jars of the project's own build on this JVM's class path (jobs, runtime, ...; not Maven's). */
    private final List<Path> buildJars;
    /** Their modification times when this runtime started: a rebuild of any of them retires it. */
    private final String buildStamp;
    private final long idleMillis;
    private final AtomicBoolean retiring = new AtomicBoolean();
    private int active;
    private int served;
    private long lastActivity = System.currentTimeMillis();

    private ResidentRuntime(Path stateDir, Path confDir, long idleMillis) throws IOException {
        this.stateDir = stateDir;
        this.confDir = confDir;
        this.idleMillis = idleMillis;
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        this.token = HexFormat.of().formatHex(secret);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.buildJars = buildJars(Path.of(System.getProperty("patterns.home", ".")),
                System.getProperty("java.class.path"));
        this.buildStamp = stamp(buildJars);
    }

    public static void main(String[] args) throws Exception {
        Path stateDir = Path.of(System.getProperty("patterns.resident.dir"));
        Path confDir = Path.of(System.getProperty("patterns.conf.dir", "conf"));
        long idleSeconds = Long.getLong("patterns.resident.idle-seconds", 1800);
        ResidentRuntime runtime = new ResidentRuntime(stateDir, confDir, TimeUnit.SECONDS.toMillis(idleSeconds));
        // What a command's threads print goes to that command's client; anything else to this runtime's log.
        System.setOut(new PrintStream(new RoutedOutput(System.out), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new RoutedOutput(System.err), true, StandardCharsets.UTF_8));
        runtime.publish();
        runtime.watch();
        runtime.serve();
    }

    /** Writes the {@code port} file (port, token, pid), readable by this user only: it admits commands. */
    private void publish() throws IOException {
        Files.createDirectories(stateDir);
        Path scratch = Files.createTempFile(stateDir, "port", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(scratch, server.getLocalPort() + " " + token + " " + ProcessHandle.current().pid() + "\n");
        Files.move(scratch, stateDir.resolve(ResidentProtocol.PORT_FILE), StandardCopyOption.ATOMIC_MOVE);
        LOG.info("Resident runtime listening on port {} for {}", server.getLocalPort(), Path.of("").toAbsolutePath());
    }

    private void serve() {
        while (!retiring.get()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                break; // closed by retire()
            }
            synchronized (this) {
                active++;
                served++;
                lastActivity = System.currentTimeMillis();
            }
            Thread command = new Thread(() -> serve(socket), "patterns-command-" + served);
            command.start();
            if (served >= MAX_COMMANDS) {
                retire("it ran " + MAX_COMMANDS + " commands");
            }
        }
    }

    /** Retires when idle, or when the build it runs was replaced; exits once no command runs. */
    private void watch() {
        Thread watcher = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
                synchronized (this) {
                    boolean idle = active == 0;
                    if (idle && System.currentTimeMillis() - lastActivity > idleMillis) {
                        retire("idle");
                    } else if (idle && rebuilt()) {
                        retire("its jar was rebuilt");
                    }
                    if (retiring.get() && active == 0) {
                        LOG.info("Resident runtime exits");
                        System.exit(0);
                    }
                }
            }
        }, "patterns-resident-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** No new commands: the port file goes (the next client starts a new runtime); running commands end. */
    private void retire(String reason) {
        if (retiring.compareAndSet(false, true)) {
            LOG.info("Resident runtime retires: {}", reason);
            try {
                Path portFile = stateDir.resolve(ResidentProtocol.PORT_FILE);
                if (Files.exists(portFile) && Files.readString(portFile).contains(token)) {
                    Files.delete(portFile);
                }
                server.close();
            } catch (IOException e) {
                LOG.warn("Could not remove the port file", e);
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            ResidentProtocol.FrameWriter frames = new ResidentProtocol.FrameWriter(
                    new BufferedOutputStream(socket.getOutputStream()));
            if (!token.equals(ResidentProtocol.readString(in))) {
                return;
            }
            String workingDirectory = ResidentProtocol.readString(in);
            // Unanswered, the client starts a runtime that fits.
            if (rebuilt()) {
                retire("its jar was rebuilt");
                return;
            }
            if (!isWorkingDirectory(Path.of(workingDirectory))) {
                retire("its working directory was replaced by another of the same name: " + workingDirectory);
                return;
            }
            socket.getOutputStream().write(ResidentProtocol.ACCEPTED);
            Map<String, String> environment = new LinkedHashMap<>();
            for (int n = in.readInt(); n > 0; n--) {
                environment.put(ResidentProtocol.readString(in), ResidentProtocol.readString(in));
            }
            String[] args = new String[in.readInt()];
            for (int i = 0; i < args.length; i++) {
                args[i] = ResidentProtocol.readString(in);
            }
            int exitCode = run(environment, args, in, frames);
            frames.writeInt(ResidentProtocol.EXIT, exitCode);
        } catch (IOException e) {
            LOG.info("A client went away: {}", e.toString()); // its command, if it had started, was stopped
        } finally {
            synchronized (this) {
                active--;
                lastActivity = System.currentTimeMillis();
            }
        }
    }

    private int run(Map<String, String> environment, String[] args, DataInputStream in,
            ResidentProtocol.FrameWriter frames) {
        PrintStream out = new PrintStream(frames.stream(ResidentProtocol.STDOUT), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(frames.stream(ResidentProtocol.STDERR), true, StandardCharsets.UTF_8);
        ClientInput input = new ClientInput(frames);
        CommandScope scope = new CommandScope(environment, input, frames.stream(ResidentProtocol.STDOUT));
        Thread command = Thread.currentThread();
        Thread listener = new Thread(() -> listen(in, input, scope, command), command.getName() + "-client");
        listener.setDaemon(true);
        listener.start();
        LOG.info("Command {}", String.join(" ", args));
        try {
            return scope.run(() -> {
                EmbeddedRuntime runtime = new EmbeddedRuntime(confDir);
                try {
                    return PatternsCli.run(args, runtime, out, err);
                } finally {
                    runtime.removeWorkingDirectory();
                }
            });
        } catch (Throwable e) {
            LOG.error("Command failed", e);
            err.println("patterns: " + e);
            return 1;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * The client's frames: its standard input, and its stop. A stop, or the client's end (killed, even with
     * {@code kill -9}), stops the command as Ctrl+C stops a JVM of its own: its stop hooks run (a job is cancelled);
     * a command that has no hook is interrupted. One that still runs after a grace period retires this runtime,
     * whose exit then ends it.
     */
    private void listen(DataInputStream in, ClientInput input, CommandScope scope, Thread command) {
        try {
            while (true) {
                byte type = in.readByte();
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                if (type == ResidentProtocol.INPUT) {
                    input.offer(bytes);
                } else if (type == ResidentProtocol.INPUT_END) {
                    input.offer(new byte[0]);
                } else if (type == ResidentProtocol.STOP) {
                    break;
                }
            }
        } catch (IOException e) {
            // the client ended, or the command did and its connection was closed
        }
        if (!command.isAlive()) {
            return;
        }
        LOG.info("The client of {} stopped it or ended", command.getName());
        input.offer(new byte[0]);
        try {
            scope.stop();
            command.join(TimeUnit.SECONDS.toMillis(1));
            if (command.isAlive()) {
                command.interrupt();
                command.join(TimeUnit.SECONDS.toMillis(STOPPED_COMMAND_GRACE_SECONDS));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (command.isAlive()) {
            retire("a stopped command did not end: " + command.getName());
        }
    }

    /**
     * Whether the client's working directory is this JVM's, the same directory and not only the same name: a
     * directory deleted and made again (a test's, a lane's of check-docs) would leave this JVM in the deleted one.
     */
    private static boolean isWorkingDirectory(Path clientDirectory) {
        Path own = Path.of("/proc/self/cwd");
        try {
            if (Files.exists(own)) {
                Object ownKey = Files.readAttributes(own, BasicFileAttributes.class).fileKey();
                return ownKey != null
                        && ownKey.equals(Files.readAttributes(clientDirectory, BasicFileAttributes.class).fileKey());
            }
            return Files.isSameFile(clientDirectory, Path.of("").toAbsolutePath());
        } catch (IOException e) {
            return false;
        }
    }

    private boolean rebuilt() {
        return !stamp(buildJars).equals(buildStamp);
    }

    /** The entries of {@code classPath} under {@code home}: the jars a build of the project replaces. */
    static List<Path> buildJars(Path home, String classPath) {
        Path root = home.toAbsolutePath().normalize();
        List<Path> jars = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            Path path = Path.of(entry).toAbsolutePath().normalize();
            if (!entry.isEmpty() && path.startsWith(root)) {
                jars.add(path);
            }
        }
        return jars;
    }

    private static String stamp(List<Path> jars) {
        StringBuilder stamp = new StringBuilder();
        for (Path jar : jars) {
            long modified;
            try {
                modified = Files.getLastModifiedTime(jar).toMillis();
            } catch (IOException e) {
                modified = -1;
            }
            stamp.append(modified).append(' ');
        }
        return stamp.toString();
    }

    /** {@code System.out}/{@code System.err} of this JVM: the current command's output, else this runtime's log. */
    private static final class RoutedOutput extends OutputStream {

        private final OutputStream fallback;

        RoutedOutput(OutputStream fallback) {
            this.fallback = fallback;
        }

        private OutputStream target() {
            CommandScope scope = CommandScope.current();
            return scope == null ? fallback : scope.output();
        }

        @Override
        public void write(int b) throws IOException {
            target().write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            target().write(bytes, offset, length);
        }

        @Override
        public void flush() throws IOException {
            target().flush();
        }
    }

    /** A command's standard input: asked of the client on the first read, so a client that never needs it never reads it. */
    private static final class ClientInput extends InputStream {

        private final ResidentProtocol.FrameWriter frames;
        private final BlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
        private boolean asked;
        private byte[] current = new byte[0];
        private int position;
        private boolean ended;

        ClientInput(ResidentProtocol.FrameWriter frames) {
            this.frames = frames;
        }

        void offer(byte[] chunk) {
            chunks.add(chunk);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public synchronized int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (!asked) {
                asked = true;
                frames.write(ResidentProtocol.WANT_INPUT, new byte[0], 0, 0);
            }
            while (!ended && position == current.length) {
                try {
                    current = chunks.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException();
                }
                position = 0;
                ended = current.length == 0;
            }
            if (ended) {
                return -1;
            }
            int count = Math.min(length, current.length - position);
            System.arraycopy(current, position, buffer, offset, count);
            position += count;
            return count;
        }
    }
}
