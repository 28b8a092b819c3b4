package dev.hookengine.internal.delivery;

import dev.hookengine.OutcomeCode;
import dev.hookengine.model.EventStatus;
import dev.hookengine.model.WebhookEvent;
import dev.hookengine.spi.StoredConfig;

/**
 * Makes the dispatch of an event again: one recorded {@code in_progress} without a payload, because
 * the entity hydrator could not answer when it was published
 * ({@link OutcomeCode#HYDRATION_UNAVAILABLE}). The attempt of its job calls this instead of sending.
 */
@FunctionalInterface
public interface Redispatcher {

    /**
     * Builds the event's payload for {@code config} again, and records the delivery it makes as a new
     * event when it makes one.
     *
     * @return what the waiting event becomes
     */
    Result redispatch(StoredConfig config, WebhookEvent event);

    /**
     * What the waiting event becomes: {@code in_progress} when the hydrator still cannot answer (the
     * attempt is then retried like a receiver's), else the status it ends with.
     */
    record Result(EventStatus status, OutcomeCode code, String message) {
        boolean unavailable() {
            return status == EventStatus.IN_PROGRESS;
        }
    }
}
