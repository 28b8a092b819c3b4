package dev.hookengine.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One connection to Firefox's Marionette server, the remote protocol geckodriver itself translates
 * WebDriver to (Debian has no geckodriver). Messages are {@code <length>:<json>} frames over TCP:
 * the server's hello first, then one command at a time, {@code [0, id, name, params]}, answered by
 * {@code [1, id, error, result]}.
 *
 * <p>Every read has a deadline: a browser that hangs fails the test with the command it hung on
 * rather than blocking the build.
 */
final class MarionetteConnection implements AutoCloseable {

    /** A frame's length is a decimal number before the colon; more digits than this is not Marionette. */
    private static final int MAX_LENGTH_DIGITS = 10;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Duration replyTimeout;
    private int lastCommandId;

    private MarionetteConnection(Socket socket, Duration replyTimeout) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.replyTimeout = replyTimeout;
    }

    /** Connects to the Marionette server on the loopback {@code port} and reads its hello. */
    static MarionetteConnection open(int port, Duration replyTimeout) {
        Socket socket = new Socket();
        try {
            socket.connect(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) replyTimeout.toMillis());
            MarionetteConnection connection = new MarionetteConnection(socket, replyTimeout);
            JsonNode hello = connection.readFrame("the hello");
            if (hello.path("marionetteProtocol").asInt() != 3) {
                throw new IllegalStateException("not Marionette protocol 3 on port " + port + ": " + hello);
            }
            return connection;
        } catch (IOException e) {
            closeQuietly(socket);
            throw new UncheckedIOException("Marionette on port " + port, e);
        } catch (RuntimeException e) {
            closeQuietly(socket);
            throw e;
        }
    }

    /**
     * Sends a command and returns its result ({@code {"value": ...}} for most commands).
     *
     * @throws MarionetteException when Firefox answers with an error
     */
    JsonNode command(String name, Map<String, ?> params) {
        int id = ++lastCommandId;
        try {
            byte[] json = MAPPER.writeValueAsBytes(List.of(0, id, name, params));
            out.write((json.length + ":").getBytes(StandardCharsets.US_ASCII));
            out.write(json);
            out.flush();
            JsonNode reply = readFrame(name);
            if (reply.path(0).asInt() != 1 || reply.path(1).asInt() != id) {
                // One command at a time: anything else means the conversation is lost.
                throw new IllegalStateException("Marionette answered " + name + " (id " + id + ") with " + reply);
            }
            JsonNode error = reply.path(2);
            if (!error.isNull()) {
                throw new MarionetteException(
                        name,
                        error.path("error").asText(),
                        error.path("message").asText());
            }
            return reply.path(3);
        } catch (IOException e) {
            throw new UncheckedIOException("Marionette command " + name, e);
        }
    }

    /** One frame, read within {@link #replyTimeout} in all however slowly its bytes arrive. */
    private JsonNode readFrame(String awaited) throws IOException {
        long deadline = System.nanoTime() + replyTimeout.toNanos();
        StringBuilder length = new StringBuilder();
        while (true) {
            int b = readByte(deadline, awaited);
            if (b == ':') {
                break;
            }
            if (b < '0' || b > '9' || length.length() == MAX_LENGTH_DIGITS) {
                throw new IllegalStateException("not a Marionette frame while waiting for " + awaited);
            }
            length.append((char) b);
        }
        int remaining = Integer.parseInt(length.toString());
        ByteArrayOutputStream body = new ByteArrayOutputStream(remaining);
        byte[] buffer = new byte[64 * 1024];
        while (remaining > 0) {
            setReadTimeout(deadline, awaited);
            int read = in.read(buffer, 0, Math.min(buffer.length, remaining));
            if (read < 0) {
                throw new IOException("Firefox closed the connection while answering " + awaited);
            }
            body.write(buffer, 0, read);
            remaining -= read;
        }
        return MAPPER.readTree(body.toByteArray());
    }

    private int readByte(long deadline, String awaited) throws IOException {
        setReadTimeout(deadline, awaited);
        int b = in.read();
        if (b < 0) {
            throw new IOException("Firefox closed the connection while answering " + awaited);
        }
        return b;
    }

    private void setReadTimeout(long deadline, String awaited) throws IOException {
        long left = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
        if (left <= 0) {
            throw new SocketTimeoutException(
                    "no answer from Firefox to " + awaited + " within " + replyTimeout.toMillis() + " ms");
        }
        socket.setSoTimeout((int) left);
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing is best effort: the process it talked to is killed next.
        }
    }

    /** An error answer: {@code error} is WebDriver's code, such as {@code "no such element"}. */
    static final class MarionetteException extends RuntimeException {
        private final String error;

        MarionetteException(String command, String error, String message) {
            super(command + ": " + error + ": " + message);
            this.error = error;
        }

        String error() {
            return error;
        }
    }
}
