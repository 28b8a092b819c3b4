package dev.hookengine.benchmarks.load;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpMethod;

/**
 * Publishes events through the servers' REST route at a steady rate (an open loop: the next request is
 * due on the clock, not when the last one is answered), spread round-robin over the servers that are up
 * at the moment, and keeps a ledger of every publish: when it was sent, and whether it was
 * <em>acknowledged</em> (202 with one event id), <em>refused</em> (any other answer) or left <em>without
 * an answer</em> (the connection failed or timed out, as for a request in flight to a server that was
 * killed). Only acknowledged events are promised; an event whose publish had no answer may or may not
 * have been stored, and is allowed, not required, to arrive.
 */
final class SteadyPublisher {

    /** Publishes in flight at most: beyond it the publisher waits, and falls behind its rate (reported). */
    static final int MAX_IN_FLIGHT = 256;

    /** How one publish ended. */
    record Publish(long seq, long sentNanos, long answeredNanos, int status, String eventId, String failure) {
        boolean acknowledged() {
            return eventId != null;
        }

        boolean answered() {
            return failure == null;
        }
    }

    private final LoadPayloads payloads = new LoadPayloads();
    private final LoadClient client;
    private final String token;
    private final String eventName;
    private final AtomicLong nextSeq;
    private final Map<Long, Publish> ledger = new ConcurrentHashMap<>();
    /** The first answer of each status other than 202, body included: what a refused client is told. */
    private final Map<Integer, String> firstRefusals = new ConcurrentHashMap<>();

    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private long roundRobin;

    /**
     * @param firstSeq the first sequence number to hand out; each run gets a range of its own
     */
    SteadyPublisher(LoadClient client, String token, String eventName, long firstSeq) {
        this.client = client;
        this.token = token;
        this.eventName = eventName;
        this.nextSeq = new AtomicLong(firstSeq);
    }

    /**
     * Publishes {@code rate} events a second for {@code seconds}, each to the next of the servers {@code
     * up} lists at that moment (none up: the publish is refused by the harness, counted with status 0).
     * Stops after {@code seconds} even when it fell behind the rate (at most {@value #MAX_IN_FLIGHT}
     * publishes wait for their answers): the run keeps its length, and reports the rate it reached.
     * Returns when the last was sent; answers may still be coming.
     */
    void publish(int rate, double seconds, Supplier<List<URI>> up) throws InterruptedException {
        long start = System.nanoTime();
        long total = Math.round(rate * seconds);
        long end = start + Math.round(seconds * 1e9);
        for (long sent = 0; sent < total && System.nanoTime() < end; sent++) {
            long due = start + Math.round(sent * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait); // the open loop's clock: when the next publish is due
            }
            List<URI> servers = up.get();
            long seq = nextSeq.getAndIncrement();
            if (servers.isEmpty()) {
                long now = System.nanoTime();
                ledger.put(seq, new Publish(seq, now, now, 0, null, "no server up"));
                continue;
            }
            send(seq, servers.get((int) (roundRobin++ % servers.size())));
        }
    }

    /** Publishes one event to {@code server} and waits for the answer; for the warm-up. */
    Publish publishOne(URI server) throws InterruptedException {
        long seq = nextSeq.getAndIncrement();
        send(seq, server);
        inFlight.acquire(MAX_IN_FLIGHT);
        inFlight.release(MAX_IN_FLIGHT);
        return ledger.get(seq);
    }

    private void send(long seq, URI server) throws InterruptedException {
        inFlight.acquire();
        long sentNanos = System.nanoTime();
        client.send(
                client.request(
                        HttpMethod.POST,
                        server.resolve(ServerApi.PUBLISH),
                        token,
                        payloads.publishBody(eventName, seq)),
                answer -> {
                    try {
                        if (answer.failure() == null && answer.status() != 202) {
                            firstRefusals.putIfAbsent(answer.status(), answer.toString());
                        }
                        ledger.put(
                                seq,
                                new Publish(
                                        seq,
                                        sentNanos,
                                        System.nanoTime(),
                                        answer.status(),
                                        answer.publishedEventId(),
                                        answer.failure() == null ? null : String.valueOf(answer.failure())));
                    } finally {
                        inFlight.release();
                    }
                });
    }

    /** Waits until every publish sent has its answer (or its failure). */
    void awaitAnswers() throws InterruptedException {
        inFlight.acquire(MAX_IN_FLIGHT);
        inFlight.release(MAX_IN_FLIGHT);
    }

    /** The next sequence number it would hand out: the end of its range so far. */
    long nextSeq() {
        return nextSeq.get();
    }

    /** The first answer of each status other than 202, as {@code "<status> <body>"}. */
    Map<Integer, String> firstRefusals() {
        return Map.copyOf(firstRefusals);
    }

    /** Every publish so far, by sequence number. */
    Map<Long, Publish> ledger() {
        return ledger;
    }
}
