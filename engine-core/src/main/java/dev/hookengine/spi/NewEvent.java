package dev.hookengine.spi;

import dev.hookengine.model.WebhookEvent;
import java.util.List;
import java.util.Objects;

/**
 * A new event with the jobs that will deliver it: one item of {@link EventSink#appendEvents}.
 *
 * @param event a new event with {@code event_id}, {@code org_id}, {@code webhook_config_id} and
 *              {@code created_at} set
 * @param jobs  jobs of this event and organization; empty for an event that needs no delivery
 */
public record NewEvent(WebhookEvent event, List<DeliveryJob> jobs) {
    public NewEvent {
        Objects.requireNonNull(event, "event");
        jobs = List.copyOf(jobs);
    }
}
