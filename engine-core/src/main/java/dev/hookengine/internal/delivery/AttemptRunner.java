package dev.hookengine.internal.delivery;

import dev.hookengine.OutcomeCode;
import dev.hookengine.internal.EngineMetrics;
import dev.hookengine.internal.config.ConfigDisabler;
import dev.hookengine.internal.config.ConfigIndex;
import dev.hookengine.internal.config.ConfigStatuses;
import dev.hookengine.model.EventHttpResponse;
import dev.hookengine.model.EventStatus;
import dev.hookengine.model.RetryPolicy;
import dev.hookengine.model.Timestamps;
import dev.hookengine.model.WebhookConfig;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.spi.AttemptOutcome;
import dev.hookengine.spi.ClaimedJob;
import dev.hookengine.spi.DeliveryAttempt;
import dev.hookengine.spi.DeliveryJob;
import dev.hookengine.spi.RatePermit;
import dev.hookengine.spi.StoredConfig;
import dev.hookengine.spi.WebhookStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one delivery attempt for a claimed job and decides what follows: finds the job's config,
 * has the {@link Exchange} send the event, then retries it later, finishes it, or leaves it for its
 * breaker, and records the attempt, the event's new state and the job's completion or new due time
 * as one unit ({@link OutcomeWriter}).
 *
 * <p>Retries follow the config's {@code retryPolicy} and the {@link dev.hookengine.delivery.RetrySchedule},
 * {@code Retry-After} honoured; see {@link Outcome} for which outcomes are retryable. A 410 Gone
 * disables the config. An attempt that cannot keep its lease, or whose thread is interrupted, counts
 * for nothing: the job is given back, to be attempted again.
 *
 * <p>Delivery is at-least-once: a node that dies mid-attempt loses its lease, and another node makes
 * the attempt again once it expires. Receivers dedupe on {@code webhook-id}, the event id.
 */
public final class AttemptRunner {

    private static final Logger LOG = LoggerFactory.getLogger(AttemptRunner.class);

    /** The {@code disabledReason} of a config whose receiver answered 410 Gone. */
    static final String GONE_REASON = "the receiver answered 410 Gone";

    private final WebhookStore store;
    private final ConfigIndex configs;
    private final Exchange exchange;
    private final OutcomeWriter outcomes;
    private final EngineMetrics metrics;
    private final DeliverySettings settings;
    private final ConfigDisabler disabler;
    private final Redispatcher redispatcher;
    private final Runnable onLaneFreed;

    /**
     * @param disabler     disables the config of a receiver that answered 410 Gone
     * @param redispatcher makes the dispatch of an event that waits for its hydration again
     * @param onLaneFreed  told when the outcome of a job with an ordering key that ended is written: the
     *                     next job of its lane is claimable from then on, and need not wait for the next
     *                     poll (a lane delivers one event at a time, so that wait would pace the lane)
     */
    public AttemptRunner(
            WebhookStore store,
            ConfigIndex configs,
            Exchange exchange,
            EngineMetrics metrics,
            DeliverySettings settings,
            ConfigDisabler disabler,
            Redispatcher redispatcher,
            Runnable onLaneFreed) {
        this.store = store;
        this.redispatcher = redispatcher;
        this.onLaneFreed = onLaneFreed;
        this.configs = configs;
        this.exchange = exchange;
        this.metrics = metrics;
        this.settings = settings;
        this.disabler = disabler;
        // A write carries at most one outcome per delivery thread, plus any from synchronous triggers;
        // as many wait at most as there are delivery threads.
        this.outcomes = new OutcomeWriter(store, settings.threads(), settings.threads());
    }

    /** How long a claim holds a job: {@link dev.hookengine.EngineConfig#lease()}. */
    public Duration lease() {
        return settings.lease();
    }

    /**
     * Claims one job of the organization for this node, at {@code now}, and makes its attempt in the
     * calling thread: a synchronous trigger.
     *
     * @return the event as recorded after the attempt, or empty when the job could not be claimed or
     *         had nothing to deliver
     */
    public Optional<WebhookEvent> claimAndAttempt(String orgId, String jobId, Instant now) {
        return store.claimJob(orgId, jobId, now, settings.lease(), settings.nodeId())
                .flatMap(this::attempt);
    }

