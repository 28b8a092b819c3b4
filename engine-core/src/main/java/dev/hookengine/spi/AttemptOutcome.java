package dev.hookengine.spi;

import dev.hookengine.OutcomeCode;
import dev.hookengine.model.EventStatus;
import dev.hookengine.model.WebhookEvent;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

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

    /**
     * How this outcome counts for its config's delivery health, which
     * {@link DeliveryQueue#recordOutcomes} keeps and {@link ConfigStore#failingConfigs} reads: the one
     * rule every store applies.
     */
    public Health health() {
        if (event.status() == EventStatus.SUCCEEDED) {
            return Health.SUCCEEDED;
        }
        return OutcomeCode.of(attempt.code()).filter(NOT_SENT::contains).isPresent() ? Health.NONE : Health.FAILED;
    }

    /**
     * Outcomes that say nothing of the receiver: the config was deleted, is incomplete or disabled, so
     * nothing was sent. A disabled config's queued jobs end this way, and must not keep a failure
     * streak going that would disable it again as soon as it is enabled. A file delivery whose
     * {@code fileSource} picks nothing when it is attempted ends {@code SKIPPED}, sending nothing too.
     * The attachment, event-version, JSONata and hydration codes belong here too (at an attempt, or the
     * redispatch of an event that waited for its entity): a file server or an entity service that is
     * down, or an event the config cannot shape, says nothing of the receiver, which was not called.
     */
    private static final Set<OutcomeCode> NOT_SENT = Set.of(
            OutcomeCode.CONFIG_NOT_FOUND,
            OutcomeCode.CONFIG_INCOMPLETE,
            OutcomeCode.CONFIG_DISABLED,
            OutcomeCode.SKIPPED,
            OutcomeCode.ATTACHMENT_UNAVAILABLE,
            OutcomeCode.ATTACHMENT_TOO_LARGE,
            OutcomeCode.TOO_MANY_ATTACHMENTS,
            OutcomeCode.EVENT_VERSION_UNAVAILABLE,
            OutcomeCode.JSONATA_EVALUATION_ERROR,
            OutcomeCode.JSONATA_TIMEOUT,
            OutcomeCode.JSONATA_LIMIT_EXCEEDED,
            OutcomeCode.HYDRATION_UNAVAILABLE,
            OutcomeCode.HYDRATION_ERROR,
            OutcomeCode.REDISPATCHED);

    /** What an outcome does to its config's delivery health. */
    public enum Health {
        /** The event was delivered: the config is healthy again, its failure streak ends. */
        SUCCEEDED,
        /**
         * An attempt that did not succeed, whether it is retried or ended the event: a failure of the
         * config's streak.
         */
        FAILED,
        /** Nothing was sent (see {@link OutcomeCode#CONFIG_DISABLED} and its kin): the health stays. */
        NONE
    }
}
