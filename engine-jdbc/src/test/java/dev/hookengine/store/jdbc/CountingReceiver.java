package dev.hookengine.store.jdbc;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A real webhook receiver on 127.0.0.1 that answers 200 at once and counts what it receives, per
 * Standard Webhooks {@code webhook-id} (the engine's event id): enough to tell a delivery from a
 * duplicate across many engines.
 */
final class CountingReceiver implements AutoCloseable {

    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server);
    private final Map<String, AtomicInteger> byEventId = new ConcurrentHashMap<>();
    private final LongAdder total = new LongAdder();

    CountingReceiver() throws Exception {
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String id = request.getHeaders().get("webhook-id");
                byEventId.computeIfAbsent(id == null ? "(none)" : id, key -> new AtomicInteger()).incrementAndGet();
                total.increment();
                response.setStatus(200);
                callback.succeeded();
                return true;
            }
        });
        server.start();
    }

    /** The URL configs point at. */
    String url() {
        return "http://127.0.0.1:" + connector.getLocalPort() + "/hook";
    }

    /** Requests received so far. */
    long total() {
        return total.sum();
    }

    /** Distinct event ids received so far. */
    int distinct() {
        return byEventId.size();
    }

    /** Requests received per event id, a copy. */
    Map<String, Integer> counts() {
        Map<String, Integer> copy = new ConcurrentHashMap<>();
        byEventId.forEach((id, count) -> copy.put(id, count.get()));
        return copy;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
