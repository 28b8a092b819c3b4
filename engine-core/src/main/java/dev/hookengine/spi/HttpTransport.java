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
 * Implementations are thread-safe and are closed by whoever made them.
 */
public interface HttpTransport extends AutoCloseable {

    /** Sends {@code request}; the future completes with its result, within its deadline. */
    CompletableFuture<TransportResult> send(OutboundRequest request);

    /** Stops the transport; requests in flight end with a {@link TransportResult.Failure}. */
    @Override
    void close();
}
