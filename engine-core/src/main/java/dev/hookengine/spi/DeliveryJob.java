package dev.hookengine.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * One pending delivery of one event: the unit a worker claims, sends and completes or reschedules.
 *
 * @param jobId     unique id of the job
 * @param orgId     the organization of the event
 * @param eventId   the event to deliver
 * @param configId  the config the event belongs to
 * @param attempt   attempts already made (0 before the first); the next attempt is number {@code attempt + 1}
 * @param dueAt     not to be claimed before this instant
 * @param createdAt when the job was first queued, for queue-lag metrics
 * @param orderingKey the job's FIFO lane within its config, or {@code null} when its config delivers
 *                    in parallel. A claim hands out a job with a key only when no job of the same
 *                    organization, config and key was queued before it and is still queued (waiting,
 *                    leased, parked or waiting for a retry): see {@link DeliveryQueue#claim}. At most
 *                    {@value #MAX_ORDERING_KEY_LENGTH} characters, without NUL
 */
public record DeliveryJob(
        String jobId,
        String orgId,
        String eventId,
        String configId,
        int attempt,
        Instant dueAt,
        Instant createdAt,
        String orderingKey) {

    /** The longest ordering key a store must keep; the engine makes a longer key a digest of itself. */
    public static final int MAX_ORDERING_KEY_LENGTH = 255;

    public DeliveryJob {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(configId, "configId");
        Objects.requireNonNull(dueAt, "dueAt");
        Objects.requireNonNull(createdAt, "createdAt");
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must not be negative: " + attempt);
        }
        if (orderingKey != null && orderingKey.length() > MAX_ORDERING_KEY_LENGTH) {
            throw new IllegalArgumentException(
                    "orderingKey must be at most " + MAX_ORDERING_KEY_LENGTH + " characters: " + orderingKey.length());
        }
        if (orderingKey != null && orderingKey.indexOf('\u0000') >= 0) {
            throw new IllegalArgumentException("orderingKey must not contain NUL (no store can keep it as text)");
        }
    }

    /** A job of a config that delivers in parallel: no ordering key. */
    public DeliveryJob(
            String jobId,
            String orgId,
            String eventId,
            String configId,
            int attempt,
            Instant dueAt,
            Instant createdAt) {
        this(jobId, orgId, eventId, configId, attempt, dueAt, createdAt, null);
    }

    /** This job with {@code attempt} attempts made, due at {@code dueAt}; everything else kept. */
    public DeliveryJob withDue(int attempt, Instant dueAt) {
        return new DeliveryJob(jobId, orgId, eventId, configId, attempt, dueAt, createdAt, orderingKey);
    }
}
