package dev.hookengine.http;

import dev.hookengine.spi.TransportResult;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpField;

/**
 * Listens to one exchange and completes its future exactly once.
 *
 * <p>The body is copied as it arrives, up to the limit. The first byte past the limit aborts the
 * response: Jetty closes the connection and reads no more, so a receiver that answers with gigabytes
 * costs the limit and no more, and the result is the status, headers and the first {@code limit}
 * bytes, marked truncated. Jetty calls one exchange's listener methods one after another, so the
 * buffer needs no lock; the future is the only thing other threads (the deadline backstop,
 * {@link JettyHttpTransport#close}) touch.
 */
final class ResponseCollector implements Response.Listener {

    /** Marks our own abort after the limit, so that it is told apart from real failures. */
    static final class LimitReached extends Exception {
        private static final long serialVersionUID = 1L;

        LimitReached() {
            super("response body larger than the limit", null, false, false);
        }
    }

    /** Turns a failure into the result to report. */
    @FunctionalInterface
    interface FailureMapper {
        TransportResult.Failure map(Throwable failure, boolean headersReceived, Duration elapsed);
    }

    private final CompletableFuture<TransportResult> future = new CompletableFuture<>();
    private final long startNanos;
    private final int limit;
    private final FailureMapper failures;

    private byte[] buffer = new byte[0];
    private int size;
    private boolean truncated;
    private volatile boolean headersReceived;

    ResponseCollector(long startNanos, int limit, FailureMapper failures) {
        this.startNanos = startNanos;
        this.limit = limit;
        this.failures = failures;
    }

    CompletableFuture<TransportResult> future() {
        return future;
    }

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** Completes with {@code result} unless already completed; the first outcome wins. */
    boolean complete(TransportResult result) {
        return future.complete(result);
    }

    @Override
    public void onHeaders(Response response) {
        headersReceived = true;
    }

    @Override
    public void onContent(Response response, ByteBuffer content) {
        if (truncated) {
            return;
        }
        int room = limit - size;
        int length = content.remaining();
        if (length <= room) {
            append(content, length);
            return;
        }
        append(content, room);
        truncated = true;
        response.abort(new LimitReached());
    }

    private void append(ByteBuffer content, int length) {
        if (length == 0) {
            return;
        }
        if (buffer.length - size < length) {
            int wanted = Math.max(size + length, Math.min(limit, Math.max(1024, buffer.length * 2)));
            buffer = Arrays.copyOf(buffer, wanted);
        }
        content.get(buffer, size, length);
        size += length;
    }

    @Override
    public void onComplete(Result result) {
        Response response = result.getResponse();
        boolean answered = headersReceived && response != null && response.getStatus() > 0;
        if (answered && (truncated || result.getResponseFailure() == null)) {
            // A complete response (or one cut at the limit) counts even when the upload failed:
            // the receiver may answer early, say with 413, and close.
            complete(new TransportResult.Response(
                    response.getStatus(), headers(response), Arrays.copyOf(buffer, size), truncated, elapsed()));
        } else {
            complete(failures.map(result.getFailure(), headersReceived, elapsed()));
        }
    }

    /** The response's headers, names lower-cased, as {@link TransportResult.Response} keeps them. */
    static Map<String, List<String>> headers(Response response) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HttpField field : response.getHeaders()) {
            headers.computeIfAbsent(field.getName().toLowerCase(Locale.ROOT), name -> new ArrayList<>())
                    .add(field.getValue() == null ? "" : field.getValue());
        }
        headers.replaceAll((name, values) -> List.copyOf(values));
        return headers;
    }
}
