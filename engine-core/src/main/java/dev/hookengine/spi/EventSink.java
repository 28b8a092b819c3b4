package dev.hookengine.spi;

import dev.hookengine.model.WebhookEvent;
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
}
