package dev.hookengine.benchmarks.load;

import dev.hookengine.model.EventStatus;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.spi.QueueStats;
import dev.hookengine.spi.WebhookStore;
import java.lang.ref.Reference;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The self-checks of the load runs: waits that fail a run instead of hanging it, and the checks
 * afterwards that every webhook arrived exactly once and that the store agrees. Each adds what went
 * wrong to the run's list of problems, so that a run whose figures are not to be trusted says why.
 */
final class RunChecks {

    private final Duration timeout;
    private final List<LoadTarget> targets;

    /**
     * @param timeout the longest any one wait may take
     * @param targets the configs events go to: event {@code i} of a run goes to {@code targets[i % size]}
     */
    RunChecks(Duration timeout, List<LoadTarget> targets) {
        this.timeout = timeout;
        this.targets = targets;
    }

    /**
     * Adds what went wrong with the deliveries of a finished run to {@code problems}, and measures
     * the heap with the run's store still held.
     *
     * @return the used heap after a full GC
     */
    long verifyDelivered(
            DeliveryCounter.Expectation expected,
            ProcessMeter meter,
            WebhookStore backing,
            long first,
            String[] eventIds,
            List<String> problems)
            throws InterruptedException {
        problems.addAll(expected.problems());
        problems.addAll(checkEvents(backing, first, eventIds, EventStatus.SUCCEEDED, null));
        long heap = meter.heapAfterGc();
        Reference.reachabilityFence(backing);
        return heap;
    }

    void awaitArrivals(DeliveryCounter.Expectation expected, List<String> problems) throws InterruptedException {
        if (!expected.awaitAll(timeout)) {
            problems.add("timed out after " + timeout.toSeconds() + " s with " + expected.distinct() + " of "
                    + expected.count() + " webhooks received");
        }
    }

    void awaitPublishers(ExecutorService publishers, List<String> problems) throws InterruptedException {
        publishers.shutdown();
        if (!publishers.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            problems.add("publishing did not finish within " + timeout.toSeconds() + " s");
        }
    }

    /** Every event as the store has it: in {@code status}, and with {@code statusCode} recorded when given. */
    List<String> checkEvents(
            WebhookStore store, long first, String[] eventIds, EventStatus status, Integer statusCode) {
        int wrong = 0;
        String example = null;
        for (int i = 0; i < eventIds.length; i++) {
            if (eventIds[i] == null) {
                continue; // already reported by the publisher
            }
            Optional<WebhookEvent> event =
                    store.findEvent(targets.get(i % targets.size()).orgId(), eventIds[i]);
            boolean right = event.isPresent()
                    && event.get().status() == status
                    && (statusCode == null
                            || (event.get().httpResponse() != null
                                    && statusCode.equals(
                                            event.get().httpResponse().statusCode())));
            if (!right && wrong++ == 0) {
                example = "seq " + (first + i) + ": "
                        + event.map(e -> e.status() + " " + e.httpResponse()).orElse("missing");
            }
        }
        return wrong == 0
                ? List.of()
                : List.of(wrong + " events are not " + status.wireName()
                        + (statusCode == null ? "" : " with status " + statusCode) + " in the store, first: "
                        + example);
    }

    /** Waits until the jobs of ended events are gone: the engine records an outcome after the receiver answered. */
    void awaitQueueEmpty(WebhookStore store, List<String> problems) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        QueueStats stats;
        while ((stats = store.stats(Instant.now())).depth() > 0) {
            if (System.nanoTime() > deadline) {
                problems.add("jobs still queued after the run: " + stats);
                return;
            }
            Thread.sleep(20);
        }
    }

    /** Waits until every event records its failed first attempt. */
    void awaitRescheduled(WebhookStore store, long first, String[] eventIds, List<String> problems)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!checkEvents(store, first, eventIds, EventStatus.IN_PROGRESS, 500)
                .isEmpty()) {
            if (System.nanoTime() > deadline) {
                problems.add("not every event recorded its failed attempt within " + timeout.toSeconds() + " s");
                return;
            }
            Thread.sleep(50);
        }
    }
}
