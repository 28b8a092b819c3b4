package dev.hookengine;

import java.util.List;

/**
 * What {@link WebhookEngine#publish} made of an event: one {@link Dispatch} per enabled, active
 * config of the event's organization subscribed to its name, in config creation order, and the id of
 * the event recorded for each (delivered, skipped or failed, every one is in the event log).
 *
 * @param dispatches one per config; empty when no config subscribes to the event
 * @param eventIds   the recorded event of each dispatch, in the same order
 */
public record PublishResult(List<Dispatch> dispatches, List<String> eventIds) {
    public PublishResult {
        dispatches = List.copyOf(dispatches);
        eventIds = List.copyOf(eventIds);
        if (dispatches.size() != eventIds.size()) {
            throw new IllegalArgumentException("one event id per dispatch");
        }
    }
}
