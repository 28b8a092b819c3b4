package dev.hookengine.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A real HTTP receiver on 127.0.0.1 that answers from a script and records every request: what a
 * customer's webhook endpoint looks like to the engine. Public, in engine-http's test jar, for the
 * REST server's tests too.
 *
 * <p>Each request is recorded with the {@link System#nanoTime()} of its arrival, and a test can
 * block until the n-th request arrives ({@link #awaitReceived}) instead of polling. A scripted
 * {@link Answer#hold()} keeps a request unanswered until the receiver closes: a sender stuck in
 * an attempt.
 */
public final class ScriptedReceiver implements AutoCloseable {

    /** One scripted answer; {@code held}: none at all, the request stays open until {@link #close()}. */
    public record Answer(int status, Map<String, String> headers, String body, boolean held) {
        public Answer(int status, Map<String, String> headers, String body) {
            this(status, headers, body, false);
        }

        /** Never answers: the sender waits until its own deadline, or until it dies. */
        public static Answer hold() {
            return new Answer(0, Map.of(), "", true);
        }

        public static Answer of(int status) {
            return new Answer(status, Map.of(), "");
        }

        public static Answer json(int status, String body) {
            return new Answer(status, Map.of("Content-Type", "application/json"), body);
        }
    }

    /**
     * One received request; header names lower-cased, first value of each; {@code arrivedNanos} is
     * {@link System#nanoTime()} when it arrived, comparable with the test's own readings of it.
     */
    public record Received(String method, String path, String query, Map<String, String> headers, String body,
                           long arrivedNanos) {
        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server);
    private final Deque<Answer> script = new ArrayDeque<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    /** Notified on every request, for {@link #awaitReceived}. */
    private final Object arrivals = new Object();
    private volatile Answer fallback = Answer.of(200);
    private volatile java.util.function.Consumer<Received> onRequest = request -> { };

    public ScriptedReceiver() throws Exception {
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                long arrived = System.nanoTime();
                Map<String, String> headers = new LinkedHashMap<>();
                for (HttpField field : request.getHeaders()) {
                    headers.putIfAbsent(field.getLowerCaseName(), field.getValue());
                }
                String body = Content.Source.asString(request, StandardCharsets.UTF_8);
                Answer answer;
                synchronized (script) {
                    answer = script.isEmpty() ? fallback : script.poll();
                }
                Received arrival = new Received(request.getMethod(), request.getHttpURI().getPath(),
                        request.getHttpURI().getQuery(), headers, body, arrived);
                synchronized (arrivals) {
                    received.add(arrival);
                    arrivals.notifyAll();
                }
                onRequest.accept(arrival);
                if (answer.held()) {
                    return true; // handled, but neither answered nor completed: the request stays open
                }
                response.setStatus(answer.status());
                answer.headers().forEach((name, value) -> response.getHeaders().put(name, value));
                Content.Sink.write(response, true, answer.body(), callback);
                return true;
            }
        });
        server.start();
    }

    /** Answers the next requests with these, in order, then with the fallback. */
    public ScriptedReceiver answer(Answer... answers) {
        synchronized (script) {
            script.addAll(List.of(answers));
        }
        return this;
    }

    /** What to answer once the script is used up; 200 by default. */
    public ScriptedReceiver otherwise(Answer answer) {
        fallback = answer;
        return this;
    }

    /**
     * Runs {@code action} on each request before it is answered, on the receiver's thread: for a test
     * that makes time pass, or another node act, while a request is in flight.
     */
    public ScriptedReceiver onRequest(java.util.function.Consumer<Received> action) {
        onRequest = java.util.Objects.requireNonNull(action, "action");
        return this;
    }

    /** The receiver's URL with {@code path}, which may hold {@code {{ env.NAME }}} references. */
    public String url(String path) {
        return "http://127.0.0.1:" + connector.getLocalPort() + path;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /**
     * Waits until at least {@code count} requests have arrived, or {@code timeout} has passed, and
     * returns what has arrived by then: fewer than {@code count} when time ran out.
     */
    public List<Received> awaitReceived(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (arrivals) {
            long left;
            while (received.size() < count && (left = deadline - System.nanoTime()) > 0) {
                arrivals.wait(Math.max(1, left / 1_000_000));
            }
            return List.copyOf(received);
        }
    }

    @Override
    public void close() throws Exception {
        // No graceful wait: a held request never completes, and nothing else is slow to answer.
        server.setStopTimeout(0);
        server.stop();
    }
}
