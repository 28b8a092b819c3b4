package dev.hookengine;

import java.util.List;

/**
 * What {@link WebhookEngine#publish} made of an event: one {@link Dispatch} per enabled, active
 * config of the event's organization subscribed to its name, in config creation order.
 *
 * @param dispatches one per config; empty when no config subscribes to the event
 */
public record PublishResult(List<Dispatch> dispatches) {
    public PublishResult {
        dispatches = List.copyOf(dispatches);
    }
}
