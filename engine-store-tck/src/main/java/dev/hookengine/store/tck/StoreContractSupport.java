package dev.hookengine.store.tck;

import static dev.hookengine.store.tck.StoreFixtures.T0;
import static dev.hookengine.store.tck.StoreFixtures.event;
import static dev.hookengine.store.tck.StoreFixtures.job;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hookengine.model.EventStatus;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.spi.AttemptOutcome;
import dev.hookengine.spi.ClaimedJob;
import dev.hookengine.spi.DeliveryAttempt;
import dev.hookengine.spi.DeliveryJob;
import dev.hookengine.spi.EventQuery;
import dev.hookengine.spi.WebhookStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every part of the store contract stands on: the store under test, and the steps and runners
 * the parts share (appending events with jobs, recording attempts the way the engine does, running
 * tasks on several threads at once). The data itself comes from {@link StoreFixtures}.
 *
 * <p>Each part is run as a {@link org.junit.jupiter.api.Nested} class of {@link WebhookStoreContract},
 * which makes a fresh store for every test; {@link StoreUnderTest} hands that store to the part.
 */
abstract class StoreContractSupport {

    /** The lease most tests claim with. */
    static final Duration LEASE = Duration.ofMinutes(5);

    /** How long a concurrency test waits for its threads before it fails. */
    static final long THREAD_TIMEOUT_SECONDS = 60;

    /** The store under test, fresh for every test. */
    WebhookStore store;

    @BeforeEach
    void takeStoreUnderTest(WebhookStore store) {
        this.store = store;
    }

    void append(WebhookEvent event, DeliveryJob... jobs) {
        assertThat(store.appendEvent(event, List.of(jobs)))
                .as("appendEvent(%s/%s)", event.orgId(), event.eventId())
                .isTrue();
    }

    WebhookEvent appendWithJobs(String orgId, String eventId, Instant... dueAts) {
        WebhookEvent event = event(orgId, eventId, "cfg-1", T0, EventStatus.IN_PROGRESS);
        DeliveryJob[] jobs = new DeliveryJob[dueAts.length];
        for (int i = 0; i < dueAts.length; i++) {
            jobs[i] = job(orgId + "-" + eventId + "-job-" + i, event, 0, dueAts[i]);
        }
        append(event, jobs);
        return event;
    }

    /**
     * A job of {@code event} that exists only to carry an attempt into the store: the SPI writes
     * attempts through {@code recordOutcomes} alone, with the outcome of a claimed job. Append it with
     * the event, then {@link #recordAttempt} or {@link #recordOutcome} completes it.
     */
    static DeliveryJob attemptCarrier(WebhookEvent event, int number) {
        return job(event.orgId() + "-" + event.eventId() + "-carrier-" + number, event, 0, event.createdAt());
    }

    /** Writes {@code attempt} of a stored event, leaving the event as it is; see {@link #recordOutcome}. */
    void recordAttempt(DeliveryAttempt attempt) {
        recordOutcome(
                attempt, store.findEvent(attempt.orgId(), attempt.eventId()).orElseThrow());
    }

    /**
     * Writes {@code attempt} and the event's new state {@code after} the way the engine does, through
     * {@code recordOutcomes}: as the outcome of a claim of one of the event's {@link #attemptCarrier}s,
     * which the outcome completes.
     */
    void recordOutcome(DeliveryAttempt attempt, WebhookEvent after) {
        String prefix = attempt.orgId() + "-" + attempt.eventId() + "-carrier-";
        DeliveryJob carrier = store.jobsOfEvent(attempt.orgId(), attempt.eventId()).stream()
                .filter(job -> job.jobId().startsWith(prefix))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no carrier job left for attempt " + attempt));
        ClaimedJob claim = store.claimJob(carrier.orgId(), carrier.jobId(), carrier.dueAt(), LEASE, "recorder")
                .orElseThrow();
        assertThat(store.recordOutcomes(List.of(new AttemptOutcome(claim, attempt, after, null))))
                .as("recordOutcomes(attempt %d of %s/%s)", attempt.attempt(), attempt.orgId(), attempt.eventId())
                .containsExactly(true);
    }

    static EventQuery everything(int limit) {
        return new EventQuery(null, null, null, null, null, null, limit);
    }

    static List<String> jobIds(List<ClaimedJob> claims) {
        return claims.stream().map(claim -> claim.job().jobId()).toList();
    }

    /**
     * Runs {@code threads} tasks at once, released together by a start gate, and returns their
     * results in task order.
     */
    static <T> List<T> runConcurrently(int threads, IntFunction<Callable<T>> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier startGate = new CyclicBarrier(threads);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Callable<T> body = task.apply(i);
                futures.add(pool.submit(() -> {
                    startGate.await(THREAD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    return body.call();
                }));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(THREAD_TIMEOUT_SECONDS, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
