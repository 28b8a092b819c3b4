package dev.hookengine.store.jdbc;

import dev.hookengine.spi.HttpTransport;
import dev.hookengine.spi.OutboundRequest;
import dev.hookengine.spi.TransportResult;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One node's way out to the shared real transport, counting the requests that node sent: how the
 * test tells which node delivered what, since the receiver cannot.
 */
final class CountingTransport implements HttpTransport {

    private final HttpTransport shared;
    private final AtomicInteger sent = new AtomicInteger();

    CountingTransport(HttpTransport shared) {
        this.shared = shared;
    }

    int sent() {
        return sent.get();
    }

    @Override
    public CompletableFuture<TransportResult> send(OutboundRequest request) {
        sent.incrementAndGet();
        return shared.send(request);
    }

    /** The shared transport belongs to the test, which closes it once. */
    @Override
    public void close() {}
}
