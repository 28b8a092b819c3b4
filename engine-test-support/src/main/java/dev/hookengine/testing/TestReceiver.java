package dev.hookengine.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A real HTTP server (Jetty 12) on a loopback address and a free port: what a customer's webhook
 * endpoint looks like to the engine, in tests and in the load harness. Tests never point a sender
 * anywhere but 127.0.0.0/8 and ::1.
 *
 * <p>It answers with a {@link Behaviour}: by default a script of {@link Answer}s ({@link #answer},
 * {@link #otherwise}, 200 when the script is used up), or a fixed answer, or a test's own code on
 * Jetty's request and response. It serves plain http, or https with a {@link TestCertificate}
 * ({@link Builder#tls}). It counts the connections opened to it, and records every request
 * ({@link Received}: headers in wire order, body bytes, arrival time), so that a test can block until
 * the n-th arrives ({@link #awaitReceived}) instead of polling. Recording can be turned off where a
 * receiver takes thousands of requests a second and a behaviour counts what it needs itself.
 *
 * <p>{@link #release()} lets behaviours waiting in {@link #awaitRelease()} go on; {@link #close()}
 * releases them too, and stops the server without waiting for requests still open (a held answer never
 * completes).
 */
public final class TestReceiver implements AutoCloseable {

    private final Server server;
    private final ServerConnector connector;
    private final String host;
    private final Behaviour behaviour;
    private final boolean recording;
    private final boolean tls;
    /** Guarded by itself; notified on every arrival, for {@link #awaitReceived}. */
    private final List<Received> received = new ArrayList<>();

    private final AtomicInteger connections = new AtomicInteger();
    private final CountDownLatch released = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Consumer<Received> onRequest = request -> {};

    private TestReceiver(Builder builder) {
        this.host = builder.host;
        this.behaviour = builder.behaviour != null ? builder.behaviour : new Script();
        this.recording = builder.recording;
        this.server = builder.threads != null ? new Server(builder.threads) : new Server();
        this.tls = builder.tls != null;
        this.connector = tls ? new ServerConnector(server, serverTls(builder.tls)) : new ServerConnector(server);
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
                    if (recording) {
                        arrived(Received.read(request, System.nanoTime()));
                    }
                    behaviour.respond(request, response, TestReceiver.this);
                    if (closed.getCount() > 0) {
                        callback.succeeded();
                    } // else: closing cut the behaviour short; the request stays unanswered
                } catch (Throwable t) {
                    callback.failed(t);
                }
                return true;
            }
        });
    }

    /** A receiver on 127.0.0.1 that answers from its script (200 until told otherwise) and records. */
    public static TestReceiver start() throws Exception {
        return builder().start();
    }

    /** A receiver on 127.0.0.1 that answers with {@code behaviour} and records. */
    public static TestReceiver start(Behaviour behaviour) throws Exception {
        return builder().behaviour(behaviour).start();
    }

    public static Builder builder() {
        return new Builder();
    }

    private void arrived(Received request) {
        synchronized (received) {
            received.add(request);
            received.notifyAll();
        }
        onRequest.accept(request);
    }

    /** Answers the next requests with these, in order, then with the fallback. */
    public TestReceiver answer(Answer... answers) {
        script().add(List.of(answers));
        return this;
    }

    /** What to answer once the script is used up; 200 by default. */
    public TestReceiver otherwise(Answer answer) {
        script().otherwise(answer);
        return this;
    }

    private Script script() {
        if (behaviour instanceof Script script) {
            return script;
        }
        throw new IllegalStateException("this receiver answers with a behaviour of its own, not a script");
    }

    /**
     * Runs {@code action} on each request before it is answered, on the receiver's thread: for a test
     * that makes time pass, or another node act, while a request is in flight.
     */
    public TestReceiver onRequest(Consumer<Received> action) {
        requireRecording();
        onRequest = Objects.requireNonNull(action, "action");
        return this;
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** The TLS side of an https receiver: the certificate's key, and Jetty's defaults for the rest. */
    private static SslContextFactory.Server serverTls(TestCertificate certificate) {
        SslContextFactory.Server factory = new SslContextFactory.Server();
        factory.setKeyStore(certificate.keyStore());
        factory.setKeyStorePassword(new String(TestCertificate.PASSWORD));
        return factory;
    }

    /** {@code http://host:port} (or {@code https://}) and {@code path}, which may hold {@code {{ env.NAME }}} references; IPv6 in brackets. */
    public String url(String path) {
        return url(host.contains(":") ? "[" + host + "]" : host, path);
    }

    /** The URL of this receiver's port reached as {@code hostInUrl}, however that spells the address. */
    public String url(String hostInUrl, String path) {
        return (tls ? "https://" : "http://") + hostInUrl + ":" + port() + path;
    }

    /** The requests received so far, in order of arrival. */
    public List<Received> received() {
        requireRecording();
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** How many requests were received so far; cheaper than {@code received().size()}. */
    public int receivedCount() {
        requireRecording();
        synchronized (received) {
            return received.size();
        }
    }

    /**
     * Waits until at least {@code count} requests have arrived, or {@code timeout} has passed, and
     * returns what has arrived by then: fewer than {@code count} when time ran out.
     */
    public List<Received> awaitReceived(int count, Duration timeout) throws InterruptedException {
        requireRecording();
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (received) {
            long left;
            while (received.size() < count && (left = deadline - System.nanoTime()) > 0) {
                received.wait(Math.max(1, left / 1_000_000));
            }
            return List.copyOf(received);
        }
    }

    /**
     * How many requests arrived per value of header {@code name}, {@code "(none)"} for those without
     * it: per {@code webhook-id}, how often each event was delivered.
     */
    public Map<String, Integer> countsBy(String name) {
        Map<String, Integer> counts = new HashMap<>();
        for (Received request : received()) {
            String value = request.header(name);
            counts.merge(value == null ? "(none)" : value, 1, Integer::sum);
        }
        return counts;
    }

    /** Connections opened to this receiver so far. */
    public int connectionCount() {
        return connections.get();
    }

    /** Lets behaviours that wait in {@link #awaitRelease()} go on. */
    public void release() {
        released.countDown();
    }

    /** Blocks a behaviour until the test releases it (or 30 s pass, so that no thread is stuck for good). */
    public void awaitRelease() throws InterruptedException {
        released.await(30, TimeUnit.SECONDS);
    }

    /** Blocks a behaviour until the receiver closes: a request that is never answered. */
    public void awaitClose() throws InterruptedException {
        closed.await();
    }

    private void requireRecording() {
        if (!recording) {
            throw new IllegalStateException("this receiver does not record requests");
        }
    }

    /** Releases every waiting behaviour and stops at once, without waiting for requests still open. */
    @Override
    public void close() {
        closed.countDown();
        release();
        server.setStopTimeout(0);
        try {
            server.stop();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("the receiver did not stop", e);
        }
    }

    /** How a receiver is set up; every setting has a default. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private Behaviour behaviour;
        private boolean recording = true;
        private QueuedThreadPool threads;
        private TestCertificate tls;

        private Builder() {}

        /** The loopback address to listen on: {@code 127.0.0.1} (the default) or {@code ::1}. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** How to answer; a script of answers (200 until told otherwise) by default. */
        public Builder behaviour(Behaviour behaviour) {
            this.behaviour = Objects.requireNonNull(behaviour, "behaviour");
            return this;
        }

        /**
         * Whether to record every request (the default); off, the receiver reads nothing of a request
         * before its behaviour runs, and {@link #received()} and its kin refuse.
         */
        public Builder recording(boolean recording) {
            this.recording = recording;
            return this;
        }

        /** The server's threads, for a receiver whose threads must be told apart; Jetty's default pool otherwise. */
        public Builder threads(QueuedThreadPool threads) {
            this.threads = Objects.requireNonNull(threads, "threads");
            return this;
        }

        /** Serves https with this certificate (see {@link TestCertificate}) instead of plain http. */
        public Builder tls(TestCertificate certificate) {
            this.tls = Objects.requireNonNull(certificate, "certificate");
            return this;
        }

        /** Starts the receiver on a free port. */
        public TestReceiver start() throws Exception {
            TestReceiver receiver = new TestReceiver(this);
            try {
                receiver.server.start();
            } catch (Exception e) {
                receiver.server.stop();
                throw e;
            }
            return receiver;
        }
    }
}
