package dev.hookengine.spi;

import dev.hookengine.model.WebhookEvent;
import java.time.Instant;
import java.util.Objects;

/**
 * What one attempt leaves behind, written by {@link DeliveryQueue#recordOutcomes} as one unit: the
 * attempt for the event's history, the event with its new outcome, and what becomes of the job.
 *
 * @param claim   the claim the attempt was made under
 * @param attempt the attempt, of the claimed job's event
 * @param event   the claimed job's event as read from the store, with the attempt's outcome applied
 *                ({@code status}, {@code http_response}, {@code retry_attempt}); its
 *                {@code webhook_config_id}, {@code created_at} and payloads are those stored
 * @param retryAt when the job is due again for a retry, or {@code null} when its delivery ended and
 *                the job is completed
 */
public record AttemptOutcome(ClaimedJob claim, DeliveryAttempt attempt, WebhookEvent event, Instant retryAt) {

    public AttemptOutcome {
        Objects.requireNonNull(claim, "claim");
        Objects.requireNonNull(attempt, "attempt");
        Objects.requireNonNull(event, "event");
        DeliveryJob job = claim.job();
        if (!job.orgId().equals(attempt.orgId()) || !job.eventId().equals(attempt.eventId())) {
            throw new IllegalArgumentException("attempt of " + attempt.orgId() + "/" + attempt.eventId()
                    + " is not of the claimed job's event " + job.orgId() + "/" + job.eventId());
        }
        if (!job.orgId().equals(event.orgId()) || !job.eventId().equals(event.eventId())) {
            throw new IllegalArgumentException("event " + event.orgId() + "/" + event.eventId()
                    + " is not the claimed job's event " + job.orgId() + "/" + job.eventId());
        }
        if (retryAt != null && attempt.attempt() < job.attempt()) {
            throw new IllegalArgumentException("a retried job counts at least the attempts it had: attempt "
                    + attempt.attempt() + " < " + job.attempt());
        }
    }

    /** Whether the job is completed rather than rescheduled. */
    public boolean completesJob() {
        return retryAt == null;
    }
}
