package dev.hookengine.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ConnectHandler;
import org.eclipse.jetty.util.Callback;

/**
 * A real forward HTTP proxy on 127.0.0.1 and a free port, made of Jetty's own parts: a
 * {@link ConnectHandler} tunnels {@code CONNECT host:port} (how https goes through a proxy), and a
 * {@link ProxyHandler.Forward} forwards plain http requests, which arrive with the target's absolute
 * URI. What a secure proxy or a static-IP egress proxy is to the engine, in tests.
 *
 * <p>It records what it was asked ({@link Seen}: the method and the target, as the proxy saw them)
 * before passing it on, so that a test can tell that a request went through it and which. The bytes
 * themselves are checked at the receiver behind it. It forwards anywhere it is asked: tests point it
 * at receivers on 127.0.0.1 only.
 */
public final class TestProxy implements AutoCloseable {

    /**
     * One request the proxy was asked to pass on.
     *
     * @param method {@code CONNECT} for a tunnel, else the forwarded request's method
     * @param target {@code host:port} of a tunnel, else the absolute URI asked for
     */
    public record Seen(String method, String target) {}

    private final Server server;
    private final ServerConnector connector;
    /** Guarded by itself; notified on every request, for {@link #awaitSeen}. */
    private final List<Seen> seen = new ArrayList<>();

    private TestProxy() {
        server = new Server();
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        Handler.Wrapper recording = new Handler.Wrapper() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String target = "CONNECT".equals(request.getMethod())
                        ? request.getHttpURI().getAuthority()
                        : request.getHttpURI().toString();
                synchronized (seen) {
                    seen.add(new Seen(request.getMethod(), target));
                    seen.notifyAll();
                }
                return super.handle(request, response, callback);
            }
        };
        recording.setHandler(new ConnectHandler(new ProxyHandler.Forward()));
        server.setHandler(recording);
    }

    /** A proxy on 127.0.0.1 and a free port, started. */
    public static TestProxy start() throws Exception {
        TestProxy proxy = new TestProxy();
        try {
            proxy.server.start();
        } catch (Exception e) {
            proxy.server.stop();
            throw e;
        }
        return proxy;
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** {@code 127.0.0.1:port}, as the standalone server's proxy settings take it. */
    public String address() {
        return host() + ":" + port();
    }

    /** What the proxy was asked so far, in order. */
    public List<Seen> seen() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    /**
     * Waits until at least {@code count} requests have come, or {@code timeout} has passed, and returns
     * what has come by then.
     */
    public List<Seen> awaitSeen(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (seen) {
            long left;
            while (seen.size() < count && (left = deadline - System.nanoTime()) > 0) {
                seen.wait(Math.max(1, left / 1_000_000));
            }
            return List.copyOf(seen);
        }
    }

    /** Stops at once. */
    @Override
    public void close() {
        server.setStopTimeout(0);
        try {
            server.stop();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("the proxy did not stop", e);
        }
    }
}
