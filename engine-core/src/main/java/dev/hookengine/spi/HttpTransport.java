package dev.hookengine.spi;

import java.util.concurrent.CompletableFuture;

/**
 * Sends the engine's HTTP requests: webhook deliveries and OAuth token requests. {@code engine-http}'s
 * {@code JettyHttpTransport} is the standard implementation.
 *
 * <p>Contract: {@link #send} never blocks the caller and never completes exceptionally; every
 * outcome, including refusals of the SSRF guard and deadlines, is a {@link TransportResult}. The
 * whole exchange ends within the request's deadline. Redirects are not followed: a 3xx is a
 * response like any other. Response bodies are read up to a limit and the rest is discarded.
 * A request with a {@link OutboundRequest#multipart()} body is sent as {@code multipart/form-data},
 * its file parts streamed as they are sent. Implementations are thread-safe and are closed by whoever
 * made them.
 */
public interface HttpTransport extends AutoCloseable {

    /** Sends {@code request}; the future completes with its result, within its deadline. */
    CompletableFuture<TransportResult> send(OutboundRequest request);

    /**
     * Sends {@code request} (a GET, as a file is fetched) and hands its response body over as a stream
     * instead of reading it: how the default {@link AttachmentSource} fetches attachments, through the
     * same guards as deliveries. The future completes once the response's head arrived (or the request
     * failed), never exceptionally; the request's deadline bounds the whole exchange, reading the body
     * included. The default answers a {@link TransportResult.Kind#LOCAL_ERROR} failure: a transport that
     * cannot stream cannot fetch attachments.
     */
    default CompletableFuture<StreamedResponse> stream(OutboundRequest request) {
        return CompletableFuture.completedFuture(StreamedResponse.failed(new TransportResult.Failure(
                TransportResult.Kind.LOCAL_ERROR, "this transport cannot stream responses", java.time.Duration.ZERO)));
    }

    /** Stops the transport; requests in flight end with a {@link TransportResult.Failure}. */
    @Override
    void close();
}
