package dev.hookengine.benchmarks.load;

import dev.hookengine.Dispatch;
import dev.hookengine.DomainEvent;
import dev.hookengine.PublishResult;
import dev.hookengine.WebhookEngine;
import dev.hookengine.WebhookEngineBuilder;
import dev.hookengine.http.JettyHttpTransport;
import dev.hookengine.model.ConfigControls;
import dev.hookengine.model.EventStatus;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.spi.QueueStats;
import dev.hookengine.spi.WebhookStore;
import dev.hookengine.testing.TestReceiver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.ref.Reference;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The measured runs. Each one gets a fresh engine, transport and store (fresh tables on PostgreSQL),
 * its own range of sequence numbers on the shared {@link DeliveryCounter}, and checks afterwards that
 * every webhook arrived exactly once and that the store agrees ({@link RunChecks}): a run that loses or
 * duplicates a delivery reports it as a problem, and the harness exits non-zero.
 *
 * <p>Engines run with the builder's defaults ({@code deliveryThreads} 16, batches of 16, polling every
 * 200 ms), except where a run says otherwise: the transport allows 127.0.0.1, the only place a
 * benchmark may send to.
 */
final class LoadRuns {

    /** A store to run against, and the meter that knows what runs beside it. */
    record StoreUnderTest(String label, Function<String, WebhookStore> newStore, ProcessMeter meter) {}

    private final LoadOptions options;
    private final TestReceiver receiver;
    private final DeliveryCounter counter;
    private final List<LoadTarget> targets;
    private final RunChecks checks;
    private final LoadPayloads payloads = new LoadPayloads();
    private int runNumber;

    LoadRuns(LoadOptions options, TestReceiver receiver, DeliveryCounter counter) {
        this.options = options;
        this.receiver = receiver;
        this.counter = counter;
        this.targets = LoadTarget.plan(options.configs(), options.orgs());
        this.checks = new RunChecks(options.timeout(), targets);
    }

    /**
     * Publishes {@code events} with the engine stopped, then starts it and times the drain of the
     * backlog: deliveries per second of the delivery pipeline alone, from {@code start()} to the last
     * receipt. Latency means nothing here (every event waits for the whole backlog before it) and is
     * not reported.
     */
    RunResult drain(StoreUnderTest store, int events, String scenario) throws Exception {
        DeliveryCounter.Expectation expected = counter.expectNext(events, 200);
        long first = expected.first();
        WebhookStore backing = store.newStore().apply(tablePrefix());
        List<String> notes = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String[] eventIds = new String[events];
        ProcessMeter.Sample started;
        ProcessMeter.Sample finished;
        long lastReceipt;
        double publishedPerSecond;
        SimpleMeterRegistry meters = OutcomeWindow.meters();
        try (JettyHttpTransport transport = newTransport();
                WebhookEngine engine = newEngine(backing, transport, builder -> builder.meterRegistry(meters))) {
            Map<LoadTarget, String> configIds = createConfigs(engine, options.orderingLanes() > 0);
            ProcessMeter.Sample beforePublish = store.meter().sample();
            publishAll(engine, first, events, eventIds, problems);
            started = store.meter().sample();
            double publishSeconds = seconds(started.wallNanos() - beforePublish.wallNanos());
            publishedPerSecond = events / publishSeconds;
            ProcessMeter.CpuPerOperation publishCpu = ProcessMeter.perOperation(beforePublish, started, events);
            notes.add(String.format(
                    "published in %.1f s (%,.0f events/s, %d threads, %.0f µs CPU per event in the JVM%s) before start()",
                    publishSeconds,
                    publishedPerSecond,
                    options.publishers(),
                    publishCpu.senderMicros(),
                    publishCpu.databaseMicros() > 0
                            ? String.format(", %.0f µs in PostgreSQL", publishCpu.databaseMicros())
                            : ""));
            engine.start();
            checks.awaitArrivals(expected, problems);
            finished = store.meter().sample();
            lastReceipt = expected.lastReceiptNanos();
            checks.awaitQueueEmpty(backing, problems);
            Reference.reachabilityFence(configIds);
        }
        notes.add(OutcomeWindow.note(meters));
        long heap = checks.verifyDelivered(expected, store.meter(), backing, first, eventIds, problems);
        double rate = events / seconds(lastReceipt - started.wallNanos());
        return new RunResult(
                scenario,
                store.label(),
                events,
                rate,
                publishedPerSecond,
                null,
                ProcessMeter.perOperation(started, finished, events),
                heap,
                null,
                notes,
                problems);
    }

