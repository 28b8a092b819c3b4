package dev.hookengine.spi;

import java.io.InputStream;
import java.util.Objects;

/**
 * The result of {@link HttpTransport#stream}: the response's head once it arrived, and its body as a
 * stream still to be read (the transport buffers little of it), or the failure that came instead.
 *
 * @param head a {@link TransportResult.Response} whose {@code body} is empty (the status and headers),
 *             or a {@link TransportResult.Failure}
 * @param body the response body, read once by the caller and closed; empty for a failure. Reading it
 *             past the request's deadline fails with an {@link java.io.IOException}
 */
public record StreamedResponse(TransportResult head, InputStream body) implements AutoCloseable {

    public StreamedResponse {
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(body, "body");
    }

    /** A request that produced no response. */
    public static StreamedResponse failed(TransportResult.Failure failure) {
        return new StreamedResponse(failure, InputStream.nullInputStream());
    }

    /** Closes the body; a response not read to its end is aborted and its connection not reused. */
    @Override
    public void close() {
        try {
            body.close();
        } catch (java.io.IOException | RuntimeException ignored) {
            // nothing left to do with this response
        }
    }
}
