package dev.hookengine.spi;

import dev.hookengine.model.WebhookEvent;
import java.util.Objects;
import java.util.Optional;

/**
 * A claimed job with its event, as {@link WebhookStore#claimDeliveries} hands them out: what a
 * delivery thread needs to make the attempt.
 *
 * @param claim the claim, as {@link DeliveryQueue#claim} returns it
 * @param event the job's event as last written; empty when the organization no longer has it (purged
 *              after the job was queued), which ends the job without an attempt
 */
public record ClaimedDelivery(ClaimedJob claim, Optional<WebhookEvent> event) {
    public ClaimedDelivery {
        Objects.requireNonNull(claim, "claim");
        Objects.requireNonNull(event, "event");
    }
}