    /**
     * Publishes at a fixed rate (open loop) with the engine running, and measures publish-to-receipt
     * latency from the moment each event was due to be published, not from when a publisher thread
     * got to it: a publisher that falls behind shows as latency instead of hiding it (no coordinated
     * omission).
     */
    RunResult paced(StoreUnderTest store, int ratePerSecond, Duration length) throws Exception {
        int events = (int) Math.max(1, ratePerSecond * length.toMillis() / 1000);
        DeliveryCounter.Expectation expected = counter.expectNext(events, 200);
        long first = expected.first();
        WebhookStore backing = store.newStore().apply(tablePrefix());
        List<String> notes = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String[] eventIds = new String[events];
        long[] dueAt = new long[events];
        long[] publishLag = new long[events];
        ProcessMeter.Sample started;
        ProcessMeter.Sample finished;
        long lastReceipt;
        try (JettyHttpTransport transport = newTransport();
                WebhookEngine engine = newEngine(backing, transport, builder -> {})) {
            Map<LoadTarget, String> configIds = createConfigs(engine, options.orderingLanes() > 0);
            engine.start();
            ExecutorService publishers = Executors.newFixedThreadPool(options.publishers(), named("load-publisher"));
            long period = 1_000_000_000L / ratePerSecond;
            started = store.meter().sample();
            long origin = started.wallNanos() + 10_000_000L;
            for (int i = 0; i < events; i++) {
                long due = origin + i * period;
                dueAt[i] = due;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                int index = i;
                publishers.execute(() -> {
                    publishLag[index] = System.nanoTime() - dueAt[index];
                    publishOne(engine, first, index, eventIds, problems);
                });
            }
            checks.awaitPublishers(publishers, problems);
            checks.awaitArrivals(expected, problems);
            finished = store.meter().sample();
            lastReceipt = expected.lastReceiptNanos();
            checks.awaitQueueEmpty(backing, problems);
            Reference.reachabilityFence(configIds);
        }
        long heap = checks.verifyDelivered(expected, store.meter(), backing, first, eventIds, problems);
        long[] latencies = new long[events];
        for (int i = 0; i < events; i++) {
            long receipt = expected.receiptNanos(i);
            latencies[i] = receipt == 0 ? Long.MAX_VALUE : receipt - dueAt[i];
        }
        Latencies publishLags = Latencies.of(publishLag);
        notes.add(String.format(
                "open loop at %,d events/s for %d s; a publisher started an event at most %.1f ms"
                        + " after it was due (p99 %.1f ms), %d publisher threads",
                ratePerSecond,
                length.toSeconds(),
                publishLags.maxMillis(),
                publishLags.p99Millis(),
                options.publishers()));
        double rate = events / seconds(lastReceipt - dueAt[0]);
        return new RunResult(
                "paced " + ratePerSecond + "/s",
                store.label(),
                events,
                rate,
                0,
                problems.isEmpty() ? Latencies.of(latencies) : null,
                ProcessMeter.perOperation(started, finished, events),
                heap,
                null,
                notes,
                problems);
    }

