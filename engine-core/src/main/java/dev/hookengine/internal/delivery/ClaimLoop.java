package dev.hookengine.internal.delivery;

import dev.hookengine.internal.EngineMetrics;
import dev.hookengine.model.Timestamps;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.spi.ClaimedDelivery;
import dev.hookengine.spi.ClaimedJob;
import dev.hookengine.spi.WebhookStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims due jobs and starts their attempts on the delivery threads: one round claims as many jobs
 * as there are free threads, with their events ({@link WebhookStore#claimDeliveries}), and hands each to the {@link AttemptRunner} on a
 * thread of its own, until nothing is due. It also samples the queue for the gauges.
 *
 * <p>Jobs are claimed as threads come free, never more than can start at once (a claimed job
 * waiting for a thread would burn its lease), and nothing waits for an attempt to end but the
 * thread making it: a slow receiver holds one thread, not the node. One permit per delivery thread
 * not running an attempt keeps that count.
 */
public final class ClaimLoop {

    private static final Logger LOG = LoggerFactory.getLogger(ClaimLoop.class);
    /** How long a claim waits for a quarter of a batch of threads to come free. */
    private static final long REFILL_WAIT_MILLIS = 20;

    private final WebhookStore store;
    private final AttemptRunner attempts;
    private final Executor threads;
    private final EngineMetrics metrics;
    private final DeliverySettings settings;
    /** One permit per delivery thread not running an attempt. */
    private final Semaphore slots;

    private volatile boolean stopping;
    private volatile long lastQueueSample;

    /** @param threads runs the attempts; it has {@link DeliverySettings#threads()} threads */
    public ClaimLoop(
            WebhookStore store,
            AttemptRunner attempts,
            Executor threads,
            EngineMetrics metrics,
            DeliverySettings settings) {
        this.store = store;
        this.attempts = attempts;
        this.threads = threads;
        this.metrics = metrics;
        this.settings = settings;
        this.slots = new Semaphore(settings.threads());
    }

    /**
     * Claims and delivers every job due now, and returns when the queue has nothing due and the
     * attempts have ended: for tests and for embedders that drive delivery themselves.
     *
     * @return how many jobs were claimed
     */
    public int deliverDue() {
        try {
            return startDue();
        } finally {
            awaitInFlight();
        }
    }

    /**
     * The poller's round: claims every job due now and starts its attempt, with up to one attempt per
     * delivery thread in flight, and returns once the queue has nothing due, without waiting for the
     * attempts it started.
     *
     * @return how many jobs were claimed
     */
    public int startDue() {
        int total = 0;
        while (!stopping) {
            sampleQueue();
            int free = takeFreeSlots();
            if (free == 0) {
                break; // interrupted while waiting for a thread
            }
            List<ClaimedDelivery> claims;
            try {
                claims = store.claimDeliveries(now(), free, settings.lease(), settings.nodeId());
            } catch (RuntimeException e) {
                slots.release(free);
                throw e;
            }
            slots.release(free - claims.size());
            for (ClaimedDelivery claim : claims) {
                start(claim.claim(), claim.event());
            }
            total += claims.size();
            if (claims.size() < free) {
                break; // nothing more is due now
            }
        }
        return total;
    }

    /** Stops claiming: a round in progress finishes its batch and returns. */
    public void stop() {
        stopping = true;
    }

    /**
     * Waits for free delivery threads and takes every free one, up to a claim's batch. It waits a
     * moment for a quarter of a batch to come free, so that a busy node claims in batches rather than
     * one job per claim as threads finish; after that moment, one free thread is enough.
     *
     * @return the threads taken, or 0 when interrupted
     */
    private int takeFreeSlots() {
        int batchSize = settings.batchSize();
        int refill = Math.max(1, batchSize / 4);
        int taken;
        try {
            if (slots.tryAcquire(refill, REFILL_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                taken = refill;
            } else {
                slots.acquire();
                taken = 1;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
        int drained = slots.drainPermits();
        int more = Math.min(drained, batchSize - taken);
        slots.release(drained - more);
        return taken + more;
    }

    /** Starts one attempt on a delivery thread; its slot is given back when it ends. */
    private void start(ClaimedJob claim, Optional<WebhookEvent> event) {
        try {
            threads.execute(() -> {
                try {
                    if (stopping) {
                        store.release(claim); // closing: leave it for whichever node runs next
                    } else {
                        attempts.attempt(claim, event);
                    }
                } finally {
                    slots.release();
                }
            });
        } catch (RejectedExecutionException closing) {
            slots.release();
            attempts.releaseQuietly(claim);
        }
    }

    /** Waits, at most one lease, until no attempt of this node is in flight. */
    private void awaitInFlight() {
        int all = settings.threads();
        try {
            if (slots.tryAcquire(all, settings.lease().toMillis(), TimeUnit.MILLISECONDS)) {
                slots.release(all);
            } else {
                LOG.warn("attempts still running after a lease; their jobs are taken again once their leases expire");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Samples the queue for the gauges at most once a second, also while rounds never run dry. */
    private void sampleQueue() {
        long nanos = System.nanoTime();
        if (nanos - lastQueueSample >= 1_000_000_000L) {
            lastQueueSample = nanos;
            Instant now = now();
            metrics.queue(store.stats(now), now);
        }
    }

    private Instant now() {
        return Timestamps.now(settings.clock());
    }
}
