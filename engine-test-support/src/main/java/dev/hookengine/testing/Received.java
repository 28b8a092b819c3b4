package dev.hookengine.testing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * One request as it reached a {@link TestReceiver}: what a webhook endpoint saw of a delivery.
 *
 * @param method       the request method
 * @param uri          the request target as sent: the absolute URI for a request through a proxy
 * @param path         the URI's path
 * @param query        the URI's query, or {@code null}
 * @param headerFields every header field in wire order, names as sent, repeated names kept
 * @param bodyBytes    the body exactly as sent
 * @param arrivedNanos {@link System#nanoTime()} when it arrived, comparable with the test's own readings of it
 */
public record Received(
        String method,
        String uri,
        String path,
        String query,
        List<Map.Entry<String, String>> headerFields,
        byte[] bodyBytes,
        long arrivedNanos) {

    /** Reads the request's headers and its whole body. */
    static Received read(Request request, long arrivedNanos) throws java.io.IOException {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        for (HttpField field : request.getHeaders()) {
            fields.add(Map.entry(field.getName(), field.getValue()));
        }
        ByteBuffer buffer = Content.Source.asByteBuffer(request);
        byte[] body = new byte[buffer.remaining()];
        buffer.get(body);
        return new Received(
                request.getMethod(),
                request.getHttpURI().asString(),
                request.getHttpURI().getPath(),
                request.getHttpURI().getQuery(),
                List.copyOf(fields),
                body,
                arrivedNanos);
    }

    /** The body as UTF-8 text. */
    public String body() {
        return new String(bodyBytes, StandardCharsets.UTF_8);
    }

    /** The first value of header {@code name} (any case), or {@code null}. */
    public String header(String name) {
        for (Map.Entry<String, String> field : headerFields) {
            if (field.getKey().equalsIgnoreCase(name)) {
                return field.getValue();
            }
        }
        return null;
    }

    /** Every value of header {@code name} (any case), in wire order. */
    public List<String> values(String name) {
        return headerFields.stream()
                .filter(field -> field.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue)
                .toList();
    }

    /** The first value of each header, names lower-cased, in wire order: what a signature verifier takes. */
    public Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, String> field : headerFields) {
            headers.putIfAbsent(field.getKey().toLowerCase(Locale.ROOT), field.getValue());
        }
        return headers;
    }
}