    /**
     * The heap that {@code events} deliveries waiting for their retry cost: the receiver answers 500,
     * each event's first attempt fails, and its job waits for a retry an hour later. Measured as the
     * used heap after a full GC with the jobs waiting, less the same before publishing, engine
     * running in both. The circuit breaker's threshold is set above the failures any destination
     * sees, so that it never opens: with it open, the later jobs would wait without an attempt, a
     * cheaper state than a real retry. (Not {@code Integer.MAX_VALUE}: Failsafe sizes the breaker's
     * window by its threshold, and a window of 2^31 bits would be most of the heap measured.)
     */
    RunResult waitingRetries(StoreUnderTest store, int events) throws Exception {
        DeliveryCounter.Expectation expected = counter.expectNext(events, 500);
        long first = expected.first();
        WebhookStore backing = store.newStore().apply(tablePrefix());
        List<String> problems = new ArrayList<>();
        String[] eventIds = new String[events];
        long before;
        long after;
        try (JettyHttpTransport transport = newTransport();
                WebhookEngine engine = newEngine(
                        backing,
                        transport,
                        builder -> builder.retrySchedule((retry, retryAfter) -> Duration.ofHours(1))
                                .circuitBreaker(events + 1, WebhookEngineBuilder.DEFAULT_BREAKER_DELAY))) {
            // In parallel whatever --ordering-lanes says: in order, only each lane's first job would
            // be attempted, and the rest would wait behind it without the retry state this measures.
            Map<LoadTarget, String> configIds = createConfigs(engine, false);
            engine.start();
            before = store.meter().heapAfterGc();
            publishAll(engine, first, events, eventIds, problems);
            checks.awaitArrivals(expected, problems);
            checks.awaitRescheduled(backing, first, eventIds, problems);
            after = store.meter().heapAfterGc();
            QueueStats queue = backing.stats(Instant.now());
            if (queue.depth() != events || queue.due() != 0) {
                problems.add("expected " + events + " jobs waiting and none due, found " + queue);
            }
            Reference.reachabilityFence(configIds);
        }
        problems.addAll(expected.problems());
        problems.addAll(checks.checkEvents(backing, first, eventIds, EventStatus.IN_PROGRESS, 500));
        Reference.reachabilityFence(backing);
        long delta = after - before;
        return new RunResult(
                "waiting retries",
                store.label(),
                events,
                0,
                0,
                null,
                null,
                after,
                delta,
                List.of(String.format(
                        "%,d events whose first attempt got a 500, each job due again in 1 h: %,.0f bytes each",
                        events, (double) delta / events)),
                problems);
    }

    /** A transport allowed to reach 127.0.0.1, the only place a benchmark may send to. */
    static JettyHttpTransport newTransport() {
        return JettyHttpTransport.builder().allowAddresses("127.0.0.1/32").build();
    }

    private WebhookEngine newEngine(
            WebhookStore store, JettyHttpTransport transport, Consumer<WebhookEngineBuilder> custom) {
        WebhookEngineBuilder builder = WebhookEngine.builder().store(store).transport(transport);
        if (options.pollInterval() != null) {
            builder.pollInterval(options.pollInterval());
        }
        custom.accept(builder);
        return builder.build();
    }

    /** One config per target; with {@code ordered}, each delivering in {@code --ordering-lanes} lanes. */
    private Map<LoadTarget, String> createConfigs(WebhookEngine engine, boolean ordered) {
        Map<LoadTarget, String> ids = new HashMap<>();
        for (LoadTarget target : targets) {
            WebhookConfig created = engine.createConfig(
                    target.orgId(),
                    WebhookConfig.builder()
                            .name(target.name())
                            .eventName(target.eventName())
                            .url(receiver.url(target.path()))
                            .build());
            if (ordered) {
                // Event i goes to config i % configs: successive events of one config differ by
                // `configs` in load_seq, so the quotient, not load_seq itself, walks a config's lanes.
                String key = options.orderingLanes() == 1
                        ? null
                        : "$floor(load_seq / " + targets.size() + ") % " + options.orderingLanes();
                engine.updateControls(
                        target.orgId(),
                        created.id(),
                        new ConfigControls.Settings(null, new ConfigControls.Ordering(key)));
            }
            ids.put(target, created.id());
        }
        return ids;
    }

    /** Events per {@link WebhookEngine#publishAll} call in {@link #publishBatches}. */
    static final int PUBLISH_BATCH = 100;

