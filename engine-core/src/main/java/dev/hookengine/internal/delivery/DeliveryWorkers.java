package dev.hookengine.internal.delivery;

import dev.hookengine.EngineConfig;
import dev.hookengine.internal.config.FailingConfigSweep;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's threads and their lifecycle: the delivery threads that make attempts, the poller that
 * runs a delivery round every poll interval or as soon as it is woken, the hourly purge, and the
 * orderly shutdown of all of them. What a round or a purge does is handed in; this class only
 * decides when they run and on which thread.
 *
 * <p>The threads exist from the engine's construction (an embedder driving delivery itself with
 * {@code deliverDue()} uses the delivery threads too); the poller and the purge run only once
 * {@link #start} is called.
 */
public final class DeliveryWorkers {

    // Lifecycle lines keep the engine's logger name, which operators already filter on.
    private static final Logger LOG = LoggerFactory.getLogger("dev.hookengine.WebhookEngine");

    private final EngineConfig config;
    private final ExecutorService attemptThreads;
    private final ScheduledExecutorService scheduler;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Permits wake the poller before its interval ends; see {@link #wake()}. */
    private final Semaphore wakeUp = new Semaphore(0);

    public DeliveryWorkers(EngineConfig config) {
        this.config = config;
        AtomicInteger threads = new AtomicInteger();
        this.attemptThreads = Executors.newFixedThreadPool(config.deliveryThreads(), runnable -> {
            Thread thread = new Thread(runnable, "hookengine-delivery-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        // Two threads: the poller's loop runs for as long as the engine, the hourly purge and the
        // auto-disable sweep beside it.
        AtomicInteger background = new AtomicInteger();
        this.scheduler = Executors.newScheduledThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "hookengine-poller-" + background.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The delivery threads, on which the {@link ClaimLoop} starts attempts. */
    public Executor attemptThreads() {
        return attemptThreads;
    }

    /**
     * Starts the poller, which runs {@code round} every poll interval and whenever {@link #wake}
     * is called, runs {@code purge} hourly and {@code sweep} (auto-disable) every
     * {@link FailingConfigSweep#INTERVAL}. Starting again does nothing.
     *
     * @throws IllegalStateException when closed
     */
    public void start(Runnable round, Runnable purge, Runnable sweep) {
        if (closed.get()) {
            throw new IllegalStateException("a closed engine cannot start again");
        }
        if (!started.compareAndSet(false, true)) {
            return;
        }
        long poll = config.pollInterval().toMillis();
        scheduler.execute(() -> pollUntilClosed(round));
        scheduler.scheduleWithFixedDelay(() -> purgeQuietly(purge), 1, 60, TimeUnit.MINUTES);
        long sweepEvery = FailingConfigSweep.INTERVAL.toSeconds();
        scheduler.scheduleWithFixedDelay(() -> sweepQuietly(sweep), sweepEvery, sweepEvery, TimeUnit.SECONDS);
        LOG.info(
                "hookengine delivery workers started: {} threads, polling every {} ms", config.deliveryThreads(), poll);
    }

    /** Wakes the poller, if it waits: a job was queued here and may be due now. */
    public void wake() {
        if (started.get() && wakeUp.availablePermits() == 0) {
            wakeUp.release();
        }
    }

    /**
     * Runs {@code stopClaiming}, wakes the poller so that it sees the engine closed, and stops the
     * threads, waiting up to the attempt deadline plus 5 s for the poller, then as long again for
     * the delivery threads, before interrupting them. Closing again does nothing.
     */
    public void close(Runnable stopClaiming) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stopClaiming.run();
        wakeUp.release(); // the poller leaves its wait and sees the engine closed
        scheduler.shutdown();
        attemptThreads.shutdown();
        try {
            long wait = config.attemptDeadline().toMillis() + 5_000;
            if (!scheduler.awaitTermination(wait, TimeUnit.MILLISECONDS)) {
                scheduler.shutdownNow();
            }
            if (!attemptThreads.awaitTermination(wait, TimeUnit.MILLISECONDS)) {
                attemptThreads.shutdownNow();
            }
        } catch (InterruptedException e) {
            scheduler.shutdownNow();
            attemptThreads.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The poller: runs a round, then waits for the poll interval or for a wake-up from a delivery
     * queued on this node, whichever comes first, until the engine closes.
     */
    private void pollUntilClosed(Runnable round) {
        long poll = config.pollInterval().toMillis();
        while (!closed.get()) {
            try {
                round.run();
            } catch (RuntimeException e) {
                LOG.warn("a delivery round failed; the next one retries", e);
            }
            try {
                wakeUp.tryAcquire(poll, TimeUnit.MILLISECONDS);
                wakeUp.drainPermits(); // one round serves every wake-up that came meanwhile
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void sweepQuietly(Runnable sweep) {
        try {
            sweep.run();
        } catch (RuntimeException e) {
            LOG.warn("disabling failing configs failed; the next sweep retries", e);
        }
    }

    private static void purgeQuietly(Runnable purge) {
        try {
            purge.run();
        } catch (RuntimeException e) {
            LOG.warn("purging expired events failed; the next round retries", e);
        }
    }
}
