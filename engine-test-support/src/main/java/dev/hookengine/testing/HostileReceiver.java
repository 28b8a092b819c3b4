package dev.hookengine.testing;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A receiver that misbehaves on purpose, below HTTP: a plain {@link ServerSocket} on 127.0.0.1 that
 * writes raw bytes, so that it can do what no well-behaved server library would (headers without end,
 * a body that never ends, a reset in the middle of a response, silence where TLS expects a handshake).
 * {@link TestReceiver} stays the receiver of every well-behaved test; this one is for proving that a
 * sender's threads, memory and connections stay bounded when the other side is hostile.
 *
 * <p>Each accepted connection gets a thread of its own (named {@code hostile-receiver-...}, so that a
 * test counting threads can leave them out) that reads the request's head and body, if the
 * {@link Mode} is an HTTP one, then misbehaves until the sender closes the connection. It records every
 * connection ({@link Connection}): when it was accepted, when it ended, how many bytes were written to
 * it, and whether the sender was the one who closed it; {@link #awaitAllEnded} waits for them without
 * polling.
 *
 * <p>A connection whose sender never closes it lasts until {@link #close()}, which closes every socket.
 */
public final class HostileReceiver implements AutoCloseable {

    /** What the receiver does once a connection is open. */
    public enum Mode {
        /**
         * Answers {@code 200} and then a header block of {@link Builder#headerBytes} bytes (10 MiB by
         * default) in lines of about 1 KiB, then a complete two-byte body: a sender that reads headers
         * without a bound buffers the whole block, and then sees a well-formed {@code 200}.
         */
        HUGE_HEADERS,
        /** Answers {@code 200}, chunked, and then writes 64 KiB chunks without end. */
        ENDLESS_BODY,
        /**
         * Answers {@code 200} with a {@code Content-Length} of 1 MiB and then writes one byte of it every
         * {@link Builder#dripInterval}: never silent for long, never finished.
         */
        SLOW_DRIP,
        /** Reads whatever comes and never writes a byte: for https, a TLS handshake that never completes. */
        SILENT,
        /** Writes bytes that are neither TLS nor HTTP as soon as the connection opens, then reads until it closes. */
        GARBAGE,
        /**
         * Answers {@code 200} with a {@code Content-Length} of 1,000 and 10 bytes of the body, waits
         * {@link Builder#resetDelay}, then resets the connection (SO_LINGER 0: an RST, not a FIN).
         */
        RESET_AFTER_HEADERS
    }

    /**
     * One connection as the receiver saw it.
     *
     * @param acceptedNanos  {@link System#nanoTime()} when it was accepted
     * @param endedNanos     when it ended: the sender closed it, a write failed, or the receiver reset it
     * @param bytesWritten   bytes the receiver managed to write before it ended
     * @param closedBySender whether it ended because the sender closed it (rather than the receiver)
     */
    public record Connection(long acceptedNanos, long endedNanos, long bytesWritten, boolean closedBySender) {

        /** How long the connection was open. */
        public Duration lifetime() {
            return Duration.ofNanos(endedNanos - acceptedNanos);
        }
    }

    private static final int MAX_REQUEST_HEAD = 64 * 1024;

    private final Builder settings;
    private final ServerSocket server;
    private final Thread acceptor;
    /** Guarded by itself; notified whenever a connection ends, for {@link #awaitEnded}. */
    private final List<Connection> ended = new ArrayList<>();
    /** Guarded by {@link #ended}. */
    private final List<Socket> open = new ArrayList<>();

    private int accepted;
    private final CountDownLatch closed = new CountDownLatch(1);

    private HostileReceiver(Builder settings) throws IOException {
        this.settings = settings;
        this.server = new ServerSocket(0, 1024, InetAddress.getByName("127.0.0.1"));
        this.acceptor = new Thread(this::acceptLoop, "hostile-receiver-" + server.getLocalPort() + "-acceptor");
        acceptor.setDaemon(true);
    }

    /** A receiver on 127.0.0.1 in {@code mode}, with the builder's defaults. */
    public static HostileReceiver start(Mode mode) throws IOException {
        return builder(mode).start();
    }

    public static Builder builder(Mode mode) {
        return new Builder(mode);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** {@code http://127.0.0.1:port} and {@code path}. */
    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    /** {@code https://127.0.0.1:port} and {@code path}: for {@link Mode#SILENT} and {@link Mode#GARBAGE}. */
    public String httpsUrl(String path) {
        return "https://127.0.0.1:" + port() + path;
    }

    /** Connections accepted so far. */
    public int acceptedCount() {
        synchronized (ended) {
            return accepted;
        }
    }

    /**
     * Waits until at least {@code count} connections were accepted and every connection accepted has
     * ended, or {@code timeout} has passed; returns whether that came.
     */
    public boolean awaitAllEnded(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (ended) {
            long left;
            while ((accepted < count || ended.size() < accepted) && (left = deadline - System.nanoTime()) > 0) {
                ended.wait(Math.max(1, left / 1_000_000));
            }
            return accepted >= count && ended.size() == accepted;
        }
    }

    /** The connections that have ended so far, in the order they ended. */
    public List<Connection> endedConnections() {
        synchronized (ended) {
            return List.copyOf(ended);
        }
    }

    /** Connections still open. */
    public int openCount() {
        synchronized (ended) {
            return open.size();
        }
    }

    private void acceptLoop() {
        int n = 0;
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            long acceptedNanos = System.nanoTime();
            synchronized (ended) {
                accepted++;
                open.add(socket);
                ended.notifyAll();
            }
            Thread handler =
                    new Thread(() -> handle(socket, acceptedNanos), "hostile-receiver-" + port() + "-" + (++n));
            handler.setDaemon(true);
            handler.start();
        }
    }

    private void handle(Socket socket, long acceptedNanos) {
        CountingOutput out = null;
        boolean bySender = false;
        try (socket) {
            // A small send buffer: what the receiver counts as written is close to what the sender took.
            socket.setSendBufferSize(16 * 1024);
            out = new CountingOutput(socket.getOutputStream());
            InputStream in = socket.getInputStream();
            bySender = switch (settings.mode) {
                case SILENT -> readUntilClosed(in);
                case GARBAGE -> {
                    out.write("\u0000\u00ffnot TLS, not HTTP\r\n\r\n".repeat(64).getBytes(StandardCharsets.ISO_8859_1));
                    yield readUntilClosed(in);
                }
                default -> {
                    if (!readRequest(in)) {
                        yield true;
                    }
                    yield misbehave(socket, out, in);
                }
            };
        } catch (IOException e) {
            // A write failed: the sender closed or reset the connection.
            bySender = !isClosed();
        } finally {
            Connection connection =
                    new Connection(acceptedNanos, System.nanoTime(), out == null ? 0 : out.count, bySender);
            synchronized (ended) {
                open.remove(socket);
                ended.add(connection);
                ended.notifyAll();
            }
        }
    }

    /** Returns whether the sender closed the connection; throws when a write fails, which means the same. */
    private boolean misbehave(Socket socket, CountingOutput out, InputStream in) throws IOException {
        switch (settings.mode) {
            case HUGE_HEADERS -> {
                out.write(ascii("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"));
                byte[] line = ascii("X-Hostile: " + "h".repeat(1010) + "\r\n");
                for (long written = 0; written < settings.headerBytes; written += line.length) {
                    out.write(line);
                }
                out.write(ascii("Content-Length: 2\r\n\r\nok"));
                out.flush();
                return readUntilClosed(in);
            }
            case ENDLESS_BODY -> {
                out.write(ascii("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n"));
                byte[] chunk = new byte[64 * 1024];
                byte[] head = ascii(Integer.toHexString(chunk.length) + "\r\n");
                byte[] tail = ascii("\r\n");
                while (!isClosed()) {
                    out.write(head);
                    out.write(chunk);
                    out.write(tail);
                }
                return false;
            }
            case SLOW_DRIP -> {
                out.write(ascii("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1048576\r\n\r\n"));
                out.flush();
                // The pause between bytes is the behaviour itself, not a wait for a result: the
                // receiver's own close ends it at once.
                while (!pause(settings.dripInterval)) {
                    out.write('.');
                    out.flush();
                }
                return false;
            }
            case RESET_AFTER_HEADERS -> {
                out.write(ascii(
                        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n" + "0123456789"));
                out.flush();
                // Give the sender time to read the head, so the reset comes after it and not instead of it.
                pause(settings.resetDelay);
                socket.setSoLinger(true, 0);
                return false; // closing with linger 0 sends the RST
            }
            default -> throw new IllegalStateException("not an HTTP mode: " + settings.mode);
        }
    }

    /** Reads the request's head and its {@code Content-Length} body; false when the sender closed first. */
    private static boolean readRequest(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return false;
            }
            if (head.length() >= MAX_REQUEST_HEAD) {
                throw new IOException("request head larger than " + MAX_REQUEST_HEAD + " bytes");
            }
            head.append((char) b);
        }
        long length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Long.parseLong(
                        line.substring("content-length:".length()).strip());
            }
        }
        in.skipNBytes(length); // EOFException when the sender closes first
        return true;
    }

    private static boolean readUntilClosed(InputStream in) throws IOException {
        byte[] sink = new byte[8192];
        while (in.read(sink) >= 0) {
            // discard
        }
        return true;
    }

    private boolean isClosed() {
        return closed.getCount() == 0;
    }

    /** Pauses for {@code pause}, or until the receiver closes; returns whether it closed. */
    private boolean pause(Duration pause) {
        try {
            return closed.await(pause.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** The socket's stream, unbuffered, counting the bytes each successful write handed to the kernel. */
    private static final class CountingOutput extends FilterOutputStream {
        private long count;

        CountingOutput(OutputStream socket) {
            super(socket);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            count += length;
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** Closes the listening socket and every connection still open; waits for nothing. */
    @Override
    public void close() {
        closed.countDown();
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        List<Socket> sockets;
        synchronized (ended) {
            sockets = List.copyOf(open);
        }
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /** How a hostile receiver is set up. */
    public static final class Builder {
        private final Mode mode;
        private long headerBytes = 10L * 1024 * 1024;
        private Duration dripInterval = Duration.ofMillis(50);
        private Duration resetDelay = Duration.ofMillis(100);

        private Builder(Mode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
        }

        /** The size of the header block in {@link Mode#HUGE_HEADERS}; 10 MiB by default. */
        public Builder headerBytes(long headerBytes) {
            this.headerBytes = headerBytes;
            return this;
        }

        /** The pause between two bytes in {@link Mode#SLOW_DRIP}; 50 ms by default. */
        public Builder dripInterval(Duration dripInterval) {
            this.dripInterval = Objects.requireNonNull(dripInterval, "dripInterval");
            return this;
        }

        /** The pause between the head and the reset in {@link Mode#RESET_AFTER_HEADERS}; 100 ms by default. */
        public Builder resetDelay(Duration resetDelay) {
            this.resetDelay = Objects.requireNonNull(resetDelay, "resetDelay");
            return this;
        }

        /** Starts listening on a free port of 127.0.0.1. */
        public HostileReceiver start() throws IOException {
            HostileReceiver receiver = new HostileReceiver(this);
            receiver.acceptor.start();
            return receiver;
        }
    }
}
