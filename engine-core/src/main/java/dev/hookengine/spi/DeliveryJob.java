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
 */
public record DeliveryJob(
        String jobId, String orgId, String eventId, String configId, int attempt, Instant dueAt, Instant createdAt) {

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
    }
}
