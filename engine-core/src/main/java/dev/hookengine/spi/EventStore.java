package dev.hookengine.spi;

import dev.hookengine.model.WebhookEvent;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The event log: one {@link WebhookEvent} per delivery of an event to a config, its outcome, and
 * the history of its attempts.
 *
 * <p>Every method but {@link #purgeEvents} is scoped by organization: an event of another
 * organization is, to the caller, an event that does not exist, and two organizations may hold events
 * with the same id (refusing one would tell an organization about another's data). Implementations
 * are thread-safe. Timestamps arrive at millisecond precision and must come back exactly as given.
 * Ids compare in binary (code point) order, never by a locale's collation.
 */
public interface EventStore extends EventSink {

    /** {@inheritDoc} */
    @Override
    boolean appendEvent(WebhookEvent event, List<DeliveryJob> jobs);

    /**
     * Records a new state of an existing event, typically its outcome. The stored {@code event_id},
     * {@code org_id}, {@code webhook_config_id} and {@code created_at} stay as they are, whatever
     * {@code event} says; every other field is replaced.
     *
     * @return {@code false}, changing nothing, when the organization has no event with this id
     */
    boolean updateEvent(WebhookEvent event);

    /** The event with this id in this organization, or empty. */
    Optional<WebhookEvent> findEvent(String orgId, String eventId);

    /**
     * The organization's events with these ids, in one read where the storage allows: what a
     * delivery round reads for the jobs it claimed. Ids the organization has no event for are left
     * out; the order is unspecified.
     */
    List<WebhookEvent> findEvents(String orgId, Collection<String> eventIds);

    /**
     * A page of the organization's events that match {@code query}, ordered by {@code created_at}
     * descending, then {@code event_id} descending (a total order: ties on the timestamp are
     * broken by the id, so paging with {@link EventPage#nextCursor()} neither skips nor repeats an event).
     * A page holds {@code min(limit, matching events left)} events: never fewer while more exist, so
     * that {@code hasMore} always comes with a cursor to continue from.
     */
    EventPage searchEvents(String orgId, EventQuery query);

    /**
     * Records one attempt of an event. Attempts of events of other organizations are never visible.
     */
    void appendAttempt(DeliveryAttempt attempt);

    /** The attempts of one event, by attempt number ascending; empty when none. */
    List<DeliveryAttempt> attemptsOf(String orgId, String eventId);

    /**
     * Retention: deletes, across organizations, up to {@code max} events that ended
     * ({@code succeeded}, {@code failed} or {@code skipped}) and were created before {@code cutoff},
     * with their attempts. Events still {@code in_progress} are kept whatever their age. Call it
     * repeatedly until it returns less than {@code max}; each call is a bounded amount of work.
     *
     * @return how many events were deleted
     */
    int purgeEvents(Instant cutoff, int max);
}
