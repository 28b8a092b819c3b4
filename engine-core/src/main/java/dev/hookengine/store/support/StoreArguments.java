package dev.hookengine.store.support;

import dev.hookengine.model.ConfigControls;
import dev.hookengine.model.Secret;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.spi.AttemptOutcome;
import dev.hookengine.spi.ClaimedJob;
import dev.hookengine.spi.ConfigStore;
import dev.hookengine.spi.DeliveryJob;
import dev.hookengine.spi.DeliveryQueue;
import dev.hookengine.spi.EventStore;
import dev.hookengine.spi.IdempotencyRecord;
import dev.hookengine.spi.NewEvent;
import dev.hookengine.spi.RatePermit;
import dev.hookengine.spi.SigningKey;
import dev.hookengine.spi.SigningKeyStore;
import dev.hookengine.spi.VariableStore;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Argument checks that the store contracts require of every implementation, in one place so that
 * every store rejects the same bad input the same way.
 *
 * <p>A helper for store authors, not part of the SPI itself: a store calls it first thing in the
 * methods it names, before it touches its storage.
 */
public final class StoreArguments {

    private StoreArguments() {}

    /**
     * Checks the arguments of {@link EventStore#appendEvent}: the event's identifying fields are set,
     * and every job belongs to this event of this organization and appears once.
     *
     * @throws NullPointerException     naming the missing field
     * @throws IllegalArgumentException naming the job at fault
     */
    public static void requireAppendable(WebhookEvent event, List<DeliveryJob> jobs) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(jobs, "jobs");
        Objects.requireNonNull(event.eventId(), "event.eventId");
        Objects.requireNonNull(event.orgId(), "event.orgId");
        Objects.requireNonNull(event.webhookConfigId(), "event.webhookConfigId");
        Objects.requireNonNull(event.createdAt(), "event.createdAt");
        Set<String> jobIds = new HashSet<>();
        for (DeliveryJob job : jobs) {
            Objects.requireNonNull(job, "job");
            if (!job.orgId().equals(event.orgId()) || !job.eventId().equals(event.eventId())) {
                throw new IllegalArgumentException("job " + job.jobId() + " belongs to event " + job.orgId() + "/"
                        + job.eventId() + ", not " + event.orgId() + "/" + event.eventId());
            }
            if (!jobIds.add(job.jobId())) {
                throw new IllegalArgumentException("job id " + job.jobId() + " appears twice");
            }
        }
    }

    /**
     * Checks the arguments of {@link EventStore#appendEventsOnce}: each event as
     * {@link #requireAppendable} checks it, every one of the record's organization, no event id or job
     * id twice in the list.
     *
     * @throws NullPointerException     naming the missing argument or field
     * @throws IllegalArgumentException naming the event or job at fault
     */
    public static void requireKeyedAppend(IdempotencyRecord record, List<NewEvent> events) {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(events, "events");
        Set<String> eventIds = new HashSet<>();
        Set<String> jobIds = new HashSet<>();
        for (NewEvent event : events) {
            Objects.requireNonNull(event, "event");
            requireAppendable(event.event(), event.jobs());
            if (!event.event().orgId().equals(record.orgId())) {
                throw new IllegalArgumentException("event " + event.event().orgId() + "/"
                        + event.event().eventId() + " is not of the key's organization " + record.orgId());
            }
            if (!eventIds.add(event.event().eventId())) {
                throw new IllegalArgumentException("event id " + event.event().eventId() + " appears twice");
            }
            for (DeliveryJob job : event.jobs()) {
                if (!jobIds.add(job.jobId())) {
                    throw new IllegalArgumentException("job id " + job.jobId() + " appears twice");
                }
            }
        }
    }

    /**
     * Checks the arguments of {@link DeliveryQueue#claim}.
     *
     * @throws IllegalArgumentException when {@code max < 1} or {@code lease} is not positive
     */
    public static void requireClaim(Instant now, int max, Duration lease, String nodeId) {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(nodeId, "nodeId");
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1: " + max);
        }
        requirePositiveLease(lease);
    }

    /**
     * Checks the arguments of {@link DeliveryQueue#claimJob}.
     *
     * @throws IllegalArgumentException when {@code lease} is not positive
     */
    public static void requireClaimJob(String orgId, String jobId, Instant now, Duration lease, String nodeId) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(nodeId, "nodeId");
        requirePositiveLease(lease);
    }

    /**
     * Checks the arguments of {@link DeliveryQueue#reschedule}.
     *
     * @throws IllegalArgumentException when {@code attempt} is lower than the claimed job's
     */
    public static void requireReschedule(ClaimedJob claim, int attempt, Instant dueAt) {
        Objects.requireNonNull(claim, "claim");
        Objects.requireNonNull(dueAt, "dueAt");
        if (attempt < claim.job().attempt()) {
            throw new IllegalArgumentException("attempt " + attempt + " is lower than the claimed job's "
                    + claim.job().attempt());
        }
    }

    /**
     * Checks the arguments of {@link DeliveryQueue#renewLease}.
     *
     * @throws IllegalArgumentException when {@code lease} is not positive
     */
    public static void requireRenewal(ClaimedJob claim, Instant now, Duration lease) {
        Objects.requireNonNull(claim, "claim");
        Objects.requireNonNull(now, "now");
        requirePositiveLease(lease);
    }

    /**
     * Checks the arguments of {@link DeliveryQueue#takePermit}.
     *
     * @throws IllegalArgumentException when {@code perSecond} is below 1 or above
     *                                  {@link RatePermit#MAX_PER_SECOND}
     */
    public static void requirePermit(String orgId, String configId, int perSecond, Instant now) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(configId, "configId");
        Objects.requireNonNull(now, "now");
        if (perSecond < 1 || perSecond > RatePermit.MAX_PER_SECOND) {
            throw new IllegalArgumentException(
                    "perSecond must be between 1 and " + RatePermit.MAX_PER_SECOND + ": " + perSecond);
        }
    }

    /** Checks the arguments of {@link ConfigStore#replaceControls}: all are required. */
    public static void requireControls(String orgId, String configId, ConfigControls controls, Instant now) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(configId, "configId");
        Objects.requireNonNull(controls, "controls");
        Objects.requireNonNull(now, "now");
    }

    /**
     * Checks the arguments of {@link ConfigStore#failingConfigs}.
     *
     * @throws IllegalArgumentException when {@code minAttempts} or {@code limit} is below 1
     */
    public static void requireFailingConfigs(Instant failingSince, int minAttempts, int limit) {
        Objects.requireNonNull(failingSince, "failingSince");
        if (minAttempts < 1) {
            throw new IllegalArgumentException("minAttempts must be at least 1, was " + minAttempts);
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
    }

    /** Checks the arguments of {@link ConfigStore#rotateSigningSecret}: all are required. */
    public static void requireSecretRotation(
            String orgId, String configId, Secret newSecret, Instant previousExpiresAt, Instant now) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(configId, "configId");
        Objects.requireNonNull(newSecret, "newSecret");
        Objects.requireNonNull(previousExpiresAt, "previousExpiresAt");
        Objects.requireNonNull(now, "now");
    }

    /**
     * Checks the arguments of {@link DeliveryQueue#recordOutcomes}.
     *
     * @throws IllegalArgumentException when two outcomes are of the same claim
     */
    public static void requireOutcomes(List<AttemptOutcome> outcomes) {
        Objects.requireNonNull(outcomes, "outcomes");
        Set<String> claims = new HashSet<>();
        for (AttemptOutcome outcome : outcomes) {
            Objects.requireNonNull(outcome, "outcome");
            ClaimedJob claim = outcome.claim();
            if (!claims.add(claim.job().jobId() + "#" + claim.leaseToken())) {
                throw new IllegalArgumentException(
                        "two outcomes of one claim of job " + claim.job().jobId());
            }
        }
    }

    /**
     * Checks that a key may become an organization's current key ({@link SigningKeyStore#insertKeyIfNoneCurrent},
     * {@link SigningKeyStore#rotateKey}).
     *
     * @throws IllegalArgumentException when the key has an expiry
     */
    public static void requireCurrentKey(SigningKey key) {
        Objects.requireNonNull(key, "key");
        if (key.expiresAt() != null) {
            throw new IllegalArgumentException("key " + key.keyId() + " must not expire to become current");
        }
    }

    /**
     * Checks the arguments of {@link VariableStore#putVariable}.
     *
     * @throws IllegalArgumentException when {@code value} is {@link Secret#cleared()}
     */
    public static void requireVariable(String orgId, String name, Secret value) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (value.isCleared()) {
            throw new IllegalArgumentException("variable " + name + " needs a value; delete it to remove it");
        }
    }

    private static void requirePositiveLease(Duration lease) {
        Objects.requireNonNull(lease, "lease");
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("lease must be positive: " + lease);
        }
    }
}
