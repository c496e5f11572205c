package dev.flinkpatterns.generator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A text server in place of {@code nc -lk}: every line read from {@code input} goes to every connected
 * client. Lines read before the first client connects are held for it, as {@code nc} holds them, so piped
 * input is not lost; a client that closes at once (a port check) is not counted as that first client. At the end of input the server delivers what it holds, closes every connection (which
 * ends a socket job cleanly) and stops.
 */
public final class LineServer implements AutoCloseable {

    private static final int PROBE_WAIT_MS = 300;

    private final ServerSocket serverSocket;
    private final InputStream input;
    private final List<Writer> clients = new CopyOnWriteArrayList<>();
    private final List<String> heldForFirstClient = new ArrayList<>();
    private final CountDownLatch firstClient = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean closed;

    /** Binds at once, so a busy port fails here with a {@link java.net.BindException}. */
    public LineServer(String host, int port, InputStream input) throws IOException {
        this.serverSocket = new ServerSocket();
        this.serverSocket.setReuseAddress(true);
        try {
            this.serverSocket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (IOException e) {
            serverSocket.close();
            throw e;
        }
        this.input = input;
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    /** Starts accepting clients and relaying input on daemon threads. */
    public LineServer start() {
        Thread acceptor = new Thread(this::acceptClients, "line-server-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        Thread relay = new Thread(this::relayInput, "line-server-relay");
        relay.setDaemon(true);
        relay.start();
        return this;
    }

    /** Blocks until the input has ended and every client has been closed, or the server was closed. */
    public void awaitFinished() throws InterruptedException {
        finished.await();
    }

    public int connectedClients() {
        return clients.size();
    }

    private void acceptClients() {
        while (!closed) {
            try {
                Socket socket = serverSocket.accept();
                if (isPortProbe(socket)) {
                    socket.close();
                    continue;
                }
                Writer writer = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8);
                synchronized (heldForFirstClient) {
                    if (closed) { // accepted while close() ran: close() has already swept the clients
                        socket.close();
                        return;
                    }
                    for (String line : heldForFirstClient) {
                        writer.write(line);
                        writer.write('\n');
                    }
                    writer.flush();
                    heldForFirstClient.clear();
                    clients.add(new SocketWriter(socket, writer));
                }
                firstClient.countDown();
            } catch (SocketException e) {
                return; // server socket closed
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    /**
     * A client that closes at once only checked that the port is open (as {@code ./patterns socket} does
     * before it starts its job): it must not take the lines held for the first real client.
     */
    private static boolean isPortProbe(Socket socket) throws IOException {
        socket.setSoTimeout(PROBE_WAIT_MS);
        try {
            return socket.getInputStream().read() < 0;
        } catch (java.net.SocketTimeoutException stillConnected) {
            return false;
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(0);
            }
        }
    }

    private void relayInput() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null && !closed) {
                send(line);
            }
            // End of input: whatever was held must reach a client before the connections close.
            if (!closed) {
                firstClient.await();
            }
        } catch (IOException e) {
            // Input closed under us: stop like at the end of input.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            close();
        }
    }

    private void send(String line) {
        synchronized (heldForFirstClient) {
            if (clients.isEmpty() && firstClient.getCount() > 0) {
                heldForFirstClient.add(line);
                return;
            }
        }
        for (Writer client : clients) {
            try {
                client.write(line);
                client.write('\n');
                client.flush();
            } catch (IOException e) {
                clients.remove(client); // the client went away; others keep receiving
                closeQuietly(client);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(serverSocket);
        synchronized (heldForFirstClient) {
            for (Writer client : clients) {
                closeQuietly(client);
            }
            clients.clear();
        }
        firstClient.countDown();
        finished.countDown();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing is best effort
        }
    }

    /** Closes the socket together with its writer. */
    private static final class SocketWriter extends Writer {
        private final Socket socket;
        private final Writer delegate;

        SocketWriter(Socket socket, Writer delegate) {
            this.socket = socket;
            this.delegate = delegate;
        }

        @Override
        public void write(char[] buffer, int offset, int length) throws IOException {
            delegate.write(buffer, offset, length);
        }

        @Override
        public void flush() throws IOException {
            delegate.flush();
        }

        @Override
        public void close() throws IOException {
            try {
                delegate.close();
            } finally {
                socket.close();
            }
        }
    }
}