    /**
     * Publishes {@code events} through {@link WebhookEngine#publishAll} in batches of
     * {@value #PUBLISH_BATCH}, from the publisher threads, with the engine stopped: the batch API's
     * rate, beside the drain's one event per call. Nothing is delivered; the check is that every
     * event made one delivery job and the queue holds exactly those.
     */
    RunResult publishBatches(StoreUnderTest store, int events) throws Exception {
        WebhookStore backing = store.newStore().apply(tablePrefix());
        List<String> notes = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        long first = 1_000_000_000L + runNumber * 1_000_000L; // ids no receiver expects: nothing is sent
        ProcessMeter.Sample started;
        ProcessMeter.Sample finished;
        try (JettyHttpTransport transport = newTransport();
                WebhookEngine engine = newEngine(backing, transport, builder -> {})) {
            Map<LoadTarget, String> configIds = createConfigs(engine, options.orderingLanes() > 0);
            ExecutorService publishers = Executors.newFixedThreadPool(options.publishers(), named("load-publisher"));
            AtomicInteger nextBatch = new AtomicInteger();
            started = store.meter().sample();
            for (int t = 0; t < options.publishers(); t++) {
                publishers.execute(() -> {
                    for (int from = nextBatch.getAndIncrement() * PUBLISH_BATCH;
                            from < events;
                            from = nextBatch.getAndIncrement() * PUBLISH_BATCH) {
                        List<DomainEvent> batch = new ArrayList<>(PUBLISH_BATCH);
                        for (int i = from; i < Math.min(events, from + PUBLISH_BATCH); i++) {
                            batch.add(payloads.event(targetOf(i), first + i));
                        }
                        try {
                            long deliveries = engine.publishAll(batch).stream()
                                    .filter(result -> result.dispatches().size() == 1
                                            && result.dispatches().get(0) instanceof Dispatch.Deliver)
                                    .count();
                            if (deliveries != batch.size()) {
                                synchronized (problems) {
                                    problems.add("a batch of " + batch.size() + " events made " + deliveries
                                            + " deliveries");
                                }
                            }
                        } catch (RuntimeException e) {
                            synchronized (problems) {
                                problems.add("publishing a batch failed: " + e);
                            }
                        }
                    }
                });
            }
            checks.awaitPublishers(publishers, problems);
            finished = store.meter().sample();
            QueueStats queue = backing.stats(Instant.now());
            if (queue.depth() != events) {
                problems.add("expected " + events + " jobs queued after publishing, found " + queue);
            }
            Reference.reachabilityFence(configIds);
        }
        double seconds = seconds(finished.wallNanos() - started.wallNanos());
        notes.add(String.format(
                "%,d events published with publishAll in batches of %d from %d threads in %.1f s; CPU per event"
                        + " published; nothing delivered",
                events, PUBLISH_BATCH, options.publishers(), seconds));
        return new RunResult(
                "publish, batches of " + PUBLISH_BATCH,
                store.label(),
                events,
                0,
                events / seconds,
                null,
                ProcessMeter.perOperation(started, finished, events),
                store.meter().heapAfterGc(),
                null,
                notes,
                problems);
    }

    private void publishAll(WebhookEngine engine, long first, int events, String[] eventIds, List<String> problems)
            throws InterruptedException {
        ExecutorService publishers = Executors.newFixedThreadPool(options.publishers(), named("load-publisher"));
        AtomicInteger next = new AtomicInteger();
        for (int t = 0; t < options.publishers(); t++) {
            publishers.execute(() -> {
                for (int i = next.getAndIncrement(); i < events; i = next.getAndIncrement()) {
                    publishOne(engine, first, i, eventIds, problems);
                }
            });
        }
        checks.awaitPublishers(publishers, problems);
    }

    private void publishOne(WebhookEngine engine, long first, int index, String[] eventIds, List<String> problems) {
        try {
            PublishResult result = engine.publish(payloads.event(targetOf(index), first + index));
            if (result.dispatches().size() != 1 || !(result.dispatches().get(0) instanceof Dispatch.Deliver)) {
                synchronized (problems) {
                    problems.add(
                            "event " + (first + index) + " made " + result.dispatches() + " instead of one delivery");
                }
                return;
            }
            eventIds[index] = result.eventIds().get(0);
        } catch (RuntimeException e) {
            synchronized (problems) {
                problems.add("publishing event " + (first + index) + " failed: " + e);
            }
        }
    }

    private LoadTarget targetOf(int index) {
        return targets.get(index % targets.size());
    }

    private String tablePrefix() {
        return "load_" + (++runNumber) + "_";
    }

    static double seconds(long nanos) {
        return Math.max(1, nanos) / 1e9;
    }

    /** Daemon threads named {@code name-1}, {@code name-2}, ... */
    static java.util.concurrent.ThreadFactory named(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
