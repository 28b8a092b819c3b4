package dev.hookengine.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A real Jetty 12 server on a loopback address that records what reaches it: connections opened,
 * requests with their headers in wire order and their body bytes. Tests never point the transport
 * anywhere but 127.0.0.0/8 and ::1.
 */
final class Receiver implements AutoCloseable {

    /** What one request carried. */
    record Received(String method, String uri, List<Map.Entry<String, String>> headers, byte[] body) {
        String body(java.nio.charset.Charset charset) {
            return new String(body, charset);
        }

        List<String> values(String name) {
            return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).toList();
        }
    }

    /** How the receiver answers; runs on a server thread and may block. */
    @FunctionalInterface
    interface Behaviour {
        void respond(Request request, Response response, Receiver receiver) throws Exception;
    }

    private final Server server;
    private final ServerConnector connector;
    private final String host;
    private final List<Received> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final CountDownLatch released = new CountDownLatch(1);

    private Receiver(String host, Behaviour behaviour) {
        this.host = host;
        this.server = new Server();
        this.connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(0);
        connector.addEventListener(new Connection.Listener() {
            @Override
            public void onOpened(Connection connection) {
                connections.incrementAndGet();
            }
        });
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                try {
                    List<Map.Entry<String, String>> headers = new ArrayList<>();
                    for (HttpField field : request.getHeaders()) {
                        headers.add(Map.entry(field.getName(), field.getValue()));
                    }
                    ByteBuffer buffer = Content.Source.asByteBuffer(request);
                    byte[] body = new byte[buffer.remaining()];
                    buffer.get(body);
                    requests.add(new Received(request.getMethod(), request.getHttpURI().asString(), List.copyOf(headers), body));
                    behaviour.respond(request, response, Receiver.this);
                    callback.succeeded();
                } catch (Throwable t) {
                    callback.failed(t);
                }
                return true;
            }
        });
    }

    /** Starts a receiver on {@code host} ("127.0.0.1" or "::1") and a free port. */
    static Receiver start(String host, Behaviour behaviour) throws Exception {
        Receiver receiver = new Receiver(host, behaviour);
        try {
            receiver.server.start();
        } catch (Exception e) {
            receiver.server.stop();
            throw e;
        }
        return receiver;
    }

    /** Answers 200 with a small text body. */
    static Receiver ok(String host) throws Exception {
        return start(host, (request, response, receiver) -> text(response, 200, "ok"));
    }

    static void text(Response response, int status, String body) throws Exception {
        response.setStatus(status);
        response.getHeaders().put("Content-Type", "text/plain");
        Content.Sink.write(response, true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)));
    }

    int port() {
        return connector.getLocalPort();
    }

    /** {@code http://host:port} + path, with brackets for IPv6. */
    String url(String path) {
        return url(host.contains(":") ? "[" + host + "]" : host, path);
    }

    /** The URL of this receiver's port reached as {@code hostInUrl}. */
    String url(String hostInUrl, String path) {
        return "http://" + hostInUrl + ":" + port() + path;
    }

    List<Received> requests() {
        return List.copyOf(requests);
    }

    int connectionCount() {
        return connections.get();
    }

    /** Lets behaviours that wait for the test go on. */
    void release() {
        released.countDown();
    }

    /** Blocks a behaviour until the test releases it (or 30 s pass, so no thread is stuck for good). */
    void awaitRelease() throws InterruptedException {
        released.await(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        release();
        try {
            server.stop();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("the receiver did not stop", e);
        }
    }
}
