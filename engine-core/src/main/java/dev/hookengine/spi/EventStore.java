package dev.hookengine.spi;

import dev.hookengine.model.WebhookEvent;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The event log: one {@link WebhookEvent} per delivery of an event to a config, its outcome, and
 * the history of its attempts. Events enter the log through {@link #appendEvent}, with the jobs that
 * deliver them (or {@link #appendEventsOnce}, under an idempotency key); their outcomes and attempts are written by {@link DeliveryQueue#recordOutcomes},
 * together with what becomes of the job.
 *
 * <p>Every method but {@link #purgeEvents} and {@link #purgeIdempotencyRecords} is scoped by organization: an event of another
 * organization is, to the caller, an event that does not exist, and two organizations may hold events
 * with the same id (refusing one would tell an organization about another's data). Implementations
 * are thread-safe. Timestamps arrive at millisecond precision and must come back exactly as given.
 * Ids compare in binary (code point) order, never by a locale's collation. Every argument is
 * required: a {@code null} one throws {@link NullPointerException}.
 */
public interface EventStore extends EventSink {

    /**
     * {@inheritDoc}
     *
     * <p>Of concurrent appends of one event id in one organization, from this process or others,
     * exactly one returns {@code true}; the others store nothing and return {@code false}.
     */
    @Override
    boolean appendEvent(WebhookEvent event, List<DeliveryJob> jobs);

    /**
     * The event with this id in this organization.
     *
     * @return the event as last written, or empty when the organization has no event with this id
     */
    Optional<WebhookEvent> findEvent(String orgId, String eventId);

    /**
     * The organization's events with these ids, in one read where the storage allows: what a
     * delivery round reads for the jobs it claimed.
     *
     * @return the events found, in no particular order; ids the organization has no event for are
     *         left out; empty when {@code eventIds} is
     */
    List<WebhookEvent> findEvents(String orgId, Collection<String> eventIds);

    /**
     * A page of the organization's events that match {@code query}, ordered by {@code created_at}
     * descending, then {@code event_id} descending (a total order: ties on the timestamp are
     * broken by the id, so paging with {@link EventPage#nextCursor()} neither skips nor repeats an event).
     * A page holds {@code min(limit, matching events left)} events: never fewer while more exist, so
     * that {@code hasMore} always comes with a cursor to continue from.
     *
     * @return the page; an empty page without more when nothing matches
     */
    EventPage searchEvents(String orgId, EventQuery query);

    /**
     * The attempts of one event, as {@link DeliveryQueue#recordOutcomes} wrote them: every field,
     * the {@linkplain DeliveryAttempt#responseExcerpt() response excerpt} included ({@code ""} and
     * {@code null} told apart), comes back exactly as given. Attempts of events of other
     * organizations are never visible.
     *
     * @return by attempt number ascending; empty when the event has none or does not exist
     */
    List<DeliveryAttempt> attemptsOf(String orgId, String eventId);

    /**
     * A config's deliveries over time: the organization's events of {@code query.configId()} created
     * in {@code [query.from(), query.to())}, each counted once, in the interval its
     * {@code created_at} falls in ({@link StatsQuery#intervalOf}), by the status it has now; and the
     * durations of those events' attempts (every attempt {@link DeliveryQueue#recordOutcomes} wrote
     * for them, whenever it ran), as {@link EventStats.Latency}. What the web console charts, and what
     * a caller reads instead of paging through the event log to count.
     *
     * <p>The work is proportional to the events of the range (a JDBC store: one index range over the
     * config's events, and their attempts by the event's index), not to the interval count. Counts and
     * latency may be read at slightly different moments while outcomes are being written; each is
     * consistent in itself. Events of other configs and other organizations are never counted.
     *
     * @return the intervals that hold events, by start ascending, and the range's total; no intervals
     *         and a total of zeros (latency {@code null}) when the range holds no event of the config,
     *         or the config does not exist
     */
    EventStats deliveryStats(String orgId, StatsQuery query);

    /**
     * Retention: deletes, across organizations, up to {@code max} events that ended
     * ({@code succeeded}, {@code failed} or {@code skipped}) and were created before {@code cutoff},
     * with their attempts. Events still {@code in_progress} are kept whatever their age. Call it
     * repeatedly until it returns less than {@code max}; each call is a bounded amount of work.
     * Several nodes may purge at once: each event is deleted by one call only.
     *
     * @return how many events this call deleted; 0 when {@code max < 1}
     */
    int purgeEvents(Instant cutoff, int max);

    /**
     * Appends events with their jobs under an idempotency key, once: the publish with an
     * {@code Idempotency-Key}. When the organization holds no live record of {@code record.key()}
     * (none, or one whose {@code expiresAt} is not after {@code record.createdAt()}, which counts as
     * none and is replaced), this call stores {@code record} and every event with its jobs,
     * atomically: afterwards either the record and all the events and jobs exist, or none of them (a
     * JDBC store writes them in one transaction). So a record never names events that were not
     * written, and events written under a key always have their record. When the organization
     * holds a live record of the key, this call writes nothing and returns that record.
     *
     * <p><b>Concurrency.</b> Of concurrent calls with one organization and key, from this process or
     * from others on the same storage, exactly one stores its record and events; every other one
     * returns the record that one stored, and stores nothing. A call that finds the key being written
     * by another, not yet committed, waits for that write to end (a JDBC store: its insert waits on the
     * unique index of {@code (org_id, key)}); if that write fails or rolls back, the waiting call
     * stores its own. A call therefore never returns a record whose events are not yet visible to
     * {@link #findEvent}. Keys of different organizations never meet: each organization may hold the
     * same key.
     *
     * <p>Unlike {@link #appendEvents}, this is all or nothing: an event the store refuses refuses the
     * whole call.
     *
     * @param record the key's record; {@code record.createdAt()} is now, by which a stored record is
     *               judged live
     * @param events events of {@code record.orgId()} with their jobs, as {@link #appendEvents} takes
     *               them; empty for a publish that no config subscribes to, which takes its key all the same
     * @return empty when this call stored {@code record} and {@code events}; otherwise the
     *         organization's live record of the key, exactly as stored, and nothing was written
     * @throws IllegalArgumentException when an event belongs to another organization, its id is taken
     *                                  in its organization, or a job id is already queued; nothing is
     *                                  stored and the key stays free
     */
    Optional<IdempotencyRecord> appendEventsOnce(IdempotencyRecord record, List<NewEvent> events);

    /**
     * Retention of idempotency keys: deletes, across organizations, up to {@code max} records whose
     * {@code expiresAt} is not after {@code now}. Their events are not touched; they stay until
     * {@link #purgeEvents} takes them. Call it repeatedly until it returns less than {@code max}; each
     * call is a bounded amount of work. Several nodes may purge at once, and may purge while a record
     * is replaced by {@link #appendEventsOnce}: a record is deleted by one call only, and a live record
     * never.
     *
     * @return how many records this call deleted; 0 when {@code max < 1}
     */
    int purgeIdempotencyRecords(Instant now, int max);
}
