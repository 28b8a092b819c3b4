package dev.hookengine.benchmarks.load;

import dev.hookengine.WebhookEngineBuilder;
import dev.hookengine.http.JettyHttpTransport;
import dev.hookengine.spi.OutboundRequest;
import dev.hookengine.spi.TransportResult;
import dev.hookengine.testing.TestReceiver;
import java.lang.ref.Reference;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The two ceilings the engine's drains are compared with: the same number of requests, bodies of the
 * engine's shape and size ({@link BaselineRequests}), sent straight through a {@link
 * JettyHttpTransport} to the receiver with the engine's concurrency (its delivery threads, 16).
 *
 * <ul>
 *   <li><b>signing</b> ({@value #SIGNING}): 16 sending threads, each signing its request ({@code v1a}
 *       Ed25519 and {@code v1} HMAC over id, the timestamp of the send and body) and then waiting for
 *       its answer, as a delivery thread does. What a delivery must cost at the least: the reference
 *       of the targets.
 *   <li><b>pre-signed</b> ({@value #PRE_SIGNED}): every request signed before the clock starts, sent
 *       from one thread keeping 16 in flight. The transport alone.
 * </ul>
 */
final class BaselineRuns {

    static final String SIGNING = "baseline signing";
    static final String PRE_SIGNED = "baseline pre-signed";

    /** The engine's concurrency: one request in flight per delivery thread. */
    private static final int CONCURRENCY = WebhookEngineBuilder.DEFAULT_DELIVERY_THREADS;

    private final LoadOptions options;
    private final TestReceiver receiver;
    private final DeliveryCounter counter;
    private final List<LoadTarget> targets;
    private final RunChecks checks;
    private final LoadPayloads payloads = new LoadPayloads();

    BaselineRuns(LoadOptions options, TestReceiver receiver, DeliveryCounter counter) {
        this.options = options;
        this.receiver = receiver;
        this.counter = counter;
        this.targets = LoadTarget.plan(options.configs(), options.orgs());
        this.checks = new RunChecks(options.timeout(), targets);
    }

    /** Sends every request of a run, recording when each was started, and returns once all are answered. */
    private interface Sending {
        void sendAll(JettyHttpTransport transport, long[] sentAt, Queue<String> failures, List<String> problems)
                throws Exception;
    }

    /** The ceiling with signing: each request signed on the thread that sends it, just before it does. */
    RunResult signing(ProcessMeter meter, int events, String scenario) throws Exception {
        DeliveryCounter.Expectation expected = counter.expectNext(events, 200);
        BaselineRequests requests = BaselineRequests.prepare(targets, payloads, receiver, expected.first(), events);
        long answerWithin = WebhookEngineBuilder.DEFAULT_ATTEMPT_DEADLINE.toMillis() * 2;
        return measure(
                meter,
                scenario,
                expected,
                (transport, sentAt, failures, problems) -> {
                    ExecutorService senders = Executors.newFixedThreadPool(CONCURRENCY, LoadRuns.named("load-signer"));
                    AtomicInteger next = new AtomicInteger();
                    for (int t = 0; t < CONCURRENCY; t++) {
                        senders.execute(() -> {
                            for (int i = next.getAndIncrement(); i < events; i = next.getAndIncrement()) {
                                sentAt[i] = System.nanoTime();
                                OutboundRequest request =
                                        requests.signed(i, Instant.now().getEpochSecond());
                                try {
                                    record(
                                            transport.send(request).get(answerWithin, TimeUnit.MILLISECONDS),
                                            null,
                                            failures);
                                } catch (Exception e) {
                                    record(null, e, failures);
                                }
                            }
                        });
                    }
                    checks.awaitPublishers(senders, problems);
                },
                CONCURRENCY + " sending threads, each signing its request (v1a Ed25519 + v1 HMAC, the timestamp of the"
                        + " send) and waiting for its answer, as a delivery thread does; latency is from the start of"
                        + " signing to receipt");
    }

    /** The ceiling without signing: every request signed beforehand, then sent with 16 in flight. */
    RunResult preSigned(ProcessMeter meter, int events, String scenario) throws Exception {
        DeliveryCounter.Expectation expected = counter.expectNext(events, 200);
        BaselineRequests prepared = BaselineRequests.prepare(targets, payloads, receiver, expected.first(), events);
        long now = Instant.now().getEpochSecond();
        List<OutboundRequest> requests = new ArrayList<>(events);
        for (int i = 0; i < events; i++) {
            requests.add(prepared.signed(i, now));
        }
        RunResult result = measure(
                meter,
                scenario,
                expected,
                (transport, sentAt, failures, problems) -> {
                    Semaphore inFlight = new Semaphore(CONCURRENCY);
                    CountDownLatch answered = new CountDownLatch(events);
                    for (int i = 0; i < events; i++) {
                        inFlight.acquire();
                        sentAt[i] = System.nanoTime();
                        transport.send(requests.get(i)).whenComplete((answer, error) -> {
                            record(answer, error, failures);
                            inFlight.release();
                            answered.countDown();
                        });
                    }
                    if (!answered.await(options.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                        problems.add("the transport did not answer every request within "
                                + options.timeout().toSeconds() + " s");
                    }
                },
                CONCURRENCY + " requests in flight from one thread, every one signed before the clock started;"
                        + " latency is send-to-receipt of a saturated closed loop");
        Reference.reachabilityFence(requests);
        return result;
    }

    private RunResult measure(
            ProcessMeter meter, String scenario, DeliveryCounter.Expectation expected, Sending sending, String note)
            throws Exception {
        int events = expected.count();
        List<String> problems = new ArrayList<>();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        long[] sentAt = new long[events];
        ProcessMeter.Sample started;
        ProcessMeter.Sample finished;
        try (JettyHttpTransport transport = LoadRuns.newTransport()) {
            started = meter.sample();
            sending.sendAll(transport, sentAt, failures, problems);
            checks.awaitArrivals(expected, problems);
            finished = meter.sample();
        }
        if (!failures.isEmpty()) {
            problems.add(failures.size() + " requests did not get a 200, first: " + failures.peek());
        }
        problems.addAll(expected.problems());
        long[] latencies = new long[events];
        for (int i = 0; i < events; i++) {
            latencies[i] = expected.receiptNanos(i) - sentAt[i];
        }
        long heap = meter.heapAfterGc();
        double rate = events / LoadRuns.seconds(expected.lastReceiptNanos() - started.wallNanos());
        return new RunResult(
                scenario,
                "none",
                events,
                rate,
                0,
                problems.isEmpty() ? Latencies.of(latencies) : null,
                ProcessMeter.perOperation(started, finished, events),
                heap,
                null,
                List.of(note),
                problems);
    }

    private static void record(TransportResult answer, Throwable error, Queue<String> failures) {
        if (!(answer instanceof TransportResult.Response response) || response.status() != 200) {
            failures.add(String.valueOf(error != null ? error : answer));
        }
    }
}
