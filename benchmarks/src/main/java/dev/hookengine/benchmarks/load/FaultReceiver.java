package dev.hookengine.benchmarks.load;

import dev.hookengine.testing.Behaviour;
import dev.hookengine.testing.TestReceiver;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The webhook endpoint of the fault runs, as the {@link Behaviour} of a {@link TestReceiver} on
 * 127.0.0.1: it answers each request as its {@link Mix} says and records, per {@code webhook-id} (the
 * event id, stable across retries), how often the event was received <em>successfully</em> (answered
 * 200 with a whole response) and when, and how many of its requests it failed on purpose.
 *
 * <p>A success here is the receiver's view: a 200 written in full. What the engine made of it is in
 * its store; the fault checks ({@link FaultChecks}) compare the two. The sequence number of the publish
 * ({@code "load_seq"}, last in the body) is kept with each event so that a delivered event whose publish
 * was never answered can still be told apart from one of another run.
 */
final class FaultReceiver implements Behaviour {

    static final String THREAD_PREFIX = "fault-receiver";
    static final String WEBHOOK_ID = "webhook-id";

    /** How the receiver answers one request. */
    enum Action {
        /** 200 with a short body: the only answer that counts as a delivery. */
        OK,
        /** 500 with a short body: retryable. */
        ERROR,
        /** 429 with {@code Retry-After: 1}: retryable, after the second the receiver asked for. */
        THROTTLE,
        /**
         * 200 and a {@code Content-Length} of 64, then 16 bytes of the body, then a TCP reset ({@code
         * SO_LINGER} 0 and close): the engine has a status but no whole response, which it must treat
         * as a failed exchange.
         */
        RESET,
        /** Nothing for {@link Mix#stall()} (longer than the engine's attempt deadline), then a reset. */
        STALL
    }

    /**
     * Which answer a request gets, chosen from the event id and how many requests of that event came
     * before: the same run gives the same answers to the same events, whatever the timing.
     *
     * @param errorPercent    500s, per hundred requests
     * @param throttlePercent 429s with {@code Retry-After: 1}
     * @param resetPercent    resets mid-body
     * @param stallPerMille   stalls, per thousand requests (each holds an engine delivery thread for the
     *                        whole attempt deadline, so they are kept rare)
     * @param stall           how long a stall holds the request before the reset
     */
    record Mix(int errorPercent, int throttlePercent, int resetPercent, int stallPerMille, Duration stall) {

        /** Every request answered 200: the kill and database runs, whose faults are elsewhere. */
        static final Mix ALL_OK = new Mix(0, 0, 0, 0, Duration.ZERO);

        Mix {
            if (errorPercent < 0
                    || throttlePercent < 0
                    || resetPercent < 0
                    || stallPerMille < 0
                    || 10 * (errorPercent + throttlePercent + resetPercent) + stallPerMille > 1000) {
                throw new IllegalArgumentException("a mix's shares must be positive and add up to at most 100 %");
            }
        }

        Action choose(String eventId, int earlierRequests) {
            if (this.equals(ALL_OK)) {
                return Action.OK;
            }
            // A stable hash of (event, request number), spread over 0..999.
            int draw = Math.floorMod(mixBits((eventId + "#" + earlierRequests).hashCode()), 1000);
            int bound = stallPerMille;
            if (draw < bound) {
                return Action.STALL;
            }
            if (draw < (bound += 10 * errorPercent)) {
                return Action.ERROR;
            }
            if (draw < (bound += 10 * throttlePercent)) {
                return Action.THROTTLE;
            }
            if (draw < bound + 10 * resetPercent) {
                return Action.RESET;
            }
            return Action.OK;
        }

        /** The share of requests answered 200. */
        int okPerMille() {
            return 1000 - stallPerMille - 10 * (errorPercent + throttlePercent + resetPercent);
        }

        private static int mixBits(int h) {
            h ^= h >>> 16;
            h *= 0x85ebca6b;
            h ^= h >>> 13;
            h *= 0xc2b2ae35;
            return h ^ (h >>> 16);
        }
    }

    /** What the receiver saw of one event. */
    static final class Receipts {
        private final long seq;
        private final List<Long> successNanos = new ArrayList<>(1);
        private final Map<Action, Integer> failures = new java.util.EnumMap<>(Action.class);
        private int requests;

        Receipts(long seq) {
            this.seq = seq;
        }

        long seq() {
            return seq;
        }

        synchronized int takeRequestNumber() {
            return requests++;
        }

        synchronized void succeeded(long atNanos) {
            successNanos.add(atNanos);
        }

        synchronized void failed(Action action) {
            failures.merge(action, 1, Integer::sum);
        }

