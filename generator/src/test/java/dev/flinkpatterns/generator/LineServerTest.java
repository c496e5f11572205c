package dev.flinkpatterns.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every wait is bounded: sockets have a read timeout, conditions are polled against a deadline. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LineServerTest {

    private static final String HOST = "127.0.0.1";
    private static final int TIMEOUT_MS = 10_000;
    private static final Duration WAIT = Duration.ofSeconds(10);

    private PipedOutputStream stdin;
    private PipedInputStream input;

    @BeforeEach
    void pipe() throws IOException {
        stdin = new PipedOutputStream();
        input = new PipedInputStream(stdin);
    }

    @AfterEach
    void closePipe() throws IOException {
        stdin.close(); // lets the relay thread of a still running server end
    }

    private void type(String text) throws IOException {
        stdin.write(text.getBytes(StandardCharsets.UTF_8));
        stdin.flush(); // wakes the reader at once
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(HOST, port), TIMEOUT_MS);
        socket.setSoTimeout(TIMEOUT_MS);
        return socket;
    }

    private static BufferedReader readerOf(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    private static void awaitCondition(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    private static void awaitClients(LineServer server, int count) {
        awaitCondition(count + " connected clients", () -> server.connectedClients() == count);
    }

    private static void awaitFinished(LineServer server) {
        assertTimeoutPreemptively(WAIT, server::awaitFinished, "awaitFinished did not return");
    }

    private int unread() {
        try {
            return input.available();
        } catch (IOException e) {
            return 0; // the relay closed its end: everything was read
        }
    }

    @Test
    void bindsAnEphemeralPortForPortZero() throws Exception {
        try (LineServer server = new LineServer(HOST, 0, input)) {
            assertThat(server.port()).isBetween(1, 65535);
            assertThat(server.connectedClients()).isZero();
        }
    }

    @Test
    void linesReadBeforeAnyClientGoToTheFirstClientOnly() throws Exception {
        try (LineServer server = new LineServer(HOST, 0, input).start()) {
            type("first\nsecond\n");
            awaitCondition("the relay to read the typed lines", () -> unread() == 0);
            assertThat(server.connectedClients()).isZero();

            try (Socket first = connect(server.port())) {
                BufferedReader firstReader = readerOf(first);
                assertThat(firstReader.readLine()).isEqualTo("first");
                assertThat(firstReader.readLine()).isEqualTo("second");
                awaitClients(server, 1);

                try (Socket second = connect(server.port())) {
                    BufferedReader secondReader = readerOf(second);
                    awaitClients(server, 2);
                    type("third\n");
                    assertThat(firstReader.readLine()).isEqualTo("third");
                    // the held lines went to the first client only: the second starts with "third"
                    assertThat(secondReader.readLine()).isEqualTo("third");
                }
            }
        }
    }

    @Test
    void everyConnectedClientGetsEveryLine() throws Exception {
        try (LineServer server = new LineServer(HOST, 0, input).start();
                Socket a = connect(server.port());
                Socket b = connect(server.port())) {
            awaitClients(server, 2);
            BufferedReader readerA = readerOf(a);
            BufferedReader readerB = readerOf(b);

            type("hello world\n");
            type("zweite Zeile ä\n");

            assertThat(readerA.readLine()).isEqualTo("hello world");
            assertThat(readerA.readLine()).isEqualTo("zweite Zeile ä");
            assertThat(readerB.readLine()).isEqualTo("hello world");
            assertThat(readerB.readLine()).isEqualTo("zweite Zeile ä");
        }
    }

    @Test
    void endOfInputClosesClientsAndFinishesTheServer() throws Exception {
        try (LineServer server = new LineServer(HOST, 0, input).start();
                Socket client = connect(server.port())) {
            awaitClients(server, 1);
            BufferedReader reader = readerOf(client);
            type("last line\n");
            stdin.close();

            assertThat(reader.readLine()).isEqualTo("last line");
            assertThat(reader.readLine()).isNull();
            awaitFinished(server);
            assertThat(server.connectedClients()).isZero();
        }
    }

    @Test
    void inputThatEndsBeforeAnyClientIsHeldForTheFirstClient() throws Exception {
        try (LineServer server = new LineServer(HOST, 0, input).start()) {
            type("a\nb\n");
            stdin.close();
            awaitCondition("the relay to read all input", () -> unread() == 0);

            try (Socket client = connect(server.port())) {
                BufferedReader reader = readerOf(client);
                assertThat(reader.readLine()).isEqualTo("a");
                assertThat(reader.readLine()).isEqualTo("b");
                assertThat(reader.readLine()).isNull();
            }
            awaitFinished(server);
        }
    }

    @Test
    void aPortCheckThatClosesAtOnceDoesNotTakeTheHeldLines() throws Exception {
        try (LineServer server = new LineServer(HOST, 0, input).start()) {
            type("hello world\n");
            stdin.close();
            awaitCondition("the relay to read all input", () -> unread() == 0);

            connect(server.port()).close(); // what ./patterns socket does before it starts its job
            try (Socket client = connect(server.port())) {
                BufferedReader reader = readerOf(client);
                assertThat(reader.readLine()).isEqualTo("hello world");
                assertThat(reader.readLine()).isNull();
            }
            awaitFinished(server);
        }
    }

    @Test
    void aClientThatLeftDoesNotStopDeliveryToTheOthers() throws Exception {
        try (LineServer server = new LineServer(HOST, 0, input).start();
                Socket stays = connect(server.port())) {
            Socket leaves = connect(server.port());
            awaitClients(server, 2);
            leaves.close();
            BufferedReader reader = readerOf(stays);

            // writing to the closed connection fails after at most a few lines; then it is dropped
            long deadline = System.nanoTime() + WAIT.toNanos();
            int sent = 0;
            while (server.connectedClients() == 2) {
                if (System.nanoTime() - deadline > 0) {
                    fail("the closed client was never dropped");
                }
                type("line " + sent + "\n");
                assertThat(reader.readLine()).isEqualTo("line " + sent);
                sent++;
            }
            assertThat(server.connectedClients()).isEqualTo(1);
            type("after\n");
            assertThat(reader.readLine()).isEqualTo("after");
        }
    }

    @Test
    void closeEndsClientsAndAwaitFinishedWithoutEndOfInput() throws Exception {
        LineServer server = new LineServer(HOST, 0, input).start();
        try (Socket client = connect(server.port())) {
            awaitClients(server, 1);
            server.close();

            awaitFinished(server);
            assertThat(readerOf(client).readLine()).isNull();
            assertThat(server.connectedClients()).isZero();
        }
    }

    @Test
    void failingInputStopsTheServerLikeEndOfInput() throws Exception {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("stdin went away");
            }
        };
        LineServer server = new LineServer(HOST, 0, broken).start();
        awaitFinished(server);
        assertThat(server.connectedClients()).isZero();
    }

    @Test
    void busyPortFailsInTheConstructorWithBindException() throws Exception {
        try (ServerSocket blocker = new ServerSocket(0, 50, InetAddress.getByName(HOST))) {
            int port = blocker.getLocalPort();
            assertThatThrownBy(() -> new LineServer(HOST, port, new ByteArrayInputStream(new byte[0])))
                    .isInstanceOf(BindException.class);
        }
    }
}