    /**
     * Makes one attempt for a claimed job and records its outcome.
     *
     * @return the event as recorded after the attempt, or empty when the job had nothing to deliver
     */
    Optional<WebhookEvent> attempt(ClaimedJob claim) {
        return attempt(claim, store.findEvent(claim.job().orgId(), claim.job().eventId()), true);
    }

    /**
     * {@link #attempt(ClaimedJob)} for a job whose event was read already (empty: there is none), as
     * the delivery threads make them: the outcome is handed to the {@link OutcomeWriter} and written
     * soon after this returns ({@link OutcomeWriter#writeSoon}), so that the thread goes on with its
     * next job instead of waiting for the store's commit.
     *
     * @return the event as it will be recorded
     */
    Optional<WebhookEvent> attempt(ClaimedJob claim, Optional<WebhookEvent> found) {
        return attempt(claim, found, false);
    }

    /** @param awaitOutcome whether to return only once the outcome is written, with the event as recorded */
    private Optional<WebhookEvent> attempt(ClaimedJob claim, Optional<WebhookEvent> found, boolean awaitOutcome) {
        try {
            return attemptUnsafe(claim, found, awaitOutcome);
        } catch (LeaseFence.LeaseLost e) {
            // The store could not extend the lease (a database outage, or the lease ran out): another
            // node may hold the job by now, so nothing is sent and no attempt is counted.
            LOG.warn(
                    "attempt of event {} given up before sending: its lease could not be extended; the job is "
                            + "attempted again once it is free",
                    claim.job().eventId());
            releaseQuietly(claim);
            return Optional.empty();
        } catch (Exchange.Interrupted e) {
            // Shutting down mid-attempt is not the receiver's fault: no attempt is counted.
            store.release(claim);
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (RuntimeException e) {
            // A bug or a store failure: leave the job to be taken again when its lease expires.
            LOG.warn(
                    "delivery attempt of event {} failed unexpectedly; it is retried after its lease expires",
                    claim.job().eventId(),
                    e);
            return Optional.empty();
        }
    }

    /** Gives a claimed job back untouched; if the store refuses, its lease expires instead. */
    void releaseQuietly(ClaimedJob claim) {
        try {
            store.release(claim);
        } catch (RuntimeException e) {
            LOG.warn(
                    "could not release job {}; it is taken again once its lease expires",
                    claim.job().jobId(),
                    e);
        }
    }

    private Optional<WebhookEvent> attemptUnsafe(ClaimedJob claim, Optional<WebhookEvent> found, boolean awaitOutcome) {
        if (found.isEmpty() || found.get().status() != EventStatus.IN_PROGRESS) {
            store.complete(claim); // purged, or already ended: nothing left to do
            return found;
        }
        WebhookEvent event = found.get();
        int attemptNumber = claim.job().attempt() + 1;
        Instant started = now();
        Optional<StoredConfig> config = configOf(claim.job());
        Optional<Outcome> refused = config.isEmpty()
                ? Optional.of(Outcome.failed(null, "the webhook config was deleted", OutcomeCode.CONFIG_NOT_FOUND))
                : refusal(config.get().config());
        if (refused.isPresent()) {
            return Optional.of(finish(claim, event, attemptNumber, started, refused.get(), awaitOutcome));
        }
        if (config.get().controls().paused() && pausedInStore(claim.job())) {
            // Claimed just before the pause took effect: given back untouched, no attempt spent. The
            // claims pass it over until the resume makes it due again. Not parked here: a resume
            // committed between the read and a park would leave it parked for good.
            store.release(claim);
            return Optional.of(event);
        }
        if (event.payload() == null) {
            // Recorded while the entity hydrator could not answer: nothing to send yet, the dispatch
            // is made again instead (no rate permit: the receiver is not called).
            return Optional.of(redispatch(claim, event, attemptNumber, started, config.get(), awaitOutcome));
        }
        Integer perSecond = config.get().controls().maxDeliveriesPerSecond();
        if (perSecond != null) {
            RatePermit permit =
                    store.takePermit(claim.job().orgId(), claim.job().configId(), perSecond, now());
            if (!permit.granted()) {
                // Over the config's rate limit: it waits for the next free permit, no attempt spent.
                store.reschedule(claim, claim.job().attempt(), permit.retryAt());
                metrics.attempt("throttled", Duration.ZERO);
                return Optional.of(event);
            }
        }
        Outcome outcome = exchange.send(config.get(), event, new LeaseFence(store, settings, claim));
        Duration took = Duration.between(started, now());
        if (outcome.deferredFor().isPresent()) {
            // The destination's breaker is open: wait for it without spending an attempt.
            store.reschedule(
                    claim,
                    claim.job().attempt(),
                    now().plus(outcome.deferredFor().get()));
            metrics.attempt("deferred", Duration.ZERO);
            return Optional.of(event);
        }
        if (outcome.disableConfig()) {
            disabler.disable(claim.job().orgId(), claim.job().configId(), GONE_REASON, ConfigDisabler.GONE);
        }
        if (outcome.retryable() && retriesLeft(config.get().config(), attemptNumber)) {
            Duration delay = settings.retrySchedule().delayBefore(attemptNumber, outcome.retryAfter());
            metrics.attempt("retrying", took);
            return Optional.of(
                    retryLater(claim, event, attemptNumber, started, outcome, now().plus(delay), awaitOutcome));
        }
        Outcome terminal = outcome.retryable() ? outcome.asFailed() : outcome;
        if (terminal.status() == EventStatus.SUCCEEDED) {
            metrics.attempt("succeeded", took);
            metrics.delivered(Duration.between(event.createdAt(), now()));
        } else {
            metrics.attempt("failed", took);
        }
        return Optional.of(finish(claim, event, attemptNumber, started, terminal, awaitOutcome));
    }

    /**
     * The attempt of an event waiting for its hydration ({@link Redispatcher}): a hydrator that still
     * cannot answer is retried like a receiver, per the config's {@code retryPolicy}; anything else ends
     * the event as the {@link Redispatcher} says.
     */
    private WebhookEvent redispatch(
            ClaimedJob claim,
            WebhookEvent event,
            int attemptNumber,
            Instant started,
            StoredConfig config,
            boolean awaitOutcome) {
        // The redispatch asks the entity service and may record the delivery as a new event: it runs
        // under the lease like an exchange, or another node that took the job over would record a second.
        new LeaseFence(store, settings, claim).beforeExchange();
        Redispatcher.Result result = redispatcher.redispatch(config, event);
        if (!result.unavailable()) {
            Outcome ended = new Outcome(
                    result.status(),
                    false,
                    false,
                    new EventHttpResponse(
                            null, result.message(), null, result.code().code()));
            return finish(claim, event, attemptNumber, started, ended, awaitOutcome);
        }
        Outcome unavailable = Outcome.retryableFailure(result.message(), result.code(), Optional.empty());
        // The dispatch at publish was the first try (EventRecorder queued this job after the first
        // delay): redispatch n is try n + 1, counted and delayed as a delivery's attempt n + 1 would be,
        // so the event is tried 1 + maxAttempts times in all and the schedule moves on at each.
        if (retriesLeft(config.config(), attemptNumber + 1)) {
            Duration delay = settings.retrySchedule().delayBefore(attemptNumber + 1, Optional.empty());
            return retryLater(claim, event, attemptNumber, started, unavailable, now().plus(delay), awaitOutcome);
        }
        return finish(claim, event, attemptNumber, started, unavailable.asFailed(), awaitOutcome);
    }

    /**
     * Why nothing may be sent for {@code config} now, if so. Disabled while its job waited (queued, or
     * between retries): a disabled config sends nothing, and its event ends failed, to be replayed
     * once it is enabled; holding the job is what pausing is for, and held jobs would pile up behind a
     * config no one may enable again.
     */
    private static Optional<Outcome> refusal(WebhookConfig config) {
        return switch (ConfigStatuses.of(config)) {
            case INCOMPLETE ->
                Optional.of(Outcome.failed(
                        null,
                        "the webhook config is incomplete (no URL, or auth without a required field)",
                        OutcomeCode.CONFIG_INCOMPLETE));
            case INACTIVE ->
                Optional.of(Outcome.failed(
                        null,
                        "the webhook config is disabled; nothing was sent (replay the event once it is enabled)",
                        OutcomeCode.CONFIG_DISABLED));
            case ACTIVE -> Optional.empty();
        };
    }

    private static boolean retriesLeft(WebhookConfig config, int attemptNumber) {
        RetryPolicy policy = config.retryPolicy();
        if (policy == null || !Boolean.TRUE.equals(policy.enabled())) {
            return false;
        }
        int maxRetries = policy.maxAttempts() == null ? RetryPolicy.DEFAULT_MAX_ATTEMPTS : policy.maxAttempts();
        return attemptNumber - 1 < maxRetries;
    }

    private WebhookEvent retryLater(
            ClaimedJob claim,
            WebhookEvent event,
            int attemptNumber,
            Instant started,
            Outcome outcome,
            Instant dueAt,
            boolean awaitOutcome) {
        WebhookEvent updated = event.toBuilder()
                .httpResponse(outcome.response())
                .retryAttempt(attemptNumber - 1)
                .build();
        return record(claim, event, updated, attemptNumber, started, outcome, dueAt, awaitOutcome);
    }

    private WebhookEvent finish(
            ClaimedJob claim,
            WebhookEvent event,
            int attemptNumber,
            Instant started,
            Outcome outcome,
            boolean awaitOutcome) {
        WebhookEvent updated = event.toBuilder()
                .status(outcome.status())
                .httpResponse(outcome.response())
                .retryAttempt(attemptNumber - 1)
                .build();
        return record(claim, event, updated, attemptNumber, started, outcome, null, awaitOutcome);
    }

    /**
     * Writes an attempt's outcome (the attempt, the event's new state, the job completed or
     * rescheduled to {@code retryAt}) as one unit, batched with other threads' outcomes. A claim that
     * outlived its lease and was taken over writes nothing: the new holder's outcome stands.
     */
    private WebhookEvent record(
            ClaimedJob claim,
            WebhookEvent before,
            WebhookEvent after,
            int attemptNumber,
            Instant started,
            Outcome outcome,
            Instant retryAt,
            boolean awaitOutcome) {
        EventHttpResponse response = outcome.response();
        DeliveryAttempt attempt = new DeliveryAttempt(
                after.orgId(),
                after.eventId(),
                attemptNumber,
                started,
                now(),
                response.statusCode(),
                response.code(),
                response.statusCode() == null ? response.message() : null,
                outcome.responseExcerpt());
        long writing = System.nanoTime();
        AttemptOutcome written = new AttemptOutcome(claim, attempt, after, retryAt);
        boolean freesLane = retryAt == null && claim.job().orderingKey() != null;
        if (!awaitOutcome) {
            outcomes.writeSoon(written, held -> {
                if (wroteOutcome(held, writing, attemptNumber, before) && freesLane) {
                    onLaneFreed.run();
                }
            });
            return after;
        }
        boolean held = wroteOutcome(outcomes.write(written), writing, attemptNumber, before);
        if (held && freesLane) {
            onLaneFreed.run();
        }
        return held ? after : before;
    }

    /** Notes an outcome's write; a claim that lost its job writes nothing, which is worth a line. */
    private boolean wroteOutcome(boolean written, long writingSince, int attemptNumber, WebhookEvent before) {
        metrics.outcomeWritten(Duration.ofNanos(System.nanoTime() - writingSince));
        if (!written) {
            LOG.warn(
                    "attempt {} of event {} ended after its lease was taken over; its outcome is dropped",
                    attemptNumber,
                    before.eventId());
        }
        return written;
    }

    /**
     * The job's config from the index, which spares the store a read (and a decryption) per attempt.
     * A config the index does not know yet (made on another node since the last refresh) is read
     * from the store, and the organization's entry reloaded.
     */
    private Optional<StoredConfig> configOf(DeliveryJob job) {
        Optional<StoredConfig> indexed = configs.find(job.orgId(), job.configId());
        if (indexed.isPresent()) {
            return indexed;
        }
        Optional<StoredConfig> stored = store.findConfig(job.orgId(), job.configId());
        if (stored.isPresent()) {
            configs.invalidate(job.orgId());
        }
        return stored;
    }

    /** The store's word on a pause the index reports: the index may lag behind a resume elsewhere. */
    private boolean pausedInStore(DeliveryJob job) {
        return store.findConfig(job.orgId(), job.configId())
                .map(stored -> stored.controls().paused())
                .orElse(false);
    }

    private Instant now() {
        return Timestamps.now(settings.clock());
    }
}