        /** When each successful receipt was answered, in {@link System#nanoTime()}, in order. */
        synchronized List<Long> successNanos() {
            return List.copyOf(successNanos);
        }

        synchronized int successes() {
            return successNanos.size();
        }

        synchronized int failures() {
            return failures.values().stream().mapToInt(Integer::intValue).sum();
        }

        synchronized int requests() {
            return requests;
        }
    }

    private final Map<String, Receipts> receipts = new ConcurrentHashMap<>();
    private final Map<Action, AtomicInteger> answered = new ConcurrentHashMap<>();
    private final AtomicInteger withoutId = new AtomicInteger();
    private final AtomicLong lastSuccessNanos = new AtomicLong();
    /** Stalls wait on it; counted down at the end of a run, and replaced for the next. */
    private volatile CountDownLatch stopStalling = new CountDownLatch(1);

    private volatile Mix mix = Mix.ALL_OK;

    /** Starts a receiver on a free port of 127.0.0.1 that answers with this behaviour, on threads of its own. */
    TestReceiver startReceiver() throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(128, 8);
        threads.setName(THREAD_PREFIX);
        threads.setDaemon(true);
        return TestReceiver.builder()
                .threads(threads)
                .recording(false)
                .behaviour(this)
                .start();
    }

    /** Answers from now on as {@code mix} says. */
    void answerWith(Mix mix) {
        this.mix = mix;
    }

    /** Forgets every event: the next run starts from nothing. */
    void reset() {
        receipts.clear();
        answered.clear();
        withoutId.set(0);
        lastSuccessNanos.set(0);
        stopStalling.countDown();
        stopStalling = new CountDownLatch(1);
    }

    /** Ends every stall at once: for the end of a run. */
    void stopStalling() {
        stopStalling.countDown();
    }

    @Override
    public void respond(Request request, Response response, TestReceiver receiver) throws Exception {
        ByteBuffer body = Content.Source.asByteBuffer(request);
        String eventId = request.getHeaders().get(WEBHOOK_ID);
        if (eventId == null) {
            withoutId.incrementAndGet();
            response.setStatus(400);
            return;
        }
        Receipts seen = receipts.computeIfAbsent(eventId, id -> new Receipts(DeliveryCounter.sequenceOf(body)));
        Action action = mix.choose(eventId, seen.takeRequestNumber());
        answered.computeIfAbsent(action, a -> new AtomicInteger()).incrementAndGet();
        switch (action) {
            case OK -> {
                response.setStatus(200);
                Content.Sink.write(response, true, ByteBuffer.wrap("ok".getBytes(StandardCharsets.US_ASCII)));
                long now = System.nanoTime();
                seen.succeeded(now);
                lastSuccessNanos.accumulateAndGet(now, Math::max);
            }
            case ERROR -> {
                seen.failed(action);
                response.setStatus(500);
                Content.Sink.write(response, true, ByteBuffer.wrap("no".getBytes(StandardCharsets.US_ASCII)));
            }
            case THROTTLE -> {
                seen.failed(action);
                response.setStatus(429);
                response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
                Content.Sink.write(response, true, ByteBuffer.allocate(0));
            }
            case RESET -> {
                seen.failed(action);
                resetMidBody(request, response);
            }
            case STALL -> {
                seen.failed(action);
                stopStalling.await(mix.stall().toMillis(), TimeUnit.MILLISECONDS);
                resetMidBody(request, response);
            }
        }
    }

    /** Commits a 200 that promises 64 bytes, writes 16 of them, and resets the connection under it. */
    private static void resetMidBody(Request request, Response response) throws IOException {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 64L);
        try {
            Content.Sink.write(response, false, ByteBuffer.wrap(new byte[16]));
        } catch (IOException senderGone) {
            // a stalled request whose sender gave up: nothing left to cut
        }
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        if (endPoint.getTransport() instanceof SocketChannel channel && channel.isOpen()) {
            channel.setOption(StandardSocketOptions.SO_LINGER, 0); // close sends RST, not FIN
        }
        endPoint.close();
        throw new IOException("reset on purpose"); // the response is not complete, and must not be completed
    }

    /** What it saw, per event id. */
    Map<String, Receipts> receipts() {
        return receipts;
    }

    /** How many requests got each answer. */
    Map<Action, Integer> answered() {
        Map<Action, Integer> counts = new java.util.EnumMap<>(Action.class);
        answered.forEach((action, count) -> counts.put(action, count.get()));
        return counts;
    }

    /** Requests without a {@code webhook-id}: none from the engine. */
    int withoutId() {
        return withoutId.get();
    }

    /** When the latest successful receipt was answered, or 0. */
    long lastSuccessNanos() {
        return lastSuccessNanos.get();
    }
}
