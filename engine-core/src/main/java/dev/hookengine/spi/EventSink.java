package dev.hookengine.spi;

import dev.hookengine.model.WebhookEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Where new events are written, each with the jobs that will deliver it. Every {@link EventStore} is
 * one; a store that can join its caller's own transaction also hands out sinks bound to that
 * transaction (the transactional outbox: {@code JdbcWebhookStore.inTransaction(connection)}), which
 * {@link dev.hookengine.WebhookEngine#publish(dev.hookengine.DomainEvent, EventSink)} writes to.
 *
 * <p>A sink bound to a transaction writes through that transaction and never commits or rolls it
 * back: its events and jobs exist exactly when the transaction commits. It must write to the same
 * storage as the engine's store, or the engine's workers never see the jobs.
 */
@FunctionalInterface
public interface EventSink {

    /**
     * Appends an event together with the jobs that will deliver it, atomically: afterwards either the
     * event and all its jobs exist, or none of them (a JDBC store writes them in one transaction; a
     * sink bound to the caller's transaction writes them in that one).
     *
     * @param event a new event with {@code event_id}, {@code org_id}, {@code webhook_config_id} and
     *              {@code created_at} set
     * @param jobs  jobs of this event and organization; empty for an event that needs no delivery
     *              (a skipped one)
     * @return {@code false}, storing nothing, when the organization already has an event with this id
     * @throws IllegalArgumentException when a job belongs to another event or organization, or its id
     *                                  is already queued; nothing is stored
     */
    boolean appendEvent(WebhookEvent event, List<DeliveryJob> jobs);

    /**
     * Appends several events, each with its jobs, as {@link #appendEvent} appends one: each event with
     * its jobs is a unit of its own, and an event whose id the organization already has is refused
     * without affecting the others. Jobs that are due at the same time are queued in list order. The
     * engine hands a store's sink the events of concurrent publishes at once (group commit), so that a
     * store that can write many events in one round trip and one commit pays that once for all of them.
     *
     * <p>The default appends them one by one. A store that can do better overrides it (a JDBC store
     * writes the list in one transaction; a sink bound to the caller's transaction writes in that one).
     *
     * @return for each event, in order, what {@link #appendEvent} would have returned for it
     * @throws IllegalArgumentException as {@link #appendEvent} throws for any of them; the store may
     *                                  then have stored some of the others (a JDBC store: none)
     */
    default List<Boolean> appendEvents(List<NewEvent> events) {
        List<Boolean> appended = new ArrayList<>(events.size());
        for (NewEvent event : events) {
            appended.add(appendEvent(event.event(), event.jobs()));
        }
        return appended;
    }
}
