package dev.hookengine.benchmarks.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP client of the runs through the standalone server: Jetty's {@link HttpClient} on threads of
 * its own ({@value #THREAD_PREFIX}), for the server's API and for the same requests sent straight to
 * the receiver. {@link #closedLoop} keeps a fixed number of requests in flight and records when each
 * one was started and answered; {@link #exchange} is one request, waited for, for setting up and
 * checking a run.
 */
final class LoadClient implements AutoCloseable {

    static final String THREAD_PREFIX = "load-client";

    /** Answers are small (event ids, a page of events); a page of 25 events with their payloads is the largest. */
    private static final int MAX_ANSWER_BYTES = 4 * 1024 * 1024;

    private final HttpClient http = new HttpClient();
    private final Duration timeout;

    /** What a request came to: its status and body, or why it has none. */
    record Answer(int status, String body, Throwable failure) {
        private static final ObjectMapper JSON = new ObjectMapper();

        boolean is(int expected) {
            return failure == null && status == expected;
        }

        /** The one event id of a publish's 202 ({@code event_ids}), or {@code null} when it is anything else. */
        String publishedEventId() {
            if (!is(202)) {
                return null;
            }
            try {
                JsonNode ids = JSON.readTree(body).path("event_ids");
                return ids.size() == 1 ? ids.get(0).asText() : null;
            } catch (IOException e) {
                return null;
            }
        }

        @Override
        public String toString() {
            return failure != null
                    ? String.valueOf(failure)
                    : status + " " + (body.length() > 300 ? body.substring(0, 300) + "..." : body);
        }
    }

    /** Told of each request's answer, on a client thread. */
    interface Answered {
        void answered(int index, Answer answer);
    }

    /**
     * @param maxConnections connections per destination: at least the requests a closed loop keeps in flight
     * @param timeout        the longest one request or one closed loop may take
     */
    LoadClient(int maxConnections, Duration timeout) throws Exception {
        this.timeout = timeout;
        QueuedThreadPool threads = new QueuedThreadPool(Math.max(16, maxConnections), 4);
        threads.setName(THREAD_PREFIX);
        threads.setDaemon(true);
        http.setExecutor(threads);
        http.setMaxConnectionsPerDestination(maxConnections);
        http.setFollowRedirects(false);
        http.setUserAgentField(null);
        http.start();
    }

    /** A JSON request of {@code method} to {@code uri}, with a bearer token unless it is {@code null}. */
    Request request(HttpMethod method, URI uri, String token, byte[] body) {
        Request request = http.newRequest(uri).method(method).timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (token != null) {
            request.headers(headers -> headers.put(HttpHeader.AUTHORIZATION, "Bearer " + token));
        }
        if (body != null) {
            request.body(new BytesRequestContent("application/json", body));
        }
        return request;
    }

    /** Sends one request and waits for its answer. */
    Answer exchange(Request request) throws InterruptedException {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        request.send(listener(answer::complete));
        try {
            return answer.get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            request.abort(e);
            return new Answer(0, "", e);
        }
    }

    /** Sends one request without waiting; {@code then} gets its answer (or failure) on a client thread. */
    void send(Request request, java.util.function.Consumer<Answer> then) {
        request.send(listener(then));
    }

    /**
     * Sends requests {@code 0} to {@code count - 1}, keeping {@code inFlight} of them in flight: the next
     * starts as soon as one is answered (a closed loop). Records in {@code sentAt} when each was started,
     * that is, when a slot became free for it, and in {@code answeredAt} when its answer was complete, both
     * in {@link System#nanoTime()}.
     *
     * @return whether every request was answered within the client's timeout
     */
    boolean closedLoop(
            int count,
            int inFlight,
            IntFunction<Request> requests,
            long[] sentAt,
            long[] answeredAt,
            Answered answered,
            List<String> problems)
            throws InterruptedException {
        Semaphore slots = new Semaphore(inFlight);
        CountDownLatch done = new CountDownLatch(count);
        for (int i = 0; i < count; i++) {
            slots.acquire();
            int index = i;
            sentAt[index] = System.nanoTime();
            Request request = requests.apply(index);
            request.send(listener(answer -> {
                answeredAt[index] = System.nanoTime();
                try {
                    answered.answered(index, answer);
                } finally {
                    slots.release();
                    done.countDown();
                }
            }));
        }
        if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            problems.add(done.getCount() + " of " + count + " requests were not answered within " + timeout.toSeconds()
                    + " s");
            return false;
        }
        return true;
    }

    private static BufferingResponseListener listener(java.util.function.Consumer<Answer> then) {
        return new BufferingResponseListener(MAX_ANSWER_BYTES) {
            @Override
            public void onComplete(Result result) {
                then.accept(
                        result.isFailed()
                                ? new Answer(0, "", result.getFailure())
                                : new Answer(
                                        result.getResponse().getStatus(),
                                        getContentAsString(StandardCharsets.UTF_8),
                                        null));
            }
        };
    }

    @Override
    public void close() throws Exception {
        http.stop();
    }
}
