package dev.hookengine.server;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 written and read by hand over one kept-alive connection to 127.0.0.1, for requests no
 * well-behaved client sends: a request target that is not a valid URI, header fields in any order
 * and number, bodies that are not UTF-8. It reads a response framed by {@code Content-Length}, by
 * chunks, or by the server closing the connection, and reconnects when the server closed it.
 */
final class RawHttp implements AutoCloseable {

    /** One response; header names in lower case, the last value of a repeated one. */
    record Reply(int status, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** A response head this long is not one a test needs to read. */
    private static final int MAX_HEAD_BYTES = 256 * 1024;

    private final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    RawHttp(int port) {
        this.port = port;
    }

    /**
     * {@code method target HTTP/1.1}, {@code Host}, then {@code headers} as given, then
     * {@code Content-Length} and the body when {@code body} is not {@code null}.
     */
    Reply exchange(String method, String target, List<Map.Entry<String, String>> headers, byte[] body)
            throws IOException {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        StringBuilder head = new StringBuilder()
                .append(method)
                .append(' ')
                .append(target)
                .append(" HTTP/1.1\r\nHost: 127.0.0.1:")
                .append(port)
                .append("\r\n");
        for (Map.Entry<String, String> header : headers) {
            head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        // ISO-8859-1: a header value's characters above 127 go out as the single bytes HTTP allows (obs-text).
        request.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
            request.writeBytes(body);
        }
        return send(method, request.toByteArray());
    }

    private Reply send(String method, byte[] request) throws IOException {
        boolean fresh = socket == null;
        if (fresh) {
            connect();
        }
        try {
            out.write(request);
            out.flush();
            return read(method);
        } catch (EOFException | java.net.SocketException e) {
            close();
            if (fresh) {
                throw e;
            }
            // A kept-alive connection the server had closed before it read this request: once more, on a new one.
            connect();
            out.write(request);
            out.flush();
            return read(method);
        }
    }

    private void connect() throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(30_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    private Reply read(String method) throws IOException {
        String statusLine = line(true);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP response: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        int headBytes = statusLine.length();
        for (String line = line(false); !line.isEmpty(); line = line(false)) {
            headBytes += line.length();
            if (headBytes > MAX_HEAD_BYTES) {
                throw new IOException("a response head over " + MAX_HEAD_BYTES + " bytes");
            }
            int colon = line.indexOf(':');
            headers.put(
                    line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    line.substring(colon + 1).trim());
        }
        byte[] body;
        String length = headers.get("content-length");
        if (method.equals("HEAD") || status == 204 || status == 304 || status < 200) {
            body = new byte[0];
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = chunks();
        } else if (length != null) {
            body = in.readNBytes(Integer.parseInt(length));
        } else {
            body = in.readAllBytes();
            close();
        }
        if ("close".equalsIgnoreCase(headers.get("connection")) && socket != null) {
            close();
        }
        return new Reply(status, headers, body);
    }

    private byte[] chunks() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line(false);
            int semicolon = size.indexOf(';');
            int length = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
            if (length == 0) {
                while (!line(false).isEmpty()) {
                    // trailers: none expected, none kept
                }
                return body.toByteArray();
            }
            body.writeBytes(in.readNBytes(length));
            line(false);
        }
    }

    /** One line without its CRLF; at the end of the stream, an {@link EOFException}. */
    private String line(boolean first) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException(first ? "the server closed the connection" : "a response cut short");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing a socket that is gone anyway
            }
            socket = null;
        }
    }
}
